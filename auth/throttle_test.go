package auth

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/internal/testdb"
)

func TestThrottlePerUsername(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t))
	e.user("alice", "correct horse", nil)
	e.user("bob", "battery staple", nil)
	for i := range 5 {
		if res := e.login("alice", "wrong", ""); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d, want 401", i+1, res.StatusCode)
		}
		e.advance(time.Minute)
	}
	res := e.login("alice", "correct horse", "")
	if res.StatusCode != http.StatusTooManyRequests || res.cookie() != nil {
		t.Fatalf("6th attempt: status %d, cookie %v; want 429 without a cookie", res.StatusCode, res.cookie())
	}
	// The first failure leaves the 15-minute window in 10 minutes.
	if !strings.Contains(res.body, "Too many failed login attempts. Try again in 10 minutes.") || res.Header.Get("Retry-After") != "600" {
		t.Errorf("the 429 page does not say when to retry (Retry-After %q):\n%s", res.Header.Get("Retry-After"), res.body)
	}
	if !strings.Contains(res.body, `value="alice"`) {
		t.Error("the 429 page does not keep the username")
	}
	e.mustLogin("bob", "battery staple") // other users are not blocked

	ctx := context.Background()
	failed := e.client.AuditEntry.Query().Where(auditentry.Action("login_failed"), auditentry.UserName("alice")).AllX(ctx)
	if len(failed) != 6 {
		t.Errorf("%d failed attempts of alice recorded, want 6", len(failed))
	}
	for _, f := range failed {
		if f.IP != "127.0.0.1" {
			t.Errorf("attempt recorded from %q, want 127.0.0.1", f.IP)
		}
	}

	e.advance(15 * time.Minute)
	e.mustLogin("alice", "correct horse")
}

func TestThrottlePerAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t), WithThrottle(100, 3, 15*time.Minute))
	e.user("alice", "correct horse", nil)
	for _, name := range []string{"root", "admin", "test"} {
		// A client cannot pick its address without a trusted proxy.
		if res := e.login(name, "guess", "", "X-Forwarded-For", "203.0.113."+name); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", res.StatusCode)
		}
	}
	res := e.login("alice", "correct horse", "", "X-Forwarded-For", "203.0.113.9")
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.body, "Try again in 15 minutes.") {
		t.Fatalf("4th attempt from the address: status %d, want 429:\n%s", res.StatusCode, res.body)
	}
}

func TestTrustedProxyHeader(t *testing.T) {
	t.Parallel()
	e := newEnv(t, testdb.Postgres(t), WithThrottle(100, 2, 15*time.Minute), WithTrustedProxyHeader("X-Forwarded-For"))
	e.user("alice", "correct horse", nil)
	for range 2 {
		e.login("root", "guess", "", "X-Forwarded-For", "198.51.100.7, 203.0.113.1")
	}
	if res := e.login("alice", "correct horse", "", "X-Forwarded-For", "203.0.113.1"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("from the blocked address: status %d, want 429", res.StatusCode)
	}
	if res := e.login("alice", "correct horse", "", "X-Forwarded-For", "203.0.113.2"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("from another address: status %d, want 303", res.StatusCode)
	}
	ips := e.client.AuditEntry.Query().Order(auditentry.ByID()).Select(auditentry.FieldIP).StringsX(context.Background())
	if strings.Join(ips, " ") != "203.0.113.1 203.0.113.1 203.0.113.1 203.0.113.2" {
		t.Errorf("recorded addresses %v", ips)
	}
}

func TestDelayGrowsUpToACap(t *testing.T) {
	t.Parallel()
	for failures, want := range map[int]time.Duration{
		0:  200 * time.Millisecond,
		1:  400 * time.Millisecond,
		9:  2 * time.Second,
		50: 2 * time.Second,
	} {
		if got := (throttling{failures: failures}).delay(); got != want {
			t.Errorf("delay after %d failures = %v, want %v", failures, got, want)
		}
	}
}
