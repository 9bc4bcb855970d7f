// Package admin is the annotation vocabulary entadmin reads from ent schemas.
//
// Annotations describe the static configuration of the admin of one ent type:
// which columns its list shows, what it can be searched and filtered on, how
// its form is laid out, and how single fields are labelled and edited.
// Behaviour (actions, hooks, computed columns) is registered in Go on the
// runtime Site instead, because closures cannot cross ent's codegen boundary.
//
// Schema level:
//
//	func (Product) Annotations() []schema.Annotation {
//		return []schema.Annotation{
//			admin.ListDisplay("name", "price", "category", "is_active"),
//			admin.ListFilter("is_active", "category", "created_at"),
//			admin.SearchFields("name", "description"),
//			admin.Ordering("-created_at"),
//			admin.Fieldsets(
//				admin.Fieldset("Product", "name", "description", "category"),
//				admin.Fieldset("Pricing", "price", "cost_price").Collapsed(),
//			),
//		}
//	}
//
// Field level:
//
//	field.String("description").Annotations(admin.Widget(admin.WidgetTextarea), admin.HelpText("Shown on the shop page."))
//
// Every name an annotation mentions is checked when `go generate` runs; a
// mistake fails code generation with the schema, the annotation and the name.
//
// This package imports only ent's schema package: ent compiles schemas, and so
// their annotations, into the user's binary.
package admin

import (
	"errors"
	"fmt"
	"strings"

	"entgo.io/ent/schema"
)

// Name is the name under which entadmin's annotation is stored on schemas,
// fields and edges.
const Name = "EntAdmin"

// WidgetKind names a form widget.
type WidgetKind string

// The form widgets a field can be rendered with.
const (
	WidgetText     WidgetKind = "text"
	WidgetTextarea WidgetKind = "textarea"
	WidgetNumber   WidgetKind = "number"
	WidgetToggle   WidgetKind = "toggle"
	WidgetCheckbox WidgetKind = "checkbox"
	WidgetSelect   WidgetKind = "select"
	WidgetDate     WidgetKind = "date"
	WidgetDateTime WidgetKind = "datetime"
	WidgetColor    WidgetKind = "color"
	WidgetPassword WidgetKind = "password"

	// Form widgets of the complete edit form.

	WidgetRadio        WidgetKind = "radio"        // enums and unique edges: one radio button per choice
	WidgetJSON         WidgetKind = "json"         // JSON fields: a text area that checks the JSON as it is typed
	WidgetAutocomplete WidgetKind = "autocomplete" // unique edges: a search input (AutocompleteFields)
	WidgetRawID        WidgetKind = "rawid"        // unique edges: the related id, a lookup link and its name (RawIDFields)
)

// Widgets lists every widget kind, in the order of the documentation.
var Widgets = []WidgetKind{
	WidgetText, WidgetTextarea, WidgetNumber, WidgetToggle, WidgetCheckbox,
	WidgetSelect, WidgetDate, WidgetDateTime, WidgetColor, WidgetPassword,
	WidgetRadio, WidgetJSON, WidgetAutocomplete, WidgetRawID,
}

