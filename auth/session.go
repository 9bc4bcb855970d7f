package auth

import (
	"context"
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/predicate"
	"github.com/entadmin/entadmin/ent/session"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
)

// touchInterval is how often a session's last_seen_at is updated, at most.
const touchInterval = time.Minute

// staleColumn is whether the session needs its last_seen_at updated, as
// Authenticate selects it along with the user.
const staleColumn = "entadmin_session_stale"

// The session's last use and expiry, as Authenticate selects them along
// with the user, for WithSessionCache.
const (
	lastSeenColumn = "entadmin_session_last_seen_at"
	expiresColumn  = "entadmin_session_expires_at"
)

// userFields are the fields of the users Authenticate returns: all but the
// password hash, which requests have no use for.
var userFields = slices.DeleteFunc(slices.Clone(user.Columns), func(c string) bool {
	return c == user.FieldPasswordHash
})

// Authenticate implements entadmin.Authorizer: the user of the request's
// session cookie, or nil without a valid, live session of an active staff
// user. It costs one SELECT, plus one UPDATE of the session's last_seen_at
// at most once a minute; none with WithSessionCache for a session it
// validated since the sessions and users last changed.
func (a *Authorizer) Authenticate(r *http.Request) (entadmin.User, error) {
	token, ok := a.token(r)
	if !ok {
		return nil, nil
	}
	ctx := r.Context()
	now := a.now()
	hash := tokenHash(token)
	touchBefore := now.Add(-touchInterval)
	lookup := func(ctx context.Context) (*ent.User, sessionEntry, bool, error) {
		return a.lookupSession(ctx, hash, now, touchBefore)
	}
	var (
		u   *ent.User
		err error
	)
	if a.sessions != nil {
		u, err = a.sessions.authenticate(ctx, hash, now, now.Add(-a.idle), touchBefore, lookup)
	} else {
		u, _, _, err = lookup(ctx)
	}
	if u == nil || err != nil {
		return nil, err
	}
	return &User{User: u, memo: &requestMemo{}}, nil
}

// lookupSession returns the user of the live session of hash at now, or
// nil, touching the session when it was last seen before touchBefore. It
// also returns the session's times and whether they were read and the
// session needed no touch, so that it may be remembered.
func (a *Authorizer) lookupSession(ctx context.Context, hash string, now, touchBefore time.Time) (*ent.User, sessionEntry, bool, error) {
	var e sessionEntry
	u, err := a.client.User.Query().
		Where(
			user.IsActive(true),
			user.Or(user.IsStaff(true), user.IsSuperuser(true)),
			liveSession(hash, now, now.Add(-a.idle), touchBefore),
		).
		Select(userFields...).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, e, false, nil
	}
	if err != nil {
		return nil, e, false, fmt.Errorf("auth: authenticate: %w", err)
	}
	if stale(u) {
		err := a.client.Session.Update().
			Where(session.TokenHash(hash), session.LastSeenAtLTE(touchBefore)).
			SetLastSeenAt(now).
			Exec(own(ctx))
		if err != nil {
			return nil, e, false, fmt.Errorf("auth: touch session: %w", err)
		}
		return u, e, false, nil
	}
	var lastSeen, expires bool
	e.lastSeen, lastSeen = selectedTime(u, lastSeenColumn)
	e.expires, expires = selectedTime(u, expiresColumn)
	return u, e, lastSeen && expires, nil
}

