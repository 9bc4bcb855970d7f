package codegen

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"

	"github.com/entadmin/entadmin/entadmin/admin"
	"github.com/entadmin/entadmin/internal/sentence"
)

// resource is what the templates need to know of one ent type.
type resource struct {
	T           *gen.Type
	Slug        string
	Label       string
	LabelPlural string
	Fields      []*adminField
	Ann         *admin.Annotation
	Display     *gen.Field    // the field naming an entity, or nil for its id
	EagerTree   []*eagerNode  // edges the list shows, loaded with the rows
	Paths       []*pathColumn // columns and filters that follow edges
	Computed    []string      // computed columns declared with admin.Computed
	SortableBy  []string      // columns whose headers sort; nil for all
	byType      map[*gen.Type]*resource
	Related     []*related // edges a delete affects
	Fieldsets   []admin.FieldsetSpec
	ListDisplay []string
	Links       []string
	Ordering    []string
	PerPage     int
	EmptyValue  string
	ReadOnly    map[string]bool
	Skip        bool
	SaveOnTop   bool
	Imports     []string   // packages of the fields' Go types
	Version     *gen.Field // the field named by admin.VersionField, or nil

	// Inlines.
	Inlines []*inlineSpec // edges edited on the form

	ListEditable []string // columns edited in place (listedit.go)
}

// adminField is a field or a unique edge as the admin shows it.
type adminField struct {
	Name     string
	Label    string
	Help     string
	Widget   string
	ReadOnly bool
	Empty    string     // shown when the value is not set; "" for the resource's
	Field    *gen.Field // nil for edges
	Edge     *gen.Edge  // nil for fields
	Target   *resource  // edges: the related type
	Bounds   bounds     // numbers: the limits of ent's validators

	// Set by the form options (see form.go).

	Attrs       map[string]string // extra attributes of the input (admin.WidgetAttrs)
	Layout      string            // radio buttons and dual selects: "horizontal" or "vertical"
	Prepopulate []string          // the fields this one is filled from as the user types
}

// related is an edge whose rows a delete of the entity affects.
type related struct {
	Edge   *gen.Edge
	Effect string
}

// kind returns the entadmin.Kind constant of the field.
func (f *adminField) kind() string {
	if f.Edge != nil {
		if f.Edge.M2M() {
			return "KindEdges"
		}
		return "KindEdge"
	}
	switch t := f.Field.Type.Type; {
	case t == field.TypeString:
		if f.Widget == "textarea" || f.Field.Column().Size >= math.MaxUint16 {
			return "KindText"
		}
		return "KindString"
	case t == field.TypeBool:
		return "KindBool"
	case t == field.TypeTime:
		return "KindTime"
	case t == field.TypeEnum:
		return "KindEnum"
	case t == field.TypeJSON:
		return "KindJSON"
	case t == field.TypeFloat32 || t == field.TypeFloat64:
		return "KindFloat"
	case t.Integer():
		return "KindInt"
	default:
		return "KindOther"
	}
}

// maxLen is the longest string the field's column holds, or 0.
func (f *adminField) maxLen() int64 {
	if f.Field == nil || f.Field.Type.Type != field.TypeString {
		return 0
	}
	if size := f.Field.Column().Size; size < math.MaxUint16 {
		return size
	}
	return 0
}

// orderable reports whether the list can sort by the field.
func (f *adminField) orderable() bool {
	if f.many() {
		return false
	}
	if f.Edge != nil {
		return f.Target != nil && f.Target.Display != nil
	}
	switch f.Field.Type.Type {
	case field.TypeJSON, field.TypeBytes:
		return false
	}
	return true
}

// filterable reports whether the list's sidebar can filter on the field.
func (f *adminField) filterable() bool {
	if f.Edge != nil {
		return !f.many()
	}
	switch f.Field.Type.Type {
	case field.TypeBool, field.TypeEnum, field.TypeString, field.TypeTime:
		return true
	}
	return false
}

func (f *adminField) searchable() bool {
	return f.Field != nil && f.Field.Type.Type == field.TypeString
}

