package entadmin

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/entadmin/entadmin/views"
)

// The column chooser remembers, per user and list, the columns the user
// hid. With an Authorizer that stores preferences (auth's does, in a column
// of the user's row, read by the session lookup) the choice follows the
// user to every browser at no statement per list page. Otherwise it is
// kept in a cookie scoped to the list's path, whose value names the user
// (by a hash of their display name), so that another user of the same
// browser starts with every column. Either way it is only ever read against
// the list's allowed columns, so a forged value can only hide columns from
// its sender.
const (
	columnsCookie = "entadmin_columns"
	paramColumn   = "col" // the chooser's checkboxes
)

// PreferenceUser is a User who carries their admin settings, such as the
// columns hidden in each list: Preference returns the setting of the key
// ("" when unset).
type PreferenceUser interface {
	User
	Preference(key string) string
}

// PreferenceStore is implemented by Authorizers that store the settings of
// their PreferenceUsers; an empty value removes the setting. The site calls
// it only for the request's own user, with a context in which row scopes
// do not apply (see Unscoped): a user may keep their own settings whatever
// their permissions on users.
type PreferenceStore interface {
	SetPreference(ctx context.Context, u User, key, value string) error
}

// columnsKey is the preference key of the columns hidden in a list.
func columnsKey(slug string) string { return "columns:" + slug }

// preferences returns the store and user that keep the settings of req's
// user, if the site's Authorizer stores them.
func (s *Site) preferences(req *http.Request) (PreferenceStore, PreferenceUser, bool) {
	store, ok := s.auth.(PreferenceStore)
	if !ok {
		return nil, nil, false
	}
	u, ok := UserFrom(req.Context()).(PreferenceUser)
	return store, u, ok
}

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
	var list string
	if _, u, ok := r.m.site.preferences(req); ok {
		list = u.Preference(columnsKey(r.Slug))
	} else {
		c, err := req.Cookie(columnsCookie)
		if err != nil {
			return nil
		}
		tag, value, ok := strings.Cut(c.Value, "~")
		if !ok || tag != userTag(req) {
			return nil
		}
		list = value
	}
	if list == "" {
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
	ch := &views.ColumnChooser{Action: base + "columns/", Return: query, Columns: make([]views.Choice, len(lc.available))}
	for i, c := range lc.available {
		shown := slices.ContainsFunc(lc.columns, func(s column[T]) bool { return s.name == c.name })
		ch.Columns[i] = views.Choice{Label: c.label, Value: c.name, Selected: shown}
	}
	return ch
}

// serveColumns stores the columns the user chose (POST /{slug}/columns/)
// and goes back to the list with its parameters.
func (r *Resource[T]) serveColumns(w http.ResponseWriter, req *http.Request) error {
	if req.Method != http.MethodPost {
		return refuse(http.StatusMethodNotAllowed, "Choose columns with the form on the list.")
	}
	if err := r.m.check(req, ActionView); err != nil {
		return err
	}
	if err := req.ParseForm(); err != nil {
		return refuse(http.StatusBadRequest, "Bad form.")
	}
	lc, err := r.requestList(req)
	if err != nil {
		return err
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
	back := listReturn(base, req.PostForm.Get(paramChangelistFilters))
	if len(off) == len(lc.available) {
		AddMessage(w, req, views.LevelError, "Keep at least one column.")
		http.Redirect(w, req, back, http.StatusSeeOther)
		return nil
	}
	list := strings.Join(off, ".")
	if store, u, ok := r.m.site.preferences(req); ok {
		// The setting is the request's own user's: their row scope on
		// users, if any, does not apply to it.
		if err := store.SetPreference(Unscoped(req.Context()), u, columnsKey(r.Slug), list); err != nil {
			return err
		}
		http.Redirect(w, req, back, http.StatusSeeOther)
		return nil
	}
	cookie := &http.Cookie{Name: columnsCookie, Path: base, HttpOnly: true, Secure: SecureRequest(req), SameSite: http.SameSiteLaxMode, MaxAge: 400 * 24 * 3600}
	if list == "" {
		cookie.MaxAge = -1
	} else {
		cookie.Value = userTag(req) + "~" + list
	}
	http.SetCookie(w, cookie)
	http.Redirect(w, req, back, http.StatusSeeOther)
	return nil
}
