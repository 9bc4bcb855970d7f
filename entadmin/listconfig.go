package entadmin

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// listConfig is what one list request shows and accepts: the resource's
// list configuration for the request's columns, less what the user may not
// see.
type listConfig[T any] struct {
	columns   []column[T]
	available []column[T]          // what the column chooser offers
	filters   []*Field[T]          // fields and edge paths
	custom    []CustomFilter       // filters written in Go
	search    []searchField        // columns and how to match them
	sortable  map[string]*Field[T] // sortable names -> the field they order by
}

// column is one column of the list.
type column[T any] struct {
	name  string
	label string
	field *Field[T]          // a field or an edge path; nil for computed columns
	comp  *ComputedColumn[T] // nil for fields
	link  bool
	empty string
}

// requestList returns the list configuration of a request: the columns of
// ListDisplayFunc (or ListDisplay), those the user chose to hide left out,
// and nothing the user may not see.
func (r *Resource[T]) requestList(req *http.Request) (*listConfig[T], error) {
	names := r.ListDisplay
	if r.ListDisplayFunc != nil {
		names = r.ListDisplayFunc(req)
	}
	return r.listConfig(req, r.listHidden(req), names)
}

// listHidden returns what a list keeps from the request's user: the fields
// they may not see, and the edges to types they may not view, whose
// columns, filters and sorting would show or order what the user may not
// see.
func (r *Resource[T]) listHidden(req *http.Request) map[string]bool {
	hidden := r.hiddenFields(req)
	g := r.m.grant(req.Context())
	for _, f := range r.Fields {
		if (f.Kind == KindEdge || f.Kind == KindEdges) && !g.canViewType(f.Target) {
			if hidden == nil {
				hidden = map[string]bool{}
			}
			hidden[f.Name] = true
		}
	}
	return hidden
}

// listConfig builds the configuration for the column names, without the
// hidden fields.
func (r *Resource[T]) listConfig(req *http.Request, hidden map[string]bool, names []string) (*listConfig[T], error) {
	lc := &listConfig[T]{
		available: make([]column[T], 0, len(names)),
		sortable:  make(map[string]*Field[T], len(names)+len(r.Ordering)),
		filters:   make([]*Field[T], 0, len(r.ListFilter)),
	}
	for _, name := range names {
		c, ok, err := r.column(name, hidden)
		if err != nil {
			return nil, err
		}
		if ok {
			lc.available = append(lc.available, c)
		}
	}
	off := r.hiddenColumns(req, lc.available)
	// Editors open the edit form, view-only users the same address, which
	// shows them the read-only detail page.
	canOpen := r.m.can(req, ActionView) || r.m.can(req, ActionChange)
	linked := false
	lc.columns = make([]column[T], 0, len(lc.available))
	for _, c := range lc.available {
		if off[c.name] {
			continue
		}
		c.link = canOpen && !r.NoListLinks && slices.Contains(r.ListDisplayLinks, c.name)
		linked = linked || c.link
		lc.columns = append(lc.columns, c)
	}
	if !linked && canOpen && !r.NoListLinks && len(lc.columns) > 0 {
		lc.columns[0].link = true // the link columns were chosen away
	}
	for _, c := range lc.columns {
		if r.SortableBy != nil && !slices.Contains(r.SortableBy, c.name) {
			continue
		}
		switch {
		case c.comp != nil && c.comp.sortBy != "":
			if f := r.fields[c.comp.sortBy]; !hidden[f.Name] {
				lc.sortable[c.name] = f
			}
		case c.field != nil && c.field.Order != nil:
			lc.sortable[c.name] = c.field
		}
	}
	for _, o := range r.Ordering {
		name := strings.TrimPrefix(o, "-")
		if f := r.fields[name]; f != nil && f.Order != nil && !hidden[name] {
			lc.sortable[name] = f
		}
	}
	for _, name := range r.ListFilter {
		if f := r.fields[name]; f != nil && f.Kind != KindEdges && !hidden[name] {
			lc.filters = append(lc.filters, f)
		} else if f := r.paths[name]; f != nil && !hidden[pathHead(name)] {
			lc.filters = append(lc.filters, f)
		}
	}
	lc.custom = r.custom
	lc.search = r.searchFields(hidden)
	return lc, nil
}

// searchFields returns the fields of SearchFields that are not hidden,
// with how to match them.
func (r *Resource[T]) searchFields(hidden map[string]bool) []searchField {
	var search []searchField
	for _, name := range r.SearchFields {
		sf := parseSearchField(name)
		if f := r.fields[sf.name]; f != nil && !hidden[sf.name] {
			sf.column = f.Column
			search = append(search, sf)
		}
	}
	return search
}

// columnsErr returns the error listConfig would return for the column
// names, without building the columns.
func (r *Resource[T]) columnsErr(names []string) error {
	for _, name := range names {
		if _, _, err := r.column(name, nil); err != nil {
			return err
		}
	}
	return nil
}

// column resolves a column name: a field, an edge path or a computed
// column. ok is false when the user may not see it.
func (r *Resource[T]) column(name string, hidden map[string]bool) (c column[T], ok bool, err error) {
	f := r.fields[name]
	if f == nil || f.Kind == KindEdges && r.paths[name] != nil {
		f = r.paths[name] // a to-many path column shows a many-to-many edge
	}
	if f != nil {
		if (f.Kind == KindEdge || f.Kind == KindEdges || f.Through != nil) && !slices.Contains(r.ListDisplay, name) {
			// Only the edges of ListDisplay's columns are loaded with the page.
			return c, false, fmt.Errorf("entadmin: %s: list column %q needs edges that only ListDisplay's columns load; add it to admin.ListDisplay", r.Type, name)
		}
		return column[T]{name: name, label: f.Label, field: f, empty: f.EmptyValue}, !hidden[pathHead(name)], nil
	}
	if comp := r.computed[name]; comp != nil {
		label := comp.header
		if label == "" {
			label = capitalize(strings.ReplaceAll(name, "_", " "))
		}
		for _, n := range comp.needs {
			if hidden[n] {
				return c, false, nil
			}
		}
		return column[T]{name: name, label: label, comp: comp, empty: comp.empty}, true, nil
	}
	return c, false, fmt.Errorf("entadmin: %s: list column %q is no field, edge path or computed column", r.Type, name)
}

// pathHead is the first edge of a path, the field whose access governs it.
func pathHead(path string) string {
	head, _, _ := strings.Cut(path, ".")
	return head
}