// Annotation is entadmin's annotation. One value carries every option; each
// constructor of this package sets one of them, and ent merges the values
// given to one schema, field or edge into one.
type Annotation struct {
	// Schema level.

	// Skip leaves the type out of the admin.
	Skip bool `json:"skip,omitempty"`
	// Slug is the URL segment of the type (default: the lower-case type name).
	Slug string `json:"slug,omitempty"`
	// Label is the human name of a type, field or edge.
	Label string `json:"label,omitempty"`
	// LabelPlural is the plural human name of a type.
	LabelPlural string `json:"label_plural,omitempty"`
	// ListDisplay lists the columns of the list view.
	ListDisplay []string `json:"list_display,omitempty"`
	// ListDisplayLinks lists the columns that link to the edit form.
	ListDisplayLinks []string `json:"list_display_links,omitempty"`
	// NoListLinks turns the links of the list view off.
	NoListLinks bool `json:"no_list_links,omitempty"`
	// ListFilter lists the fields and edges of the filter sidebar.
	ListFilter []string `json:"list_filter,omitempty"`
	// SearchFields lists the string fields the search box looks in.
	SearchFields []string `json:"search_fields,omitempty"`
	// Ordering is the default ordering; a leading "-" sorts descending.
	Ordering []string `json:"ordering,omitempty"`
	// ListPerPage is the page size of the list view (default 25).
	ListPerPage int `json:"list_per_page,omitempty"`
	// ReadOnlyFields lists fields shown on the form but not editable.
	ReadOnlyFields []string `json:"readonly_fields,omitempty"`
	// ExcludeFields lists fields left out of the list and the form.
	ExcludeFields []string `json:"exclude_fields,omitempty"`
	// Fieldsets groups the form's fields.
	Fieldsets []FieldsetSpec `json:"fieldsets,omitempty"`
	// EmptyValue is shown for a value that is not set (default "-").
	EmptyValue string `json:"empty_value,omitempty"`
	// DisplayField names the field that names an entity in links, selects and
	// messages (default: name, title, username, label or slug, else the id).
	DisplayField string `json:"display_field,omitempty"`

	// Audit log and concurrent edits (schema level).

	// NoAudit leaves the type's writes out of the audit log (e.g. sessions,
	// or the audit log itself); on a field, the field's values, and writes
	// that change nothing else (e.g. a user's saved preferences).
	NoAudit bool `json:"no_audit,omitempty"`
	// ViewOnly makes the type read-only in the admin for everyone,
	// superusers included: no add, change or delete.
	ViewOnly bool `json:"view_only,omitempty"`
	// VersionField names the field whose value identifies the version of an
	// entity (an updated_at time or a version number) for optimistic
	// locking; without it the admin uses a hash of the entity's values.
	VersionField string `json:"version_field,omitempty"`

	// Columns and filters of the list, schema level.

	// Computed declares computed columns: names ListDisplay may use for
	// columns whose cells Go code computes (entadmin.Resource.Column).
	Computed []string `json:"computed,omitempty"`
	// SortableBy limits the columns whose headers sort the list.
	SortableBy []string `json:"sortable_by,omitempty"`
	// Facets shows row counts beside the filter choices.
	Facets bool `json:"facets,omitempty"`

	// Counting and date drill-down of the list (list speed).

	// DateHierarchy names the time field of the years → months → days
	// drill-down above the list.
	DateHierarchy string `json:"date_hierarchy,omitempty"`
	// Count is how the list counts its rows: "exact", "estimated" or
	// "none"; "" counts exactly on small tables and estimates on big ones.
	Count CountMode `json:"count,omitempty"`
	// NoFullResultCount leaves out the unfiltered total shown beside a
	// filtered list's count.
	NoFullResultCount bool `json:"no_full_result_count,omitempty"`
	// Form options.

	// SaveAs adds a "Save as new" button to the change form: it saves the
	// form, inline rows included, as a new entity.
	SaveAs bool `json:"save_as,omitempty"`

	// Inline editing of the list (list_editable).

	// ListEditable lists the columns edited in place in the list.
	ListEditable []string `json:"list_editable,omitempty"`

	// Field and edge level.

	// HelpText is shown under a field on the form (default: the field's comment).
	HelpText string `json:"help_text,omitempty"`
	// Widget overrides the widget chosen from the field's type.
	Widget WidgetKind `json:"widget,omitempty"`
	// WidgetAttrs are extra attributes of the field's input on the form,
	// such as placeholder, step or rows (see WidgetAttrNames).
	WidgetAttrs map[string]string `json:"widget_attrs,omitempty"`
	// ReadOnly shows the field on the form but does not accept it.
	ReadOnly bool `json:"readonly,omitempty"`
	// Hidden leaves the field out of the list and the form.
	Hidden bool `json:"hidden,omitempty"`

	// Form options of the complete edit form (schema level; see form.go).

	// AutocompleteFields lists unique edges edited with a search input.
	AutocompleteFields []string `json:"autocomplete_fields,omitempty"`
	// RawIDFields lists unique edges edited by the related id.
	RawIDFields []string `json:"raw_id_fields,omitempty"`
	// FilterHorizontal lists many-to-many edges edited with the dual
	// "available / chosen" widget, side by side.
	FilterHorizontal []string `json:"filter_horizontal,omitempty"`
	// FilterVertical lists many-to-many edges edited with the dual widget,
	// one list above the other.
	FilterVertical []string `json:"filter_vertical,omitempty"`
	// RadioFields maps enum fields and unique edges shown as radio buttons
	// to their layout.
	RadioFields map[string]RadioLayout `json:"radio_fields,omitempty"`
	// PrepopulatedFields maps a field to the fields it is filled from as the
	// user types.
	PrepopulatedFields map[string][]string `json:"prepopulated_fields,omitempty"`
	// FormfieldOverrides maps an ent field type ("TypeString", "TypeBool", ...) to
	// the widget of every field of that type without a widget of its own.
	FormfieldOverrides map[string]WidgetKind `json:"formfield_overrides,omitempty"`
	// SaveOnTop repeats the save buttons above the form.
	SaveOnTop bool `json:"save_on_top,omitempty"`

	// Errors holds what constructors found wrong with their arguments. It
	// crosses ent's JSON boundary so that code generation can report errors
	// of field and edge annotations too.
	Errors []string `json:"errors,omitempty"`
}

