package entadmin

import (
	"context"
	"net/http"
	"net/url"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/entadmin/store"
)

// ObjectRef names an object of the site: its resource's slug and its id
// as it appears in URLs.
type ObjectRef struct {
	Resource string
	ID       string
}

// ObjectURLs returns the address of each object's page (its change form,
// or the read-only detail page for view-only users) for the request's
// user, in the order of refs: "" for an object they may not view (no view
// permission on its resource, outside their row scope and object grants),
// one that no longer exists, and one of a resource that is not in the
// site. It asks the database once per resource, so that an audit log can
// link its rows without telling whether an object it does not link
// exists.
func (s *Site) ObjectURLs(req *http.Request, refs []ObjectRef) ([]string, error) {
	out := make([]string, len(refs))
	bySlug := map[string][]int{}
	for i, ref := range refs {
		if ref.ID != "" {
			bySlug[ref.Resource] = append(bySlug[ref.Resource], i)
		}
	}
	prefix := Prefix(req)
	for slug, idx := range bySlug {
		res, ok := s.bySlug[slug]
		if !ok || !res.meta().can(req, ActionView) {
			continue
		}
		ids := make([]string, len(idx))
		for j, i := range idx {
			ids[j] = refs[i].ID
		}
		found, err := res.existing(req.Context(), ids)
		if err != nil {
			return nil, err
		}
		for _, i := range idx {
			if found[refs[i].ID] {
				out[i] = prefix + "/" + slug + "/" + url.PathEscape(refs[i].ID) + "/"
			}
		}
	}
	return out, nil
}

// existing implements resource: which of the ids are rows that exist
// within the row scope of the user in ctx.
func (r *Resource[T]) existing(ctx context.Context, ids []string) (map[string]bool, error) {
	in := map[string]bool{}
	var vals []any
	for _, id := range ids {
		if _, dup := in[id]; dup {
			continue
		}
		in[id] = false
		if v, err := r.ParseID(id); err == nil {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return in, nil
	}
	where := func(s *sql.Selector) { s.Where(sql.In(s.C(r.IDColumn), vals...)) }
	found, err := r.List(ctx, store.Query{Where: []Predicate{where}, Limit: len(vals)})
	if err != nil {
		return nil, err
	}
	for _, e := range found {
		in[r.ID(e)] = true
	}
	return in, nil
}
