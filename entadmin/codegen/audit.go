package codegen

import (
	"fmt"
	"strings"

	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"
)

// The methods in this file feed the generated glue of save hooks, the
// audit log and optimistic locking.

// opaque reports whether the audit log records only that the field changed,
// never its values: sensitive fields and raw bytes.
func opaque(f *gen.Field) bool {
	return f.Sensitive() || f.Type.Type == field.TypeBytes
}

// unaudited reports whether the field is annotated admin.NoAudit: left out
// of the audit log and the version.
func unaudited(f *gen.Field) bool {
	a, err := decode(f.Annotations)
	return err == nil && a.NoAudit
}

// ValuesBody is the body of the resource's Values: a map of every field's
// value, opaque and unaudited fields left out.
func (r *resource) ValuesBody() string {
	var b strings.Builder
	b.WriteString("return map[string]any{\n")
	for _, f := range r.T.Fields {
		if opaque(f) || unaudited(f) {
			continue
		}
		sf := "e." + f.StructField()
		if f.Nillable && f.Type.RType == nil || f.NillableValue() {
			sf = "store.Deref(" + sf + ")"
		}
		fmt.Fprintf(&b, "%q: %s,\n", f.Name, sf)
	}
	b.WriteString("}")
	return b.String()
}

// Unaudited lists the fields annotated admin.NoAudit.
func (r *resource) Unaudited() []string {
	var names []string
	for _, f := range r.T.Fields {
		if unaudited(f) {
			names = append(names, f.Name)
		}
	}
	return names
}

// Opaque lists the fields the audit log records without values.
func (r *resource) Opaque() []string {
	var names []string
	for _, f := range r.T.Fields {
		if opaque(f) && !unaudited(f) {
			names = append(names, f.Name)
		}
	}
	return names
}

// FieldEdges lists the edges whose foreign key is a field of the type: the
// audit log records the field, not the edge.
func (r *resource) FieldEdges() []string {
	var names []string
	for _, e := range r.T.Edges {
		if e.Field() != nil {
			names = append(names, e.Name)
		}
	}
	return names
}

// checkVersionField checks admin.VersionField: a time or integer field.
func (r *resource) checkVersionField(p *problems) {
	name := r.Ann.VersionField
	if name == "" {
		return
	}
	for _, f := range r.T.Fields {
		if f.Name != name {
			continue
		}
		if f.Type.Type != field.TypeTime && !f.Type.Type.Integer() {
			p.add("VersionField", "field %q is %s; want a time or an integer", name, f.Type)
		}
		if opaque(f) {
			p.add("VersionField", "field %q is sensitive", name)
		}
		r.Version = f
		return
	}
	p.add("VersionField", "unknown field %q", name)
}

// VersionBody is the body of the resource's Version, or "" when the
// runtime hashes the values.
func (r *resource) VersionBody() string {
	if r.Version == nil {
		return ""
	}
	sf := "e." + r.Version.StructField()
	if r.Version.Nillable {
		sf = "store.Deref(" + sf + ")"
	}
	return "return store.VersionString(" + sf + ")"
}
