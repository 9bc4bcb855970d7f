package auth

import (
	"net/http"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/views"
)

// logoutForm asks to confirm the logout: a link, or a page prefetching it,
// must not log anyone out.
func (h handlers) logoutForm(w http.ResponseWriter, r *http.Request) {
	p := views.LogoutPage{
		Page:   h.site.Page(w, r, "Log out"),
		Action: entadmin.Prefix(r) + logoutPath,
	}
	h.site.Render(w, r, http.StatusOK, views.LogoutView(p))
}

// logout ends the session and goes to the login page.
func (h handlers) logout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := h.a.endSession(ctx, r); err != nil {
		h.serverError(w, r, err)
		return
	}
	if u, ok := entadmin.UserFrom(ctx).(*User); ok {
		if err := h.a.record(ctx, actionLogout, u.Username, &u.ID, clientIP(r)); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	expireCookie(w, r)
	entadmin.AddMessage(w, r, views.LevelSuccess, "You have been logged out.")
	http.Redirect(w, r, entadmin.Prefix(r)+loginPath, http.StatusSeeOther)
}