// FieldsetSpec is one titled group of fields on a form. Build it with
// Fieldset.
type FieldsetSpec struct {
	Title       string   `json:"title,omitempty"`
	Fields      []string `json:"fields"`
	Description string   `json:"description,omitempty"`
	Collapse    bool     `json:"collapse,omitempty"`
}

// Fieldset returns a fieldset with a title and its fields, in form order.
func Fieldset(title string, fields ...string) FieldsetSpec {
	return FieldsetSpec{Title: title, Fields: fields}
}

// Describe returns the fieldset with a description shown under its title.
func (f FieldsetSpec) Describe(text string) FieldsetSpec {
	f.Description = text
	return f
}

// Collapsed returns the fieldset starting collapsed, with a toggle to open it.
func (f FieldsetSpec) Collapsed() FieldsetSpec {
	f.Collapse = true
	return f
}

// Name implements schema.Annotation.
func (*Annotation) Name() string { return Name }

// Err returns the error of a constructor given bad arguments. ent checks it
// when it loads a schema-level annotation; entadmin's code generator checks
// it on fields and edges too.
func (a *Annotation) Err() error {
	if len(a.Errors) == 0 {
		return nil
	}
	return errors.New(strings.Join(a.Errors, "; "))
}

// Merge implements schema.Merger: options set in other override those of a,
// and errors accumulate.
func (a *Annotation) Merge(other schema.Annotation) schema.Annotation {
	var b *Annotation
	switch o := other.(type) {
	case *Annotation:
		b = o
	default:
		return a
	}
	m := *a
	m.Skip = m.Skip || b.Skip
	m.NoListLinks = m.NoListLinks || b.NoListLinks
	m.ReadOnly = m.ReadOnly || b.ReadOnly
	m.Hidden = m.Hidden || b.Hidden
	m.NoAudit = m.NoAudit || b.NoAudit
	m.ViewOnly = m.ViewOnly || b.ViewOnly
	mergeString(&m.VersionField, b.VersionField)
	m.Facets = m.Facets || b.Facets
	mergeString(&m.DateHierarchy, b.DateHierarchy)
	if b.Count != "" {
		m.Count = b.Count
	}
	m.NoFullResultCount = m.NoFullResultCount || b.NoFullResultCount
	mergeList(&m.Computed, b.Computed)
	mergeList(&m.SortableBy, b.SortableBy)
	m.SaveAs = m.SaveAs || b.SaveAs
	mergeList(&m.ListEditable, b.ListEditable)
	mergeString(&m.Slug, b.Slug)
	mergeString(&m.Label, b.Label)
	mergeString(&m.LabelPlural, b.LabelPlural)
	mergeString(&m.EmptyValue, b.EmptyValue)
	mergeString(&m.DisplayField, b.DisplayField)
	mergeString(&m.HelpText, b.HelpText)
	if b.Widget != "" {
		m.Widget = b.Widget
	}
	m.WidgetAttrs = mergeMap(m.WidgetAttrs, b.WidgetAttrs)
	if b.ListPerPage != 0 {
		m.ListPerPage = b.ListPerPage
	}
	mergeList(&m.ListDisplay, b.ListDisplay)
	mergeList(&m.ListDisplayLinks, b.ListDisplayLinks)
	mergeList(&m.ListFilter, b.ListFilter)
	mergeList(&m.SearchFields, b.SearchFields)
	mergeList(&m.Ordering, b.Ordering)
	mergeList(&m.ReadOnlyFields, b.ReadOnlyFields)
	mergeList(&m.ExcludeFields, b.ExcludeFields)
	if b.Fieldsets != nil {
		m.Fieldsets = b.Fieldsets
	}
	m.SaveOnTop = m.SaveOnTop || b.SaveOnTop
	mergeList(&m.AutocompleteFields, b.AutocompleteFields)
	mergeList(&m.RawIDFields, b.RawIDFields)
	mergeList(&m.FilterHorizontal, b.FilterHorizontal)
	mergeList(&m.FilterVertical, b.FilterVertical)
	m.RadioFields = mergeMap(m.RadioFields, b.RadioFields)
	m.PrepopulatedFields = mergeMap(m.PrepopulatedFields, b.PrepopulatedFields)
	m.FormfieldOverrides = mergeMap(m.FormfieldOverrides, b.FormfieldOverrides)
	m.Errors = append(append([]string(nil), a.Errors...), b.Errors...)
	return &m
}