// selectedTime returns the time liveSession selected as column, and
// whether it could be read: a time, or the text of one (SQLite, which
// knows no type for a column of a join's expression).
func selectedTime(u *ent.User, column string) (time.Time, bool) {
	v, err := u.Value(column)
	if err != nil {
		return time.Time{}, false
	}
	switch v := v.(type) {
	case time.Time:
		return v, true
	case string:
		for _, layout := range []string{time.RFC3339Nano, sqliteTime} {
			if t, err := time.Parse(layout, v); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// sqliteTime is the layout of times in SQLite with the DSN's
// _time_format=sqlite.
const sqliteTime = "2006-01-02 15:04:05.999999999-07:00"

// liveSession keeps the users with the session of the token hash, unexpired
// and used since idleSince. It joins the session in, so that one statement
// returns the user and, as staleColumn, whether the session was last used
// before touchBefore, and the session's times.
func liveSession(hash string, now, idleSince, touchBefore time.Time) predicate.User {
	return func(s *sql.Selector) {
		t := sql.Table(session.Table).As("s")
		s.Join(t).On(s.C(user.FieldID), t.C(session.UserColumn))
		s.AppendSelectExprAs(sql.LTE(t.C(session.FieldLastSeenAt), touchBefore), staleColumn)
		s.AppendSelectAs(t.C(session.FieldLastSeenAt), lastSeenColumn)
		s.AppendSelectAs(t.C(session.FieldExpiresAt), expiresColumn)
		s.Where(sql.And(
			sql.EQ(t.C(session.FieldTokenHash), hash),
			sql.GT(t.C(session.FieldExpiresAt), now),
			sql.GT(t.C(session.FieldLastSeenAt), idleSince),
		))
	}
}

// stale reports whether the user's session, selected by liveSession, needs
// its last_seen_at updated. Databases answer true as a bool or as 1.
func stale(u *ent.User) bool {
	v, err := u.Value(staleColumn)
	if err != nil {
		return true
	}
	switch v := v.(type) {
	case bool:
		return v
	case int64:
		return v != 0
	}
	return true
}

// own returns ctx for the Authorizer's own bookkeeping: sessions, login
// records and last logins. The Authorizer decides these writes itself, so
// no admin user's row scope (see entadmin.Unscoped) may narrow them: a
// staff user without any permission on sessions must still end their own
// at logout.
func own(ctx context.Context) context.Context { return entadmin.Unscoped(ctx) }

// startSession logs u in: it ends the browser's previous session, if any,
// and starts a new one with a new token, so that a token planted before
// login is worth nothing after.
func (a *Authorizer) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u *ent.User) error {
	if err := a.endSession(ctx, r); err != nil {
		return err
	}
	token := make([]byte, tokenLen)
	rand.Read(token)
	now := a.now()
	expires := now.Add(a.maxAge)
	err := a.client.Session.Create().
		SetTokenHash(tokenHash(token)).
		SetUser(u).
		SetCreatedAt(now).
		SetLastSeenAt(now).
		SetExpiresAt(expires).
		SetIP(clientIP(r)).
		SetUserAgent(clean(r.UserAgent(), 512)).
		Exec(own(ctx))
	if err != nil {
		return fmt.Errorf("auth: create session: %w", err)
	}
	c := sessionCookie(r)
	c.Value = b64.EncodeToString(token) + "." + b64.EncodeToString(a.mac(token))
	c.Expires = expires
	http.SetCookie(w, c)
	return nil
}

// endSession deletes the session of the request's cookie, if any.
func (a *Authorizer) endSession(ctx context.Context, r *http.Request) error {
	token, ok := a.token(r)
	if !ok {
		return nil
	}
	if _, err := a.client.Session.Delete().Where(session.TokenHash(tokenHash(token))).Exec(own(ctx)); err != nil {
		return fmt.Errorf("auth: delete session: %w", err)
	}
	return nil
}

// PruneSessions deletes the sessions that have expired, absolutely or for
// being idle, and returns how many. Expired sessions are refused anyway;
// run it now and then to keep the table small.
func (a *Authorizer) PruneSessions(ctx context.Context) (int, error) {
	now := a.now()
	n, err := a.client.Session.Delete().
		Where(session.Or(session.ExpiresAtLTE(now), session.LastSeenAtLTE(now.Add(-a.idle)))).
		Exec(own(ctx))
	if err != nil {
		return 0, fmt.Errorf("auth: prune sessions: %w", err)
	}
	return n, nil
}

// ActiveSessions counts the sessions neither expired nor idle, e.g. for
// rbac.Pages.
func (a *Authorizer) ActiveSessions(ctx context.Context) (int, error) {
	now := a.now()
	n, err := a.client.Session.Query().
		Where(session.ExpiresAtGT(now), session.LastSeenAtGT(now.Add(-a.idle))).
		Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("auth: count active sessions: %w", err)
	}
	return n, nil
}
