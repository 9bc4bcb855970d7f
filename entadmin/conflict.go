package entadmin

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/entadmin/entadmin/views"
)

// conflictWindow is how far before the posted load time the conflict
// banner looks for changes, for clocks of several instances that differ.
const conflictWindow = 2 * time.Second

// expectVersion reads the version an edit form was loaded at and returns
// the request with a context that refuses to save over a newer one (see
// ExpectVersion). "Overwrite anyway" posts the version the conflict showed
// as _overwrite: the save goes through if nobody saved since.
func (r *Resource[T]) expectVersion(req *http.Request, st *formState[T]) *http.Request {
	st.version, st.loaded = req.PostForm.Get("_version"), req.PostForm.Get("_loaded")
	if st.id == "" || st.version == "" {
		return req
	}
	v := st.version
	if ow := req.PostForm.Get("_overwrite"); ow != "" {
		v = ow
	}
	return req.WithContext(ExpectVersion(req.Context(), r.Slug, st.id, v))
}

// conflict fills in the banner of a stale save: the changes the audit log
// has of the object since the form was loaded.
func (r *Resource[T]) conflict(req *http.Request, st *formState[T], ce *ConflictError) error {
	st.conflict = &views.Conflict{Overwrite: ce.Version}
	site := r.m.site
	if site.audit == nil {
		return nil
	}
	f := AuditFilter{Resources: []string{r.Slug}, ObjectID: st.id, Limit: 20}
	if t, err := time.Parse(time.RFC3339Nano, st.loaded); err == nil {
		f.Since = t.Add(-conflictWindow)
	} else {
		f.Limit = 1
	}
	entries, err := site.audit.Entries(auditRead(req.Context()), f)
	if err == nil {
		entries, err = site.visibleEntries(req, entries)
	}
	if err != nil {
		return err
	}
	st.conflict.Rows, err = site.auditRows(req, entries, false)
	return err
}

// versionForm puts the version and the history link on an edit form. A
// form that comes back (errors, conflict) keeps the version it was first
// loaded at, so that the next save is still checked against it.
func (r *Resource[T]) versionForm(ctx context.Context, page *views.FormPage, st *formState[T]) {
	if st.id == "" {
		return
	}
	if r.m.site.audit != nil {
		page.HistoryURL = page.Prefix + "/" + r.Slug + "/" + url.PathEscape(st.id) + "/history/"
	}
	if st.readOnly || r.Values == nil {
		return
	}
	page.Conflict = st.conflict
	page.Version, page.Loaded = st.version, st.loaded
	if page.Version == "" {
		page.Version = r.VersionOf(ctx, st.entity)
		page.Loaded = time.Now().UTC().Format(time.RFC3339Nano)
	}
}