// widgetFits reports whether a widget suits the field's type.
func (f *adminField) widgetFits(w admin.WidgetKind) bool {
	if f.Edge != nil {
		switch w {
		case admin.WidgetSelect, admin.WidgetRadio, admin.WidgetAutocomplete, admin.WidgetRawID:
			return !f.many()
		}
		return false
	}
	t := f.Field.Type.Type
	switch w {
	case admin.WidgetRadio:
		return t == field.TypeEnum
	case admin.WidgetJSON:
		return t == field.TypeJSON
	case admin.WidgetText, admin.WidgetTextarea, admin.WidgetPassword, admin.WidgetColor:
		return t == field.TypeString
	case admin.WidgetNumber:
		return t.Numeric()
	case admin.WidgetToggle, admin.WidgetCheckbox:
		return t == field.TypeBool
	case admin.WidgetSelect:
		return t == field.TypeEnum
	case admin.WidgetDate, admin.WidgetDateTime:
		return t == field.TypeTime
	}
	return false
}

// decode reads entadmin's annotation from an annotation map.
func decode(ants gen.Annotations) (*admin.Annotation, error) {
	a := &admin.Annotation{}
	raw, ok := ants[admin.Name]
	if !ok {
		return a, nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, a); err != nil {
		return nil, err
	}
	return a, nil
}

// problems collects the configuration errors of one type.
type problems struct {
	t    *gen.Type
	errs []error
}

func (p *problems) add(option, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	where := p.t.Name
	if pos := p.t.Pos(); pos != "" {
		where = pos + ": " + where
	}
	if option != "" {
		msg = "admin." + option + ": " + msg
	}
	p.errs = append(p.errs, fmt.Errorf("%s: %s", where, msg))
}

