package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
)

// Option configures an Authorizer.
type Option func(*Authorizer)

// WithIdleTimeout ends sessions unused for d (default 2 hours).
func WithIdleTimeout(d time.Duration) Option { return func(a *Authorizer) { a.idle = d } }

// WithMaxAge ends sessions d after login, however active (default 14 days).
func WithMaxAge(d time.Duration) Option { return func(a *Authorizer) { a.maxAge = d } }

// WithPermissions sets what active staff users who are not superusers may
// do. Without it they may log in but do nothing.
func WithPermissions(allowed func(ctx context.Context, u *User, action entadmin.Action, slug string) bool) Option {
	return func(a *Authorizer) { a.permissions = allowed }
}

// WithEnforcer answers the permission questions of active staff users who
// are not superusers with the casbin policy of e: model permissions
// (unless WithPermissions is given too) and field access. The pages of
// the policy are rbac.Pages, installed on the site with entadmin.WithPages.
func WithEnforcer(e *rbac.Enforcer) Option { return func(a *Authorizer) { a.enforcer = e } }

// WithThrottle limits failed logins within window: at perUser failures
// for one username from one address, or perIP failures from one address
// (whatever the usernames), further attempts from that address are
// refused, even with the right password, until the oldest failures leave
// the window (defaults 5, 20, 15 minutes). A username has no limit of its
// own, so that nobody can lock its owner out by failing from elsewhere;
// its recent failures from anywhere lengthen the delay of each wrong
// password, up to 2 seconds.
func WithThrottle(perUser, perIP int, window time.Duration) Option {
	return func(a *Authorizer) { a.userLimit, a.ipLimit, a.window = perUser, perIP, window }
}

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option { return func(a *Authorizer) { a.clock = now } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(a *Authorizer) { a.logger = l } }

// Observer is told of refused logins, e.g. to count them in metrics
// (metrics.Metrics implements it). Its methods must not block.
type Observer interface {
	// LoginFailed is called when a wrong username or password is refused.
	LoginFailed()
	// LoginThrottled is called when an attempt is refused, whatever its
	// password, for too many recent failures (see WithThrottle).
	LoginThrottled()
}

// WithObserver tells o of every refused login.
func WithObserver(o Observer) Option { return func(a *Authorizer) { a.observer = o } }
