package codegen

import (
	"encoding/json"
	"slices"
	"strings"

	"entgo.io/ent/entc/gen"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// inlineSpec is an inline of a resource's form: the children an edge
// reaches, edited with the parent.
type inlineSpec struct {
	Edge      *gen.Edge // one-to-many: to the children, or to the join rows of an edge schema
	Ref       *gen.Edge // the child's edge back to the parent
	Child     *resource
	Ann       *admin.InlineAnnotation
	Title     string
	Fields    []string
	ReadOnly  []string
	Extra     int
	Ordering  []string
	SortField string
	Eager     []*gen.Edge // the child's unique edges shown, loaded with the rows
}

// decodeInline reads the inline annotation of an edge, nil when there is
// none.
func decodeInline(ants gen.Annotations) (*admin.InlineAnnotation, error) {
	raw, ok := ants[admin.InlineName]
	if !ok {
		return nil, nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	a := &admin.InlineAnnotation{}
	if err := json.Unmarshal(b, a); err != nil {
		return nil, err
	}
	return a, nil
}

// linkInlines resolves the inline annotations of r's edges against the
// child types.
func (r *resource) linkInlines(byType map[*gen.Type]*resource, p *problems) {
	for _, e := range r.T.Edges {
		ann, err := decodeInline(e.Annotations)
		if err != nil {
			p.add("Inline", "edge %q: decode annotation: %v", e.Name, err)
			continue
		}
		if ann == nil {
			continue
		}
		if err := ann.Err(); err != nil {
			p.add("Inline", "edge %q: %v", e.Name, err)
			continue
		}
		if e.M2M() && e.Through != nil {
			continue // the edge to the join rows, which ent adds, carries the inline
		}
		if spec := r.inline(e, ann, byType, p); spec != nil {
			r.Inlines = append(r.Inlines, spec)
		}
	}
}

// inline checks one inline annotation and resolves its names.
func (r *resource) inline(e *gen.Edge, ann *admin.InlineAnnotation, byType map[*gen.Type]*resource, p *problems) *inlineSpec {
	switch {
	case e.M2M():
		p.add("Inline", "edge %q is many-to-many without an edge schema; an inline needs a one-to-many edge, or a many-to-many edge Through an edge schema", e.Name)
		return nil
	case !e.O2M():
		p.add("Inline", "edge %q is %s; an inline needs a one-to-many edge, or a many-to-many edge Through an edge schema", e.Name, e.Rel.Type)
		return nil
	case e.Ref == nil:
		p.add("Inline", "edge %q: type %s has no edge back to %s (add edge.From(...).Ref(%q).Unique() to %s)", e.Name, e.Type.Name, r.T.Name, e.Name, e.Type.Name)
		return nil
	case !e.Type.HasOneFieldID():
		p.add("Inline", "edge %q: type %s has a composite id; inline rows need an id of their own", e.Name, e.Type.Name)
		return nil
	}
	child := byType[e.Type]
	if child == nil || child.Skip {
		p.add("Inline", "edge %q: type %s is not in the admin (admin.Skip)", e.Name, e.Type.Name)
		return nil
	}
	s := &inlineSpec{Edge: e, Ref: e.Ref, Child: child, Ann: ann, Title: ann.Title, Extra: 1}
	if s.Title == "" {
		s.Title = capitalize(words(e.Name))
	}
	if ann.Extra != nil {
		s.Extra = *ann.Extra
	}
	if ann.Max > 0 && ann.Min > ann.Max {
		p.add("Inline", "edge %q: min %d is above max %d", e.Name, ann.Min, ann.Max)
	}
	parent := child.field(e.Ref.Name)
	check := func(option, name string) *adminField {
		f := child.field(name)
		switch {
		case f == nil:
			p.add("Inline", "edge %q: %s: unknown field %q of %s", e.Name, option, name, e.Type.Name)
		case f == parent:
			p.add("Inline", "edge %q: %s: %q is the edge back to %s, which is set to the parent automatically", e.Name, option, name, r.T.Name)
			f = nil
		}
		return f
	}
	if ann.SortField != "" {
		f := check("Sortable", ann.SortField)
		switch {
		case f == nil:
		case f.Field == nil || !f.Field.Type.Type.Integer():
			p.add("Inline", "edge %q: Sortable: field %q of %s is not an integer field", e.Name, ann.SortField, e.Type.Name)
		default:
			s.SortField = f.Name
		}
	}
	if len(ann.Fields) > 0 {
		for _, name := range ann.Fields {
			if f := check("WithFields", name); f != nil {
				if slices.Contains(s.Fields, f.Name) {
					p.add("Inline", "edge %q: WithFields: field %q is named twice", e.Name, name)
					continue
				}
				s.Fields = append(s.Fields, f.Name)
			}
		}
	} else {
		for _, f := range child.Fields {
			if f != parent && f.Name != s.SortField {
				s.Fields = append(s.Fields, f.Name)
			}
		}
	}
	s.Fields = slices.DeleteFunc(s.Fields, func(name string) bool { return name == s.SortField })
	for _, name := range ann.ReadOnlyFields {
		if f := check("ReadOnly", name); f != nil {
			if !slices.Contains(s.Fields, f.Name) {
				p.add("Inline", "edge %q: ReadOnly: field %q is not one of the inline's fields", e.Name, name)
				continue
			}
			s.ReadOnly = append(s.ReadOnly, f.Name)
		}
	}
	for _, o := range ann.Ordering {
		name, desc := strings.CutPrefix(o, "-")
		f := check("OrderBy", name)
		switch {
		case f == nil:
		case f.Edge != nil || !f.orderable():
			p.add("Inline", "edge %q: OrderBy: %s %q is not orderable", e.Name, f.what(), name)
		default:
			if desc {
				s.Ordering = append(s.Ordering, "-"+f.Name)
			} else {
				s.Ordering = append(s.Ordering, f.Name)
			}
		}
	}
	for _, name := range s.Fields {
		if f := child.field(name); f != nil && f.Edge != nil {
			s.Eager = append(s.Eager, f.Edge)
		}
	}
	return s
}

// WithEdges returns the eager loads of the rows' query.
func (s *inlineSpec) WithEdges() string {
	var b strings.Builder
	for _, e := range s.Eager {
		b.WriteString(".With" + pascal(e.Name) + "()")
	}
	return b.String()
}