// buildResources decodes and validates the annotations of every type of the
// graph. It returns every problem found, not only the first.
func buildResources(g *gen.Graph) ([]*resource, error) {
	var (
		all    []*resource
		byType = map[*gen.Type]*resource{}
		errs   []error
		slugs  = map[string]string{}
	)
	src := sourceBounds{}
	for _, t := range g.Nodes {
		p := &problems{t: t}
		r := newResource(t, p)
		if r != nil {
			r.readBounds(src)
			all = append(all, r)
			byType[t] = r
			if !r.Skip {
				if other, ok := slugs[r.Slug]; ok {
					p.add("Slug", "slug %q is used by %s too", r.Slug, other)
				}
				slugs[r.Slug] = t.Name
			}
		}
		errs = append(errs, p.errs...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	for _, r := range all {
		p := &problems{t: r.T}
		r.link(byType, p)
		r.linkInlines(byType, p)
		r.linkListSpeed(p)
		errs = append(errs, p.errs...)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return all, nil
}

// newResource builds the fields of t and checks its field and edge
// annotations.
func newResource(t *gen.Type, p *problems) *resource {
	ann, err := decode(t.Annotations)
	if err != nil {
		p.add("", "decode annotation: %v", err)
		return nil
	}
	if err := ann.Err(); err != nil {
		p.add("", "%v", err)
	}
	r := &resource{
		T:           t,
		Ann:         ann,
		Skip:        ann.Skip,
		Slug:        ann.Slug,
		Label:       ann.Label,
		LabelPlural: ann.LabelPlural,
		PerPage:     ann.ListPerPage,
		EmptyValue:  ann.EmptyValue,
		ReadOnly:    map[string]bool{},
	}
	if r.Slug == "" {
		r.Slug = strings.ToLower(t.Name)
	}
	if r.Label == "" {
		r.Label = words(t.Name)
	}
	if r.LabelPlural == "" {
		r.LabelPlural = pluralize(r.Label)
	}
	if r.PerPage == 0 {
		r.PerPage = 25
	}
	if r.EmptyValue == "" {
		r.EmptyValue = "-"
	}
	excluded := map[string]bool{}
	for _, f := range t.Fields {
		fa, err := decode(f.Annotations)
		if err != nil {
			p.add("", "field %q: decode annotation: %v", f.Name, err)
			continue
		}
		if err := fa.Err(); err != nil {
			p.add("", "field %q: %v", f.Name, err)
		}
		if f.IsEdgeField() {
			continue // the edge stands for it
		}
		if f.Sensitive() || fa.Hidden || f.Type.Type == field.TypeBytes {
			excluded[f.Name] = true
			continue
		}
		af := &adminField{Name: f.Name, Field: f, Label: fa.Label, Help: fa.HelpText, ReadOnly: fa.ReadOnly, Empty: fa.EmptyValue}
		if af.Help == "" {
			af.Help = f.Comment()
		}
		if fa.Widget != "" {
			if !af.widgetFits(fa.Widget) {
				p.add("Widget", "widget %q does not fit field %q of type %s", fa.Widget, f.Name, f.Type)
			}
			af.Widget = string(fa.Widget)
		}
		af.Attrs = checkWidgetAttrs(p, f.Name, fa.WidgetAttrs)
		r.Fields = append(r.Fields, af)
	}
	for _, e := range t.Edges {
		ea, err := decode(e.Annotations)
		if err != nil {
			p.add("", "edge %q: decode annotation: %v", e.Name, err)
			continue
		}
		if err := ea.Err(); err != nil {
			p.add("", "edge %q: %v", e.Name, err)
		}
		if !(e.Unique && e.OwnFK() || formM2M(ann, e)) || ea.Hidden {
			continue
		}
		af := &adminField{Name: e.Name, Edge: e, Label: ea.Label, Help: ea.HelpText, ReadOnly: ea.ReadOnly, Empty: ea.EmptyValue}
		if af.Help == "" {
			af.Help = e.Comment()
		}
		if ea.Widget != "" {
			if !af.widgetFits(ea.Widget) {
				p.add("Widget", "widget %q does not fit edge %q", ea.Widget, e.Name)
			}
			af.Widget = string(ea.Widget)
		}
		if f := e.Field(); f != nil {
			// Put the edge where its field is.
			i := slices.IndexFunc(r.Fields, func(x *adminField) bool {
				return x.Field != nil && x.Field.Position != nil && f.Position != nil && x.Field.Position.Index > f.Position.Index
			})
			if i >= 0 {
				r.Fields = slices.Insert(r.Fields, i, af)
				continue
			}
		}
		r.Fields = append(r.Fields, af)
	}
	for _, af := range r.Fields {
		if af.Label == "" {
			af.Label = capitalize(words(af.Name))
		}
	}
	for _, name := range ann.ExcludeFields {
		if r.field(name) == nil && !excluded[name] {
			p.add("ExcludeFields", "unknown field %q", name)
			continue
		}
		excluded[name] = true
	}
	r.Fields = slices.DeleteFunc(r.Fields, func(f *adminField) bool { return excluded[f.Name] })
	return r
}

// field returns the admin field named name; an edge field's name stands for
// its edge.
func (r *resource) field(name string) *adminField {
	for _, f := range r.Fields {
		if f.Name == name {
			return f
		}
		if f.Edge != nil {
			if ef := f.Edge.Field(); ef != nil && ef.Name == name {
				return f
			}
		}
	}
	return nil
}

// names resolves the names of one option, reporting unknown ones.
func (r *resource) names(p *problems, option string, names []string, ok func(*adminField) string) []string {
	var out []string
	seen := map[string]bool{}
	for _, name := range names {
		f := r.field(name)
		if f == nil {
			p.add(option, "unknown field %q", name)
			continue
		}
		if ok != nil {
			if why := ok(f); why != "" {
				p.add(option, "%s %q %s", f.what(), name, why)
				continue
			}
		}
		if seen[f.Name] {
			p.add(option, "field %q is named twice", name)
			continue
		}
		seen[f.Name] = true
		out = append(out, f.Name)
	}
	return out
}

func (f *adminField) what() string {
	if f.Edge != nil {
		return "edge"
	}
	return "field"
}

// reserved are list query parameters that a filter cannot use as its name.
var reserved = map[string]bool{"q": true, "o": true, "p": true, "col": true, "_changelist_filters": true}

// link resolves the schema-level annotation against the fields and the
// other types.
func (r *resource) link(byType map[*gen.Type]*resource, p *problems) {
	ann := r.Ann
	r.checkVersionField(p)
	for _, f := range r.Fields {
		if f.Edge != nil {
			f.Target = byType[f.Edge.Type]
		}
	}
	if ann.DisplayField != "" {
		f := r.field(ann.DisplayField)
		switch {
		case f == nil:
			p.add("DisplayField", "unknown field %q", ann.DisplayField)
		case !f.searchable():
			p.add("DisplayField", "field %q is not a string", ann.DisplayField)
		default:
			r.Display = f.Field
		}
	} else {
		for _, name := range []string{"name", "title", "username", "label", "slug"} {
			if f := r.field(name); f != nil && f.searchable() && !f.Field.Optional {
				r.Display = f.Field
				break
			}
		}
	}

	r.byType = byType
	r.Computed = r.computedNames(p)
	if len(ann.ListDisplay) > 0 {
		r.ListDisplay = r.columns(p, ann.ListDisplay)
	} else {
		for _, f := range r.Fields {
			if (f.Field == nil || f.Field.Type.Type != field.TypeJSON) && !f.many() {
				r.ListDisplay = append(r.ListDisplay, f.Name)
			}
		}
	}
	switch {
	case ann.NoListLinks:
	case len(ann.ListDisplayLinks) > 0:
		r.Links = r.inListDisplay(p, "ListDisplayLinks", ann.ListDisplayLinks)
	case len(r.ListDisplay) > 0:
		r.Links = r.ListDisplay[:1]
	}
	r.listFilter(p, func(f *adminField) string {
		if !f.filterable() {
			return fmt.Sprintf("of type %s cannot be filtered (want bool, enum, string, time or a unique edge)", f.Field.Type)
		}
		if reserved[f.Name] {
			return "has a name reserved for list parameters (q, o, p)"
		}
		return ""
	})
	r.names(p, "SearchFields", searchNames(ann.SearchFields), func(f *adminField) string {
		if !f.searchable() {
			if f.Edge != nil {
				return "is not a string field"
			}
			return fmt.Sprintf("is not a string field (it is %s)", f.Field.Type)
		}
		return ""
	})
	if len(ann.Ordering) > 0 {
		var names []string
		desc := map[string]bool{}
		for _, o := range ann.Ordering {
			name, d := strings.CutPrefix(o, "-")
			names = append(names, name)
			desc[name] = d
		}
		for _, name := range r.names(p, "Ordering", names, func(f *adminField) string {
			if !f.orderable() {
				return "is not orderable"
			}
			return ""
		}) {
			if desc[name] {
				name = "-" + name
			}
			r.Ordering = append(r.Ordering, name)
		}
	}
	for _, name := range r.names(p, "ReadOnlyFields", ann.ReadOnlyFields, nil) {
		r.ReadOnly[name] = true
	}
	for _, f := range r.Fields {
		if f.ReadOnly {
			r.ReadOnly[f.Name] = true
		}
	}
	seen := map[string]string{}
	for _, fs := range ann.Fieldsets {
		var names []string
		for _, name := range fs.Fields {
			f := r.field(name)
			if f == nil {
				p.add("Fieldsets", "fieldset %q: unknown field %q", fs.Title, name)
				continue
			}
			if other, ok := seen[f.Name]; ok {
				p.add("Fieldsets", "fieldset %q: duplicate entry %q (already in fieldset %q)", fs.Title, name, other)
				continue
			}
			seen[f.Name] = fs.Title
			names = append(names, f.Name)
		}
		fs.Fields = names
		r.Fieldsets = append(r.Fieldsets, fs)
	}
	r.SortableBy = r.inListDisplay(p, "SortableBy", ann.SortableBy)
	r.ListEditable = r.listEditable(p)
	r.linkForm(p)
	for _, name := range r.ListDisplay {
		if f := r.field(name); f != nil && f.Edge != nil {
			addEager(&r.EagerTree, []*gen.Edge{f.Edge})
		} else if pc := r.path(name); pc != nil {
			addEager(&r.EagerTree, pc.Edges)
		}
	}
	for _, e := range r.T.Edges {
		switch {
		case e.M2M() && e.Through != nil:
			// The join rows are entities of an edge schema, reported by
			// the one-to-many edge to them that ent adds.
		case e.M2M():
			r.Related = append(r.Related, &related{Edge: e, Effect: "EffectUnlinked"})
		case e.O2M() || e.O2O() && !e.OwnFK():
			r.Related = append(r.Related, &related{Edge: e, Effect: deleteEffect(e)})
		}
	}
}

// deleteEffect tells what deleting an entity does to the rows an O2M or O2O
// edge reaches, by the foreign key's ON DELETE as ent's migration creates it.
func deleteEffect(e *gen.Edge) string {
	action := ""
	for _, x := range []*gen.Edge{e, e.Ref} {
		if x == nil {
			continue
		}
		if ant := x.EntSQL(); ant != nil && ant.OnDelete != "" {
			action = string(ant.OnDelete)
		}
	}
	required := e.Ref != nil && !e.Ref.Optional
	switch {
	case action == "CASCADE":
		return "EffectDeleted"
	case action == "SET NULL" || action == "" && !required:
		return "EffectUnlinked"
	default:
		return "EffectProtected"
	}
}

// words turns "cost_price" and "ProductImage" into "cost price" and
// "product image".
func words(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, c := range rs {
		switch {
		case c == '_' || c == '-':
			b.WriteByte(' ')
		case unicode.IsUpper(c):
			if i > 0 && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) && rs[i-1] != '_' {
				b.WriteByte(' ')
			}
			b.WriteRune(unicode.ToLower(c))
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// capitalize writes a label in sentence case (see package sentence).
func capitalize(s string) string { return sentence.Case(s) }

// pluralize is ent's own plural of English words.
var pluralize = gen.Funcs["plural"].(func(string) string)
