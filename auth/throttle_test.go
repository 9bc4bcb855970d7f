package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/testdb"
)

func TestThrottlePerUsernameAndAddress(t *testing.T) {
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
	if res := e.login("alice", "correct horse", "", "X-Forwarded-For", "203.0.113.1"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("a client picked another address without a trusted proxy: status %d, want 429", res.StatusCode)
	}

	ctx := context.Background()
	failed := e.client.AuditEntry.Query().Where(auditentry.Action("login_failed"), auditentry.UserName("alice")).AllX(ctx)
	if len(failed) != 7 {
		t.Errorf("%d failed attempts of alice recorded, want 7", len(failed))
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

// loopback is the prefix of the test server's clients, to trust them as a
// proxy.
var loopback = []entadmin.Option{entadmin.WithTrustedProxies(netip.MustParsePrefix("127.0.0.0/8"))}

func TestForwardedAddressCountsFromATrustedProxy(t *testing.T) {
	t.Parallel()
	e := newEnvOnSite(t, testdb.Postgres(t), loopback, WithThrottle(100, 2, 15*time.Minute))
	e.user("alice", "correct horse", nil)
	for range 2 {
		// The client's address is the rightmost one the proxy did not add.
		e.login("root", "guess", "", "X-Forwarded-For", "198.51.100.7, 203.0.113.1, 127.0.0.1")
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

func TestForgedForwardedAddressFromAnUntrustedPeerDoesNotDodgeThrottling(t *testing.T) {
	t.Parallel()
	// The proxy is elsewhere: the test's client is not it.
	proxy := []entadmin.Option{entadmin.WithTrustedProxies(netip.MustParsePrefix("10.0.0.0/8"))}
	e := newEnvOnSite(t, testdb.Postgres(t), proxy, WithThrottle(100, 3, 15*time.Minute))
	e.user("alice", "correct horse", nil)
	e.user("bob", "battery staple", nil)
	for i, name := range []string{"root", "admin", "bob"} {
		if res := e.login(name, "guess", "", "X-Forwarded-For", fmt.Sprintf("203.0.113.%d", i+1)); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d, want 401", res.StatusCode)
		}
	}
	if res := e.login("alice", "correct horse", "", "X-Forwarded-For", "203.0.113.9"); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("4th attempt under a new forged address: status %d, want 429", res.StatusCode)
	}
	ips := e.client.AuditEntry.Query().Select(auditentry.FieldIP).StringsX(context.Background())
	for _, ip := range ips {
		if ip != "127.0.0.1" {
			t.Errorf("attempt recorded from %q, want the connection's 127.0.0.1", ip)
		}
	}
}

func TestFailuresFromOneAddressDoNotLockTheOwnerOut(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		superuser bool
	}{{"a superuser", true}, {"a staff user", false}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnvOnSite(t, testdb.Postgres(t), loopback)
			e.user("admin", "correct horse", func(c *ent.UserCreate) { c.SetIsSuperuser(tc.superuser) })
			from := func(addr, pw string) response { return e.login("admin", pw, "", "X-Forwarded-For", addr) }
			const attacker, owner = "203.0.113.66", "198.51.100.1"
			for i := range 8 {
				want := http.StatusUnauthorized
				if i >= 5 {
					want = http.StatusTooManyRequests
				}
				if res := from(attacker, "guess"); res.StatusCode != want {
					t.Fatalf("attempt %d from the attacker: status %d, want %d", i+1, res.StatusCode, want)
				}
			}
			// The attacker's address is refused even the right password.
			res := from(attacker, "correct horse")
			if res.StatusCode != http.StatusTooManyRequests || res.cookie() != nil || res.Header.Get("Retry-After") != "900" {
				t.Errorf("the right password from the attacker's address: status %d, Retry-After %q, cookie %v; want 429 for 900 s without a cookie",
					res.StatusCode, res.Header.Get("Retry-After"), res.cookie())
			}
			// The owner, from elsewhere, gets in without waiting.
			e.mu.Lock()
			slept := len(e.slept)
			e.mu.Unlock()
			if res := from(owner, "correct horse"); res.StatusCode != http.StatusSeeOther || res.cookie() == nil {
				t.Fatalf("the right password from the owner's address: status %d, want 303 with a session", res.StatusCode)
			}
			// A wrong password from a third address waits for the
			// username's failures from anywhere.
			from("192.0.2.3", "guess")
			e.mu.Lock()
			defer e.mu.Unlock()
			if len(e.slept) != slept+1 || e.slept[slept] != maxDelay {
				t.Errorf("delays %v after the first %d, want one of %v", e.slept, slept, maxDelay)
			}
		})
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
