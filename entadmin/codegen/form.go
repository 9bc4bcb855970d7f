package codegen

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// This file resolves the form options of a schema: the widgets of edges
// (AutocompleteFields, RawIDFields, FilterHorizontal, FilterVertical),
// RadioFields, PrepopulatedFields, FormfieldOverrides and SaveOnTop.

// many reports whether the field is a many-to-many edge.
func (f *adminField) many() bool { return f.Edge != nil && f.Edge.M2M() }

// formM2M reports whether a many-to-many edge is on the form: an edge.To
// always, an inverse edge (edge.From) when a dual select names it; but not
// an edge through an edge schema whose rows an inline edits (saving the
// edge would replace the rows the inline saves).
func formM2M(ann *admin.Annotation, e *gen.Edge) bool {
	if !e.M2M() {
		return false
	}
	if _, inline := e.Annotations[admin.InlineName]; inline && e.Through != nil {
		return false
	}
	return !e.IsInverse() || slices.Contains(ann.FilterHorizontal, e.Name) || slices.Contains(ann.FilterVertical, e.Name)
}

// linkForm checks the form options against the fields and sets the
// widgets they choose.
func (r *resource) linkForm(p *problems) {
	ann := r.Ann
	r.SaveOnTop = ann.SaveOnTop
	chosen := map[string]string{} // field -> the option that set its widget
	choose := func(option string, f *adminField, widget, layout string) {
		if other, ok := chosen[f.Name]; ok {
			p.add(option, "%s %q is in %s too", f.what(), f.Name, other)
			return
		}
		chosen[f.Name] = option
		f.Widget, f.Layout = widget, layout
	}
	uniqueEdge := func(f *adminField) string {
		if f.Edge == nil || f.many() {
			return "is not a unique edge"
		}
		return ""
	}
	for _, name := range r.names(p, "AutocompleteFields", ann.AutocompleteFields, uniqueEdge) {
		f := r.field(name)
		switch t := f.Target; {
		case t == nil || t.Skip:
			p.add("AutocompleteFields", "edge %q: the related type %s is not in the admin", name, f.Edge.Type.Name)
		case len(t.Ann.SearchFields) == 0:
			p.add("AutocompleteFields", "edge %q: the related type %s has no SearchFields to search in", name, f.Edge.Type.Name)
		default:
			choose("AutocompleteFields", f, string(admin.WidgetAutocomplete), "")
		}
	}
	for _, name := range r.names(p, "RawIDFields", ann.RawIDFields, uniqueEdge) {
		choose("RawIDFields", r.field(name), string(admin.WidgetRawID), "")
	}
	for _, opt := range []struct {
		name   string
		names  []string
		layout string
	}{{"FilterHorizontal", ann.FilterHorizontal, "horizontal"}, {"FilterVertical", ann.FilterVertical, "vertical"}} {
		for _, name := range r.names(p, opt.name, opt.names, func(f *adminField) string {
			if !f.many() {
				return "is not a many-to-many edge"
			}
			return ""
		}) {
			choose(opt.name, r.field(name), "", opt.layout)
		}
	}
	radios := sortedKeys(ann.RadioFields)
	for _, name := range r.names(p, "RadioFields", radios, func(f *adminField) string {
		if f.Edge != nil && !f.many() || f.Field != nil && f.Field.IsEnum() {
			return ""
		}
		return "is neither an enum field nor a unique edge"
	}) {
		choose("RadioFields", r.field(name), string(admin.WidgetRadio), string(ann.RadioFields[name]))
	}
	for _, f := range r.Fields {
		if f.many() && f.Layout == "" {
			f.Layout = "horizontal"
		}
	}
	for _, typ := range sortedKeys(ann.FormfieldOverrides) {
		w := ann.FormfieldOverrides[typ]
		matched := false
		for _, f := range r.Fields {
			if f.Field == nil || f.Field.Type.Type.ConstName() != typ {
				continue
			}
			matched = true
			if f.Widget != "" {
				continue // the field's own widget wins
			}
			if !f.widgetFits(w) {
				p.add("FormfieldOverride", "widget %q does not fit field %q of type %s", w, f.Name, f.Field.Type)
				continue
			}
			f.Widget = string(w)
		}
		if !matched && !knownType(typ) {
			p.add("FormfieldOverride", "unknown field type %q", typ)
		}
	}
	for _, target := range sortedKeys(ann.PrepopulatedFields) {
		f := r.field(target)
		switch {
		case f == nil:
			p.add("PrepopulatedFields", "unknown field %q", target)
			continue
		case !f.searchable():
			p.add("PrepopulatedFields", "target %q is not a string field", target)
			continue
		}
		f.Prepopulate = r.names(p, "PrepopulatedFields", ann.PrepopulatedFields[target], func(src *adminField) string {
			if src == f {
				return "is the target itself"
			}
			if src.Field == nil {
				return "is not a field"
			}
			return ""
		})
	}
}

// knownType reports whether s names an ent field type.
func knownType(s string) bool {
	for t := field.TypeBool; t < field.TypeOther+1; t++ {
		if t.ConstName() == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// LayoutExpr is the field's Layout, or "".
func (f *adminField) LayoutExpr() string { return f.Layout }

// PrepopulateExpr is the field's Prepopulate, or "".
func (f *adminField) PrepopulateExpr() string {
	if len(f.Prepopulate) == 0 {
		return ""
	}
	return goStrings(f.Prepopulate)
}

// TargetIDType is the Go type of an edge's related ids.
func (f *adminField) TargetIDType() string { return goType(f.Edge.Type.ID) }

// ManySetBody is the body of a many-to-many edge's Set: it adds and removes
// related ids on the entity's own mutation, so the change is saved with it.
func (f *adminField) ManySetBody(t *gen.Type) string {
	return fmt.Sprintf("d := v.(store.EdgeDiff)\nmm := m.(*ent.%s)\nmm.%s(store.Typed[%s](d.Add)...)\nmm.%s(store.Typed[%s](d.Remove)...)",
		t.MutationName(), f.Edge.MutationAdd(), f.TargetIDType(), f.Edge.MutationRemove(), f.TargetIDType())
}

// checkWidgetAttrs returns the extra input attributes of a field, and
// reports those admin.WidgetAttrs may not set or whose value does not fit.
func checkWidgetAttrs(p *problems, fieldName string, attrs map[string]string) map[string]string {
	for _, name := range slices.Sorted(maps.Keys(attrs)) {
		whole, ok := admin.WidgetAttrNames[name]
		switch {
		case !ok:
			p.add("WidgetAttrs", "attribute %q of field %q is not one of %s", name, fieldName, strings.Join(slices.Sorted(maps.Keys(admin.WidgetAttrNames)), ", "))
		case whole:
			if n, err := strconv.Atoi(attrs[name]); err != nil || n < 1 {
				p.add("WidgetAttrs", "attribute %q of field %q is %q, want a whole number above 0", name, fieldName, attrs[name])
			}
		}
	}
	return attrs
}
