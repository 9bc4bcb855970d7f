package codegen

import (
	"slices"
	"strings"
)

// computedNames checks the names declared with admin.Computed.
func (r *resource) computedNames(p *problems) []string {
	var out []string
	for _, name := range r.Ann.Computed {
		switch {
		case strings.ContainsAny(name, ".^=@-, "):
			p.add("Computed", "%q is not a column name (want letters, digits and '_')", name)
		case r.field(name) != nil || edgeOf(r.T, name) != nil:
			p.add("Computed", "%q is the name of a field or edge; pick another name for the computed column", name)
		case slices.Contains(out, name):
			p.add("Computed", "%q is declared twice", name)
		default:
			out = append(out, name)
		}
	}
	return out
}

// columns resolves the names of ListDisplay: fields and edges, edge paths,
// and computed columns.
func (r *resource) columns(p *problems, names []string) []string {
	var out []string
	for _, name := range names {
		col := name
		switch f := r.field(name); {
		case f != nil && !f.many(): // a many-to-many edge is a path column
			col = f.Name
		case slices.Contains(r.Computed, name):
		default:
			pc, ok := r.addPath(p, "ListDisplay", name)
			if !ok {
				continue
			}
			col = pc.Name
		}
		if slices.Contains(out, col) {
			p.add("ListDisplay", "field %q is named twice", name)
			continue
		}
		out = append(out, col)
	}
	return out
}

// addPath resolves an edge path and records it; it reports unknown names
// and bad paths.
func (r *resource) addPath(p *problems, option, name string) (*pathColumn, bool) {
	if pc := r.path(name); pc != nil {
		return pc, true
	}
	pc, why := resolvePath(r.T, name, r.byType)
	switch {
	case why != "":
		p.add(option, "path %q: %s", name, why)
		return nil, false
	case pc == nil:
		p.add(option, "unknown field %q", name)
		return nil, false
	}
	r.Paths = append(r.Paths, pc)
	return pc, true
}

// path returns the recorded path column named name, or nil.
func (r *resource) path(name string) *pathColumn {
	for _, pc := range r.Paths {
		if pc.Name == name {
			return pc
		}
	}
	return nil
}

// inListDisplay checks that every name is a column of ListDisplay.
func (r *resource) inListDisplay(p *problems, option string, names []string) []string {
	var out []string
	for _, name := range names {
		col := name
		if f := r.field(name); f != nil {
			col = f.Name
		}
		if !slices.Contains(r.ListDisplay, col) {
			p.add(option, "field %q is not in ListDisplay", name)
			continue
		}
		out = append(out, col)
	}
	return out
}

// listFilter checks ListFilter: fields and edges (checked by ok), and edge
// paths ending on a filterable field or on an edge.
func (r *resource) listFilter(p *problems, ok func(*adminField) string) {
	var fields []string
	for _, name := range r.Ann.ListFilter {
		if f := r.field(name); f != nil && !f.many() || f == nil && !strings.Contains(name, ".") && edgeOf(r.T, name) == nil {
			fields = append(fields, name)
			continue
		}
		pc, found := r.addPath(p, "ListFilter", name)
		if found && !pc.filterable() {
			p.add("ListFilter", "path %q ends on field %q of type %s, which cannot be filtered (want bool, enum, string, time or an edge)", name, pc.Field.Name, pc.Field.Type)
		}
	}
	r.names(p, "ListFilter", fields, ok)
}

// searchNames strips the match prefixes (^ = @) of SearchFields entries.
func searchNames(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strings.TrimLeft(n, "^=@")
	}
	return out
}
