package auth

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/ent/predicate"
)

// Actions of the audit entries of logins.
const (
	actionLogin       = "login"
	actionLoginFailed = "login_failed"
	actionLogout      = "logout"
)

// Progressive delay of failed logins: step per failure so far, up to
// maxDelay.
const (
	delayStep = 200 * time.Millisecond
	maxDelay  = 2 * time.Second
)

// throttling is the state of the failed logins of a username and an address
// within the window.
type throttling struct {
	failures int       // the most failures of the username or the address
	until    time.Time // when a blocked attempt may be retried; zero when not blocked
}

// throttle counts the recent failed logins of the username and of the
// address in the audit log. At a limit, the attempt is blocked until
// enough failures leave the window.
func (a *Authorizer) throttle(ctx context.Context, username, ip string) (throttling, error) {
	var t throttling
	check := func(limit int, p predicate.AuditEntry) error {
		recent, err := a.client.AuditEntry.Query().
			Where(auditentry.Action(actionLoginFailed), auditentry.AtGT(a.now().Add(-a.window)), p).
			Order(auditentry.ByAt(sql.OrderDesc())).
			Limit(limit).
			Select(auditentry.FieldAt).
			All(ctx)
		if err != nil {
			return fmt.Errorf("auth: count failed logins: %w", err)
		}
		t.failures = max(t.failures, len(recent))
		if len(recent) == limit {
			// The attempt may go ahead once the limit-th newest failure
			// has left the window.
			if until := recent[limit-1].At.Add(a.window); until.After(t.until) {
				t.until = until
			}
		}
		return nil
	}
	if err := check(a.userLimit, auditentry.UserName(clean(username, maxUsername))); err != nil {
		return t, err
	}
	if ip != "" {
		if err := check(a.ipLimit, auditentry.IP(ip)); err != nil {
			return t, err
		}
	}
	return t, nil
}

// blocked reports whether the attempt is refused without checking its
// password.
func (t throttling) blocked() bool { return !t.until.IsZero() }

// delay is how long to wait before refusing a wrong password: longer with
// every failure.
func (t throttling) delay() time.Duration {
	return min(time.Duration(t.failures+1)*delayStep, maxDelay)
}

// minutes is how many minutes, at least one, until a blocked attempt may
// be retried.
func (t throttling) minutes(now time.Time) int {
	return max(1, int((t.until.Sub(now)+time.Minute-1)/time.Minute))
}

// retryAfter is the Retry-After header of a blocked attempt.
func (t throttling) retryAfter(now time.Time) string {
	return strconv.Itoa(t.minutes(now) * 60)
}

// message tells when a blocked attempt may be retried.
func (t throttling) message(now time.Time) string {
	n := t.minutes(now)
	if n == 1 {
		return "Too many failed login attempts. Try again in 1 minute."
	}
	return fmt.Sprintf("Too many failed login attempts. Try again in %d minutes.", n)
}

// record adds a login event to the audit log.
func (a *Authorizer) record(ctx context.Context, action, username string, userID *int, ip string) error {
	err := a.client.AuditEntry.Create().
		SetAt(a.now()).
		SetAction(action).
		SetUserName(clean(username, maxUsername)).
		SetNillableUserID(userID).
		SetIP(ip).
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("auth: record %s: %w", action, err)
	}
	return nil
}