func mergeString(dst *string, src string) {
	if src != "" {
		*dst = src
	}
}

func mergeList(dst *[]string, src []string) {
	if src != nil {
		*dst = src
	}
}

var (
	_ schema.Annotation = (*Annotation)(nil)
	_ schema.Merger     = (*Annotation)(nil)
)

// Skip leaves a type out of the admin.
func Skip() *Annotation { return &Annotation{Skip: true} }

// Slug sets the URL segment of a type, e.g. "products" for /admin/products/.
func Slug(slug string) *Annotation {
	a := &Annotation{Slug: slug}
	if !validSlug(slug) {
		a.Errors = errorf("admin.Slug: %q is not a URL segment (want lower-case letters, digits, '-' and '_')", slug)
	}
	return a
}

func validSlug(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// Label sets the human name of a type, field or edge.
func Label(label string) *Annotation { return &Annotation{Label: label} }

// LabelPlural sets the plural human name of a type.
func LabelPlural(label string) *Annotation { return &Annotation{LabelPlural: label} }

// ListDisplay sets the columns of the list view: field names; names of
// edges (shown by the related entities' display names; to-many edges as a
// comma-separated list); edge paths to a field or an edge of a related
// type, such as "category.name" or "product.category.name"; and computed
// columns declared with Computed. Edges are loaded with the page, one query
// per edge, whatever the page size.
func ListDisplay(names ...string) *Annotation {
	return &Annotation{ListDisplay: names, Errors: needNames("ListDisplay", names)}
}

// ListDisplayLinks sets which list columns link to the edit form (default:
// the first column).
func ListDisplayLinks(names ...string) *Annotation {
	return &Annotation{ListDisplayLinks: names, Errors: needNames("ListDisplayLinks", names)}
}

// NoListLinks makes no list column link to the edit form.
func NoListLinks() *Annotation { return &Annotation{NoListLinks: true} }

// ListFilter sets the filters of the list's sidebar: bool, enum, string and
// time fields, and unique edges.
func ListFilter(names ...string) *Annotation {
	return &Annotation{ListFilter: names, Errors: needNames("ListFilter", names)}
}

// SearchFields sets the string fields the list's search box looks in. A
// prefix picks how a search term matches, as in Django: "^name" starts
// with, "=name" equals, "@name" full-text search on PostgreSQL (a substring
// match elsewhere); without one, the field contains the term. Case is
// ignored.
func SearchFields(names ...string) *Annotation {
	return &Annotation{SearchFields: names, Errors: needNames("SearchFields", names)}
}

// Ordering sets the default order of the list; "-price" sorts by price
// descending. The id breaks ties.
func Ordering(names ...string) *Annotation {
	return &Annotation{Ordering: names, Errors: needNames("Ordering", names)}
}

// ListPerPage sets the list's page size (default 25).
func ListPerPage(n int) *Annotation {
	a := &Annotation{ListPerPage: n}
	if n < 1 || n > 1000 {
		a.Errors = errorf("admin.ListPerPage: %d is outside 1..1000", n)
	}
	return a
}

// ReadOnlyFields sets fields shown on the form but not editable.
func ReadOnlyFields(names ...string) *Annotation {
	return &Annotation{ReadOnlyFields: names, Errors: needNames("ReadOnlyFields", names)}
}

// ExcludeFields leaves fields out of the list and the form.
func ExcludeFields(names ...string) *Annotation {
	return &Annotation{ExcludeFields: names, Errors: needNames("ExcludeFields", names)}
}

// Fieldsets lays the form out in titled groups. Fields in no fieldset are
// not shown.
func Fieldsets(sets ...FieldsetSpec) *Annotation {
	a := &Annotation{Fieldsets: sets}
	if len(sets) == 0 {
		a.Errors = errorf("admin.Fieldsets: no fieldset given")
	}
	return a
}

// EmptyValue sets what the list and read-only fields show for a value that
// is not set (default "-"): on a schema for all its fields, on a field or an
// edge for that one.
func EmptyValue(text string) *Annotation { return &Annotation{EmptyValue: text} }

// DisplayField names the string field that names an entity of this type in
// links, selects, filters and messages.
func DisplayField(name string) *Annotation { return &Annotation{DisplayField: name} }

// SaveAs adds a "Save as new" button to the change form, which saves the
// form, inline rows included, as a new entity with a fresh id.
func SaveAs() *Annotation { return &Annotation{SaveAs: true} }

// WidgetAttrNames are the attributes WidgetAttrs may set, and whether
// their value is a whole number.
var WidgetAttrNames = map[string]bool{
	"placeholder": false, "step": false, "min": false, "max": false, "pattern": false,
	"inputmode": false, "autocomplete": false, "spellcheck": false,
	"rows": true, "cols": true, "size": true,
}

// WidgetAttrs sets extra attributes of a field's input on the form, given
// as name and value pairs; the names are checked at code generation
// against WidgetAttrNames.
//
//	field.Float("price").Annotations(admin.WidgetAttrs("step", "0.01", "placeholder", "0.00"))
func WidgetAttrs(pairs ...string) *Annotation {
	if len(pairs) == 0 || len(pairs)%2 != 0 {
		return &Annotation{Errors: errorf("admin.WidgetAttrs: want name and value pairs, got %d arguments", len(pairs))}
	}
	attrs := make(map[string]string, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		attrs[pairs[i]] = pairs[i+1]
	}
	return &Annotation{WidgetAttrs: attrs}
}

// HelpText sets the help shown under a field on the form.
func HelpText(text string) *Annotation { return &Annotation{HelpText: text} }

// Widget overrides the form widget of a field.
func Widget(kind WidgetKind) *Annotation {
	a := &Annotation{Widget: kind}
	for _, w := range Widgets {
		if w == kind {
			return a
		}
	}
	a.Errors = errorf("admin.Widget: unknown widget %q", kind)
	return a
}

// ReadOnly shows a field on the form without accepting it.
func ReadOnly() *Annotation { return &Annotation{ReadOnly: true} }

// Hidden leaves a field out of the list and the form.
func Hidden() *Annotation { return &Annotation{Hidden: true} }

func needNames(option string, names []string) []string {
	if len(names) == 0 {
		return errorf("admin.%s: no name given", option)
	}
	for _, n := range names {
		if n == "" {
			return errorf("admin.%s: empty name", option)
		}
	}
	return nil
}

func errorf(format string, args ...any) []string {
	return []string{fmt.Sprintf(format, args...)}
}

// NoAudit leaves the type's writes out of the audit log. On a field it
// leaves the field out: its values are not recorded nor covered by the
// version of optimistic locking, and a write that changes only such fields
// makes no entry.
func NoAudit() *Annotation { return &Annotation{NoAudit: true} }

// ViewOnly makes the type read-only in the admin for everyone, superusers
// included; the server refuses adds, changes and deletes.
func ViewOnly() *Annotation { return &Annotation{ViewOnly: true} }

// VersionField names the field (an updated_at time or a version number)
// whose value tells which version of an entity an edit form was loaded at,
// for optimistic locking. Without it the admin compares a hash of the
// entity's values.
func VersionField(name string) *Annotation {
	return &Annotation{VersionField: name, Errors: needNames("VersionField", []string{name})}
}

// Computed declares computed columns, by name: ListDisplay may place them
// anywhere among its columns, and the program adds each with
// entadmin.Resource.Column, typed Go code computing the cells. A name added
// but not declared, or declared but not added, panics when the program
// starts; a ListDisplay name that is neither a field, an edge path nor
// declared here fails code generation.
func Computed(names ...string) *Annotation {
	return &Annotation{Computed: names, Errors: needNames("Computed", names)}
}

// SortableBy limits the columns whose headers sort the list (Django's
// sortable_by); the default is every column that can be sorted.
func SortableBy(names ...string) *Annotation {
	return &Annotation{SortableBy: names, Errors: needNames("SortableBy", names)}
}

// Facets shows, beside each filter choice, the number of rows it gives
// (Django's show_facets). It costs a query per filter on every list page.
func Facets() *Annotation { return &Annotation{Facets: true} }

// ListEditable makes list columns editable in place (Django's
// list_editable): they render as inputs, and one Save writes every changed
// row in one transaction, validated like the form. Each name must be a
// field column of ListDisplay that does not link to the form, and
// editable: not read-only, not immutable.
func ListEditable(names ...string) *Annotation {
	return &Annotation{ListEditable: names, Errors: needNames("ListEditable", names)}
}
