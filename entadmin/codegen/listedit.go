package codegen

import (
	"slices"

	"entgo.io/ent/schema/field"
)

// listEditable checks admin.ListEditable: every name a field column of
// ListDisplay (not an edge path, not a computed column) that does not link
// to the form and that a save can write.
func (r *resource) listEditable(p *problems) []string {
	var out []string
	for _, name := range r.Ann.ListEditable {
		f := r.field(name)
		switch {
		case f == nil:
			p.add("ListEditable", "unknown field %q", name)
		case !slices.Contains(r.ListDisplay, f.Name):
			p.add("ListEditable", "%s %q is not in ListDisplay", f.what(), name)
		case slices.Contains(r.Links, f.Name):
			p.add("ListEditable", "%s %q links to the form (ListDisplayLinks; by default the first column); link another column", f.what(), name)
		case r.ReadOnly[f.Name]:
			p.add("ListEditable", "%s %q is read-only", f.what(), name)
		case f.Field != nil && f.Field.Immutable:
			p.add("ListEditable", "field %q is immutable", name)
		case f.Field != nil && f.Field.Type.Type == field.TypeJSON:
			p.add("ListEditable", "field %q of type %s cannot be edited in a list cell", name, f.Field.Type)
		case slices.Contains(out, f.Name):
			p.add("ListEditable", "field %q is named twice", name)
		default:
			out = append(out, f.Name)
		}
	}
	return out
}
