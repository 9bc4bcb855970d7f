package entadmin

import (
	"context"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/entadmin/store"
	"github.com/entadmin/entadmin/views"
)

// noneValue is how a history page shows a value that is not set, such as a
// cleared foreign key.
const noneValue = "(none)"

// refNames holds the display names of related rows that audit entries
// mention, by the related resource's slug and the row's id.
type refNames map[string]map[string]string

// want notes that the row with the id of the resource with the slug is to
// be named.
func (n refNames) want(slug, id string) {
	if slug == "" || id == "" {
		return
	}
	if n[slug] == nil {
		n[slug] = map[string]string{}
	}
	n[slug][id] = ""
}

// name returns the display name of a row, or "#id" when the user may not
// see it or it is gone.
func (n refNames) name(slug, id string) string {
	if s := n[slug][id]; s != "" {
		return s
	}
	return "#" + id
}

// changeRows formats the changes of each entry as lists format values:
// by the field's type and label, related rows by their display names as
// far as the request's user may see them. Entries about no resource of the
// site are shown as recorded.
func (s *Site) changeRows(req *http.Request, entries []AuditEntry) ([][]views.FieldChange, error) {
	names := refNames{}
	for _, e := range entries {
		if res, ok := s.bySlug[e.Resource]; ok {
			res.auditRefs(e.Changes, names)
		}
	}
	ctx := req.Context()
	for slug, ids := range names {
		res, ok := s.bySlug[slug]
		if !ok || !res.meta().can(req, ActionView) {
			continue
		}
		found, err := res.names(ctx, slices.Collect(mapKeys(ids)))
		if err != nil {
			return nil, err
		}
		names[slug] = found
	}
	out := make([][]views.FieldChange, len(entries))
	for i, e := range entries {
		if res, ok := s.bySlug[e.Resource]; ok {
			out[i] = res.formatChanges(e.Action, e.Changes, names, s.location)
		} else {
			out[i] = fieldChanges(e.Changes)
		}
	}
	return out, nil
}

// mapKeys returns the keys of m.
func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// auditField returns the field the audit log recorded a change under: by
// its name, or an edge by its foreign key.
func (r *Resource[T]) auditField(key string) *Field[T] {
	for _, f := range r.Fields {
		if f.Name == key {
			return f
		}
	}
	for _, f := range r.Fields {
		if f.Kind == KindEdge && f.Column == key {
			return f
		}
	}
	return nil
}

// auditRefs notes the related rows that changes mention: the values of
// foreign keys and the ids added to and removed from edges.
func (r *Resource[T]) auditRefs(changes map[string]Change, names refNames) {
	for key, c := range changes {
		f := r.auditField(key)
		if f == nil || f.Target == "" || c.Hidden {
			continue
		}
		for _, v := range slices.Concat([]ent.Value{c.Old, c.New}, c.Added, c.Removed) {
			if v != nil {
				names.want(f.Target, auditValue(v))
			}
		}
	}
}

// names returns the display names of the rows with the ids that the user
// in ctx may see; the others are left out.
func (r *Resource[T]) names(ctx context.Context, ids []string) (map[string]string, error) {
	var vals []any
	for _, id := range ids {
		if v, err := r.ParseID(id); err == nil {
			vals = append(vals, v)
		}
	}
	out := make(map[string]string, len(vals))
	if len(vals) == 0 {
		return out, nil
	}
	where := func(s *sql.Selector) { s.Where(sql.In(s.C(r.IDColumn), vals...)) }
	found, err := r.List(ctx, store.Query{Where: []Predicate{where}, Limit: len(vals)})
	if err != nil {
		return nil, err
	}
	for _, e := range found {
		out[r.ID(e)] = r.Display(e)
	}
	return out, nil
}

// formatChanges formats the recorded changes of an entry with the action
// in the order of the resource's fields, each under its label; keys that
// name no field come last, as recorded. An add shows the new values alone,
// a delete the last ones.
func (r *Resource[T]) formatChanges(action string, changes map[string]Change, names refNames, loc *time.Location) []views.FieldChange {
	type keyed struct {
		order int
		fc    views.FieldChange
	}
	rows := make([]keyed, 0, len(changes))
	for key, c := range changes {
		if emptyChange(c) {
			continue
		}
		f := r.auditField(key)
		if f == nil {
			fc := fieldChange(key, c)
			fc.Field = capitalize(strings.ReplaceAll(key, "_", " "))
			rows = append(rows, keyed{len(r.Fields), fc})
			continue
		}
		fc := views.FieldChange{Field: capitalize(f.Label), Hidden: c.Hidden}
		switch {
		case c.Hidden:
		case action == AuditAdd && c.Old == nil:
			fc.Value = r.auditCell(f, c.New, names, loc)
		case action == AuditDelete && c.New == nil:
			fc.Value = r.auditCell(f, c.Old, names, loc)
		default:
			fc.Old = r.auditCell(f, c.Old, names, loc)
			fc.New = r.auditCell(f, c.New, names, loc)
		}
		if s := edgeSummary(c, func(v any) string { return names.name(f.Target, auditValue(v)) }); s != "" {
			fc.Value = s
		}
		rows = append(rows, keyed{slices.Index(r.Fields, f), fc})
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].order != rows[j].order {
			return rows[i].order < rows[j].order
		}
		return rows[i].fc.Field < rows[j].fc.Field
	})
	out := make([]views.FieldChange, len(rows))
	for i, k := range rows {
		out[i] = k.fc
	}
	return out
}

// auditCell formats one recorded value of the field as the list shows it.
// Recorded values are JSON: numbers come back as float64 and times as
// RFC 3339 strings.
func (r *Resource[T]) auditCell(f *Field[T], v any, names refNames, loc *time.Location) string {
	if v == nil {
		return noneValue
	}
	switch f.Kind {
	case KindEdge:
		if v == float64(0) { // a cleared foreign key, as older entries recorded it
			return noneValue
		}
		return names.name(f.Target, auditValue(v))
	case KindInt:
		if x, ok := v.(float64); ok && x == float64(int64(x)) {
			return strconv.FormatInt(int64(x), 10)
		}
	case KindFloat:
		if x, ok := v.(float64); ok {
			return strconv.FormatFloat(x, 'f', 2, 64)
		}
	case KindBool:
		if b, ok := v.(bool); ok {
			if b {
				return "Yes"
			}
			return "No"
		}
	case KindTime:
		if s, ok := v.(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
				return t.In(loc).Format(listTimeFormat)
			}
		}
	case KindEnum, KindJSON:
		return formatOther(f, v)
	}
	return auditValue(v)
}

// edgeSummary describes the change of an edge to many, naming its rows
// with name; "" when c is no such change.
func edgeSummary(c Change, name func(any) string) string {
	join := func(vs []ent.Value) string {
		s := make([]string, len(vs))
		for i, v := range vs {
			s[i] = name(v)
		}
		return strings.Join(s, ", ")
	}
	var parts []string
	if len(c.Added) > 0 {
		parts = append(parts, "added "+join(c.Added))
	}
	if len(c.Removed) > 0 {
		parts = append(parts, "removed "+join(c.Removed))
	}
	if c.Cleared {
		parts = append(parts, "cleared")
	}
	return strings.Join(parts, "; ")
}

// emptyChange reports whether c records no change: what older versions
// stored for an edge a form saved unchanged.
func emptyChange(c Change) bool {
	return c.Old == nil && c.New == nil && !c.Hidden && len(c.Added) == 0 && len(c.Removed) == 0 && !c.Cleared
}
