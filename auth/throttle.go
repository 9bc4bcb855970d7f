package auth

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent"
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

// throttling is the state of the recent failed logins of a username and an
// address.
type throttling struct {
	failures int       // the most failures of the username, the pair or the address
	until    time.Time // when a blocked attempt may be retried; zero when not blocked
}

// throttle counts the recent failed logins in the audit log. The username
// from this address (the pair) and the address alone have limits: at a
// limit, the attempt is blocked, whatever its password, until enough
// failures leave the window. The username alone has no limit, so that
// failures from elsewhere never lock its owner out; its failures only
// lengthen the delay of further wrong passwords.
func (a *Authorizer) throttle(ctx context.Context, username, ip string) (throttling, error) {
	var t throttling
	ctx = own(ctx)
	since := a.now().Add(-a.window)
	recent := func(limit int, p ...predicate.AuditEntry) ([]*ent.AuditEntry, error) {
		entries, err := a.client.AuditEntry.Query().
			Where(auditentry.Action(actionLoginFailed), auditentry.AtGT(since)).
			Where(p...).
			Order(auditentry.ByAt(sql.OrderDesc())).
			Limit(limit).
			Select(auditentry.FieldAt).
			All(ctx)
		if err != nil {
			return nil, fmt.Errorf("auth: count failed logins: %w", err)
		}
		t.failures = max(t.failures, len(entries))
		return entries, nil
	}
	limit := func(limit int, p ...predicate.AuditEntry) error {
		entries, err := recent(limit, p...)
		if err != nil || len(entries) < limit {
			return err
		}
		// The attempt may go ahead once the limit-th newest failure has
		// left the window.
		if until := entries[limit-1].At.Add(a.window); until.After(t.until) {
			t.until = until
		}
		return nil
	}
	name := auditentry.UserName(clean(username, maxUsername))
	if _, err := recent(int(maxDelay/delayStep), name); err != nil {
		return t, err
	}
	if err := limit(a.userLimit, name, auditentry.IP(ip)); err != nil {
		return t, err
	}
	return t, limit(a.ipLimit, auditentry.IP(ip))
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
		Exec(own(ctx))
	if err != nil {
		return fmt.Errorf("auth: record %s: %w", action, err)
	}
	return nil
}
