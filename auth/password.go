package auth

import (
	"fmt"
	"net/http"
	"strconv"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/views"
)

// MinPasswordLength is the shortest password the change-password form
// accepts, in characters.
const MinPasswordLength = 12

// maxPasswordLength bounds a password, in bytes, so that hashing stays
// cheap.
const maxPasswordLength = 1024

// passwordPath is the change-password form of a user, below the site's
// prefix; "user" is the slug of entadmin's User resource.
const passwordPath = "/user/{id}/password/"

// PasswordTool links a user's edit form to its change-password form, for
// superusers and for the user themself. Set it as the ObjectTools of the
// User resource:
//
//	own := adminres.Register(site, client) // github.com/entadmin/entadmin/ent/adminres
//	own.User.ObjectTools = auth.PasswordTool
func PasswordTool(r *http.Request, id string) []views.Link {
	if !mayChangePassword(r, id) {
		return nil
	}
	return []views.Link{{Label: "Change password", URL: entadmin.Prefix(r) + "/user/" + id + "/password/"}}
}

// mayChangePassword reports whether the request's user may change the
// password of the user with the id: superusers and the user themself.
func mayChangePassword(r *http.Request, id string) bool {
	u, ok := entadmin.UserFrom(r.Context()).(*User)
	return ok && u.User != nil && (u.IsSuperuser || strconv.Itoa(u.ID) == id)
}

// passwordForm serves the change-password form: GET shows it, POST changes
// the password, which ends the user's sessions (but for the request's own
// when users change their own), and goes back to the user.
func (h handlers) passwordForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := chi.URLParam(r, "id")
	if !mayChangePassword(r, id) {
		h.site.Error(w, r, http.StatusForbidden, "Only superusers and the user themself may change a password.")
		return
	}
	n, err := strconv.Atoi(id)
	var target *ent.User
	if err == nil {
		target, err = h.a.client.User.Query().Where(user.ID(n)).Only(entadmin.Unscoped(ctx))
	}
	if err != nil {
		if ent.IsNotFound(err) || target == nil {
			h.site.Error(w, r, http.StatusNotFound, "There is no such user.")
			return
		}
		h.serverError(w, r, err)
		return
	}
	actor := entadmin.UserFrom(ctx).(*User)
	self := actor.ID == target.ID
	prefix := entadmin.Prefix(r)
	p := views.PasswordPage{
		Page:       h.site.Page(w, r, "Change the password of "+target.Username),
		Action:     fmt.Sprintf("%s/user/%d/password/", prefix, target.ID),
		Username:   target.Username,
		AskCurrent: self,
		MinLength:  MinPasswordLength,
		CancelURL:  fmt.Sprintf("%s/user/%d/", prefix, target.ID),
	}
	p.Breadcrumbs = []views.Link{{Label: "Home", URL: prefix + "/"}, {Label: "Users", URL: prefix + "/user/"},
		{Label: target.Username, URL: p.CancelURL}, {Label: "Change password"}}
	if r.Method == http.MethodGet {
		h.site.Render(w, r, http.StatusOK, views.PasswordView(p))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.site.Error(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	p.Errors = passwordErrors(target, self, r.PostForm.Get("current"), r.PostForm.Get("password1"), r.PostForm.Get("password2"))
	if len(p.Errors) > 0 {
		h.site.Render(w, r, http.StatusUnprocessableEntity, views.PasswordView(p))
		return
	}
	hash, err := password.Hash(r.PostForm.Get("password1"))
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	// Unscoped: users may change their own password without the permission
	// to change users, which the row scope of users would enforce. The
	// change ends every session of the user (see endSessions).
	if err := h.a.client.User.UpdateOneID(target.ID).SetPasswordHash(hash).Exec(entadmin.Unscoped(ctx)); err != nil {
		h.serverError(w, r, err)
		return
	}
	msg := "The password was changed, and every session of " + target.Username + " was ended."
	if self {
		// Users who change their own password stay logged in here, with a
		// new session.
		if err := h.a.startSession(ctx, w, r, target); err != nil {
			h.serverError(w, r, err)
			return
		}
		msg = "Your password was changed, and your other sessions were ended."
	}
	entadmin.AddMessage(w, r, views.LevelSuccess, msg)
	http.Redirect(w, r, p.CancelURL, http.StatusSeeOther)
}

// passwordErrors checks the form, by field.
func passwordErrors(target *ent.User, self bool, current, pw1, pw2 string) map[string]string {
	errs := map[string]string{}
	if self {
		if password.Check(current, target.PasswordHash) != nil {
			errs["current"] = "This is not your current password."
		}
	}
	switch {
	case utf8.RuneCountInString(pw1) < MinPasswordLength:
		errs["password1"] = fmt.Sprintf("The password must have at least %d characters.", MinPasswordLength)
	case len(pw1) > maxPasswordLength:
		errs["password1"] = fmt.Sprintf("The password must have at most %d bytes.", maxPasswordLength)
	case pw1 == target.Username:
		errs["password1"] = "The password must not be the username."
	case pw1 != pw2:
		errs["password2"] = "The two passwords differ."
	}
	return errs
}
