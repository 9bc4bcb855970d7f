package auth

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/views"
)

// badLogin is the one message of every refused login, whatever was wrong.
const badLogin = "Please enter a correct username and password."

// maxUsername is the longest username the User model takes.
const maxUsername = 150

// loginForm shows the login form.
func (h handlers) loginForm(w http.ResponseWriter, r *http.Request) {
	h.renderLogin(w, r, http.StatusOK, "", safeNext(r, r.URL.Query().Get("next")), "")
}

// login checks a username and password, and starts a session.
func (h handlers) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.site.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	ctx := r.Context()
	username, pw := r.PostForm.Get("username"), r.PostForm.Get("password")
	next := safeNext(r, r.PostForm.Get("next"))
	ip := clientIP(r)

	t, err := h.a.throttle(ctx, username, ip)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if t.blocked() {
		if err := h.a.record(ctx, actionLoginFailed, username, nil, ip); err != nil {
			h.serverError(w, r, err)
			return
		}
		h.a.logger.Warn("auth: login throttled", "username", username, "ip", ip)
		if h.a.observer != nil {
			h.a.observer.LoginThrottled()
		}
		w.Header().Set("Retry-After", t.retryAfter(h.a.now()))
		h.renderLogin(w, r, http.StatusTooManyRequests, username, next, t.message(h.a.now()))
		return
	}

	u, ok, err := h.a.check(ctx, username, pw)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if !ok {
		var id *int
		if u != nil {
			id = &u.ID
		}
		if err := h.a.record(ctx, actionLoginFailed, username, id, ip); err != nil {
			h.serverError(w, r, err)
			return
		}
		h.a.logger.Info("auth: login failed", "username", username, "ip", ip)
		if h.a.observer != nil {
			h.a.observer.LoginFailed()
		}
		h.a.sleep(ctx, t.delay())
		h.renderLogin(w, r, http.StatusUnauthorized, username, next, badLogin)
		return
	}

	if err := h.a.loggedIn(ctx, w, r, u, pw); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.a.logger.Info("auth: login", "username", u.Username, "ip", ip)
	if next == "" {
		next = entadmin.Prefix(r) + "/"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// renderLogin shows the login form.
func (h handlers) renderLogin(w http.ResponseWriter, r *http.Request, status int, username, next, msg string) {
	p := views.LoginPage{
		Page:     h.site.Page(w, r, "Log in"),
		Action:   entadmin.Prefix(r) + loginPath,
		Username: username,
		Next:     next,
		Error:    msg,
	}
	h.site.Render(w, r, status, h.site.Views().Login(p))
}

// check returns the user with the username, if any, and whether the
// password is theirs and they may log in. It checks a password even for
// unknown users, so that they take as long to refuse.
func (a *Authorizer) check(ctx context.Context, username, pw string) (*ent.User, bool, error) {
	var u *ent.User
	if utf8.ValidString(username) && !strings.ContainsRune(username, 0) && len(username) <= maxUsername {
		var err error
		u, err = a.client.User.Query().Where(user.Username(username)).Only(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return nil, false, err
		}
	}
	if u == nil || u.PasswordHash == "" {
		_ = password.Check(pw, a.dummyHash)
		return u, false, nil
	}
	ok := password.Check(pw, u.PasswordHash) == nil && u.IsActive && (u.IsStaff || u.IsSuperuser)
	return u, ok, nil
}

// loggedIn records a successful login of u with the password pw, starts
// their session, and rehashes the password when its hash is outdated.
func (a *Authorizer) loggedIn(ctx context.Context, w http.ResponseWriter, r *http.Request, u *ent.User, pw string) error {
	if err := a.record(ctx, actionLogin, u.Username, &u.ID, clientIP(r)); err != nil {
		return err
	}
	if err := a.startSession(ctx, w, r, u); err != nil {
		return err
	}
	update := a.client.User.UpdateOne(u).SetLastLogin(a.now())
	if password.DefaultParams.NeedsRehash(u.PasswordHash) {
		if h, err := password.Hash(pw); err != nil {
			a.logger.Error("auth: rehash password", "username", u.Username, "err", err)
		} else {
			// The same password: its sessions, the new one included, go on.
			update.SetPasswordHash(h)
			ctx = samePassword(ctx)
		}
	}
	return update.Exec(own(ctx))
}

// safeNext returns next when it is a path below the admin's mount prefix,
// and "" otherwise, so that the login page sends nobody elsewhere, on this
// host or another. Dot segments, escaped or not, and backslashes, which
// browsers read as slashes, are refused rather than resolved.
func safeNext(r *http.Request, next string) string {
	prefix := entadmin.Prefix(r) + "/"
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(next, prefix) || !strings.HasPrefix(u.Path, prefix) ||
		strings.HasPrefix(next, "//") || strings.Contains(next, `\`) || strings.Contains(u.Path, `\`) {
		return ""
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg == "." || seg == ".." {
			return ""
		}
	}
	return next
}

// clientIP is the address of the request's client as the site found it
// (see entadmin.WithTrustedProxies), "" when unknown.
func clientIP(r *http.Request) string {
	if a := entadmin.RequestInfoFrom(r.Context()).ClientAddr; a.IsValid() {
		return a.String()
	}
	return ""
}

// clean makes s fit a text column of at most limit bytes: valid UTF-8
// without NULs, cut at a character boundary.
func clean(s string, limit int) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	for len(s) > limit {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return s
}
