package entadmin

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/entadmin/entadmin/views"
)

// The column chooser remembers, per user and list, the columns the user
// hid, in a cookie scoped to the list's path. A cookie costs no statement
// per list page and no table in the user's database; its value names the
// user (by a hash of their display name), so that another user of the same
// browser starts with every column, and it is only ever read against the
// list's allowed columns, so a forged value can only hide columns from its
// sender.
const (
	columnsCookie = "entadmin_columns"
	paramColumn   = "col" // the chooser's checkboxes
)

// userTag identifies the request's user in the chooser's cookie.
func userTag(r *http.Request) string {
	name := ""
	if u := UserFrom(r.Context()); u != nil {
		name = u.DisplayName()
	}
	sum := sha256.Sum256([]byte(name))
	return base64.RawURLEncoding.EncodeToString(sum[:9])
}

// hiddenColumns returns the columns the user chose to hide, among the
// available ones; never all of them.
func (r *Resource[T]) hiddenColumns(req *http.Request, available []column[T]) map[string]bool {
	c, err := req.Cookie(columnsCookie)
	if err != nil {
		return nil
	}
	tag, list, ok := strings.Cut(c.Value, "~")
	if !ok || tag != userTag(req) {
		return nil
	}
	off := map[string]bool{}
	for _, name := range strings.Split(list, ".") {
		name, err := url.PathUnescape(name)
		if err != nil {
			return nil
		}
		off[name] = true
	}
	shown := 0
	for _, c := range available {
		if !off[c.name] {
			shown++
		}
	}
	if shown == 0 {
		return nil
	}
	return off
}

// chooser returns the column chooser of a list page.
func (lc *listConfig[T]) chooser(base, query string) *views.ColumnChooser {
	if len(lc.available) < 2 {
		return nil
	}
	ch := &views.ColumnChooser{Action: base + "columns/", Return: query}
	shown := map[string]bool{}
	for _, c := range lc.columns {
		shown[c.name] = true
	}
	for _, c := range lc.available {
		ch.Columns = append(ch.Columns, views.Choice{Label: c.label, Value: c.name, Selected: shown[c.name]})
	}
	return ch
}

// serveColumns stores the columns the user chose (POST /{slug}/columns/)
// and goes back to the list with its parameters.
func (r *Resource[T]) serveColumns(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		r.m.site.error(w, req, http.StatusMethodNotAllowed, "Choose columns with the form on the list.")
		return
	}
	if !r.m.allow(w, req, ActionView) {
		return
	}
	if err := req.ParseForm(); err != nil {
		r.m.site.error(w, req, http.StatusBadRequest, "Bad form.")
		return
	}
	lc, err := r.requestList(req)
	if err != nil {
		r.m.site.serverError(w, req, err)
		return
	}
	chosen := map[string]bool{}
	for _, name := range req.PostForm[paramColumn] {
		chosen[name] = true
	}
	var off []string
	for _, c := range lc.available {
		if !chosen[c.name] {
			off = append(off, url.PathEscape(c.name))
		}
	}
	base := Prefix(req) + "/" + r.Slug + "/"
	cookie := &http.Cookie{Name: columnsCookie, Path: base, HttpOnly: true, Secure: req.TLS != nil, SameSite: http.SameSiteLaxMode, MaxAge: 400 * 24 * 3600}
	switch {
	case len(off) == 0:
		cookie.MaxAge = -1
	case len(off) == len(lc.available):
		AddMessage(w, req, views.LevelError, "Keep at least one column.")
		http.Redirect(w, req, listReturn(base, req.PostForm.Get(paramChangelistFilters)), http.StatusSeeOther)
		return
	default:
		cookie.Value = userTag(req) + "~" + strings.Join(off, ".")
	}
	http.SetCookie(w, cookie)
	http.Redirect(w, req, listReturn(base, req.PostForm.Get(paramChangelistFilters)), http.StatusSeeOther)
}
