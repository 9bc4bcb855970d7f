package entadmin

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"github.com/a-h/templ"

	"github.com/entadmin/entadmin/entadmin/store"
	"github.com/entadmin/entadmin/hooks/write"
	"github.com/entadmin/entadmin/views"
)

// Kind is the admin's view of a field's type: it picks the widget, the
// decoder, the list formatting and the filter.
type Kind uint8

// The kinds of fields.
const (
	KindString Kind = iota + 1 // single-line string
	KindText                   // long string
	KindInt
	KindFloat
	KindBool
	KindTime
	KindEnum
	KindJSON
	KindOther // decoded from text, e.g. a UUID
	KindEdge  // a unique edge: a reference to one entity of another type
	KindEdges // a many-to-many edge: a set of entities of another type
)

// Numeric reports whether values of the kind are numbers.
func (k Kind) Numeric() bool { return k == KindInt || k == KindFloat }

// Choice is one allowed value of an enum, or one entity a unique edge can
// point at.
type Choice struct {
	Value string // the form value
	Label string // what the user sees
}

// Predicate restricts a query; ent's generated predicates and the
// sql.Field* functions have this shape.
type Predicate = func(*sql.Selector)

// Field describes one field, or one unique edge, of a resource. Generated
// code fills it in from the ent schema and its annotations; the runtime reads
// it to list, filter, sort, render and decode.
type Field[T any] struct {
	Name   string // the ent name of the field or edge
	Column string // the SQL column (for edges: the foreign key)
	Label  string
	Help   string
	Kind   Kind
	Widget string // a views.Widget constant; "" picks one from Kind
	// Attrs are extra attributes of the field's input on the form, such as
	// placeholder, step or rows (admin.WidgetAttrs).
	Attrs     map[string]string
	Optional  bool // may be left empty
	Immutable bool // set on add only
	ReadOnly  bool // shown, never accepted
	Unique    bool
	MaxLen    int      // for strings; 0 for no limit
	Bounds    Bounds   // for numbers: the limits of ent's validators
	Enums     []Choice // enum values in schema order
	Target    string   // edges: the slug of the related resource, "" if not registered

	// Get returns the entity's value: a Go value of the field's type, a Ref
	// for an edge, or nil when the value is not set.
	Get func(T) any
	// Decode turns a form value (not empty) into a value of the field's exact
	// Go type, as ent's Mutation.SetField wants it; an edge's decoder parses
	// the related id.
	Decode func(string) (any, error)
	// Validate runs the field's ent validators on a decoded value; nil when
	// the field has none.
	Validate func(any) error
	// Default returns the value a new entity starts with; nil when the field
	// has no default.
	Default func() any
	// Order returns the ordering by this field; nil when it cannot be sorted.
	Order func(...sql.OrderTermOption) func(*sql.Selector)
	// Choices lists the entities an edge can point at; nil for fields.
	Choices func(ctx context.Context, limit int) ([]Choice, error)
	// Exists reports whether the related entity with a decoded id exists
	// and is within the user's scope; nil for fields.
	Exists func(ctx context.Context, id any) (bool, error)
	// Set and Clear change an edge on a mutation; fields use the mutation's
	// SetField and ClearField.
	Set   func(ent.Mutation, any) error
	Clear func(ent.Mutation)

	// Form options (see relations.go and widgets.go).

	// Layout is "horizontal" or "vertical" for radio buttons and the dual
	// select of a many-to-many edge.
	Layout string
	// Prepopulate names the fields this one is filled from as the user
	// types (prepopulated_fields).
	Prepopulate []string
	// EmptyValue is shown for the field when it is not set (default: the
	// resource's EmptyValue).
	EmptyValue string
	// Through turns a predicate on the related table into one on the
	// resource's, for PathColumns, e.g. product.HasCategoryWith.
	Through func(Predicate) Predicate
}

// blankable reports whether a required field may be left empty: a string
// with a default, which ent takes to allow the empty string.
func (f *Field[T]) blankable() bool {
	return (f.Kind == KindString || f.Kind == KindText) && f.Default != nil
}

// Fieldset is a titled group of fields on the form.
type Fieldset struct {
	Title string
	// Description is plain text, escaped on the page.
	Description string
	// DescriptionHTML is markup shown under the title, after Description: a
	// templ component, or trusted HTML marked as such with templ.Raw.
	DescriptionHTML templ.Component
	Collapsed       bool
	Fields          []string
}

// Resource is one ent type in the admin. Generated code builds it, with
// the Store that reads and writes the entities; the runtime serves it. T is
// the ent entity, e.g. *ent.Product.
type Resource[T any] struct {
	Type        string // the ent type name, e.g. "Product"
	Slug        string // the URL segment, e.g. "product"
	Label       string // e.g. "product"
	LabelPlural string // e.g. "products"

	Fields           []*Field[T] // every field the admin shows, in schema order
	ListDisplay      []string    // column field names
	ListDisplayLinks []string    // columns that link to the form; empty with NoListLinks
	NoListLinks      bool
	ListFilter       []string
	SearchFields     []string
	Ordering         []string // "-" prefix for descending
	PerPage          int
	Fieldsets        []Fieldset // nil: every field, in schema order
	EmptyValue       string

	// ID returns an entity's id as it appears in URLs.
	ID func(T) string
	// Display returns the name of an entity shown in links and messages.
	Display func(T) string

	// Store reads and writes the entities; generated code fills it in.
	store.Store[T]

	// SaveOnTop repeats the save buttons above the form.
	SaveOnTop bool
	// ViewOnSite returns the URL of the entity on the public site, linked
	// from its form as "View on site"; nil or "" for no link.
	ViewOnSite func(T) string

	// ObjectTools returns extra links of an entity's edit form, such as
	// "Change password"; nil for none. It gets the request, to
	// check permissions, and the entity's id as it appears in URLs.
	ObjectTools func(r *http.Request, id string) []views.Link

	// Views replaces some of the site's views for this resource.
	Views views.Views
	// Scope limits the rows the user may see and change (Django's
	// get_queryset): it returns a predicate, e.g. product.OwnerID(id), or nil
	// for every row. See RowScope.
	Scope func(ctx context.Context, u User) (Predicate, error)

	// Inlines and save as new.

	// Inlines are the related entities edited on this resource's form, in
	// order; generated from admin.Inline annotations.
	Inlines []Inline[T]
	// SaveAs adds "Save as new" to the change form (admin.SaveAs).
	SaveAs bool
	// FormHooks decide the form's fields, fieldsets and read-only fields
	// per request.
	FormHooks FormHooks[T]
	// FormParts are parts of the form beyond its fields and inlines,
	// rendered after the fieldsets and saved with the form (see FormPart).
	FormParts []FormPart[T]
	// Responses decide where the user goes after an add, a change or a
	// delete.
	Responses Responses[T]

	// Columns, search and filters of the list (see column.go, search.go,
	// filter.go).

	// PathColumns are the columns and filters that follow edges, e.g.
	// "category.name", "product.category" or the to-many "tags"; generated
	// with the eager loads List makes for them.
	PathColumns []*Field[T]
	// Computed names the computed columns the schema declares with
	// admin.Computed; add each with Column.
	Computed []string
	// SortableBy limits the columns whose headers sort the list; nil for
	// every sortable column.
	SortableBy []string
	// Facets shows, beside each filter choice, how many rows it would give.
	// It costs one query per filter (one per choice for date and custom
	// filters) on each list page.
	Facets bool
	// ListDisplayFunc returns the columns of a list request, by name
	// (Django's get_list_display); nil shows ListDisplay. Names may be those
	// of ListDisplay, fields, computed columns and PathColumns.
	ListDisplayFunc func(*http.Request) []string
	// SearchFunc replaces or extends the default search (Django's
	// get_search_results): it gets the search text and the default
	// predicate (nil when the resource has no SearchFields) and returns the
	// predicate to use, e.g. the default one or-ed with a full-text match.
	SearchFunc func(r *http.Request, text string, def Predicate) (Predicate, error)

	// Counting, paging, date drill-down and export (see count.go,
	// keyset.go, datehier.go, export.go).

	// DateHierarchy names the time field of the years, months and days
	// drill-down above the list; "" for none.
	DateHierarchy string
	// CountMode is how the list counts its rows; see CountMode.
	CountMode CountMode
	// NoCache keeps the resource's statements out of the site's cache
	// (see WithCache), for ent schemas whose interceptors or privacy
	// rules filter by the context.
	NoCache bool
	// NoFullResultCount leaves out the unfiltered total that a filtered
	// list shows beside its count (Django's show_full_result_count=False).
	NoFullResultCount bool

	// Bulk actions, inline editing and endpoints (action.go, listedit.go,
	// endpoint.go).

	// ListEditable names the list columns edited in place (admin.ListEditable).
	ListEditable []string
	// MaxSelected caps the rows one bulk action acts on; 0 means 10,000.
	MaxSelected int

	actions   []*BulkAction[T]
	endpoints []*Endpoint

	// Save and delete hooks, the audit log and optimistic locking
	// (hooks.go, audit.go, version.go; the ent hook that runs them is in
	// package hooks/write): register hooks with OnSave, OnDelete, AfterAdd,
	// AfterChange and AfterDelete.

	// NoAudit leaves the resource's writes out of the audit log.
	NoAudit bool
	// ViewOnly refuses add, change and delete to everyone.
	ViewOnly bool
	// NoAdd refuses add to everyone, e.g. for sessions, which only logging
	// in makes.
	NoAdd bool

	// Dashboard and page frame (frame.go, media.go).

	// Section groups the resource with others on the dashboard and in the
	// navigation, e.g. "Authentication and authorization"; "" puts it in
	// the section named after the Go package of its ent types (e.g. "Shop"
	// for .../shop/ent).
	Section string
	// MediaCSS and MediaJS are extra stylesheets and scripts of the
	// resource's pages: paths in the site's media file system (see
	// WithMedia), served with content hashes in their URLs.
	MediaCSS, MediaJS []string

	hooks write.Hooks[T]

	m        meta
	fields   map[string]*Field[T]
	paths    map[string]*Field[T]
	computed map[string]*ComputedColumn[T]
	custom   []CustomFilter
	links    map[string]ColumnLinksFunc[T] // see ColumnLinks
	// titles are the filters' titles, by field, made at registration.
	titles map[*Field[T]]filterTitle
}

// filterTitle is a filter's title and the field label it was made from.
type filterTitle struct{ label, title string }

// filterTitle returns the title of the list's filter on f: "By " and its
// label in lower case.
func (r *Resource[T]) filterTitle(f *Field[T]) string {
	if t, ok := r.titles[f]; ok && t.label == f.Label {
		return t.title
	}
	return "By " + strings.ToLower(f.Label)
}

// init prepares the resource for serving on s.
func (r *Resource[T]) init(s *Site) {
	r.m = meta{site: s, slug: r.Slug, label: r.Label, labelPlural: r.LabelPlural, viewOnly: r.ViewOnly, noAdd: &r.NoAdd, rows: r.scopeOf, table: r.Table}
	r.fields = make(map[string]*Field[T], len(r.Fields))
	r.m.fieldIndex = make(map[string]int, len(r.Fields))
	for _, f := range r.Fields {
		r.fields[f.Name] = f
		if _, dup := r.m.fieldIndex[f.Name]; !dup {
			r.m.fieldIndex[f.Name] = len(r.m.fieldIndex)
		}
	}
	r.paths = make(map[string]*Field[T], len(r.PathColumns))
	for _, f := range r.PathColumns {
		r.paths[f.Name] = f
	}
	r.titles = make(map[*Field[T]]filterTitle, len(r.Fields)+len(r.PathColumns))
	for _, f := range slices.Concat(r.Fields, r.PathColumns) {
		r.titles[f] = filterTitle{f.Label, "By " + strings.ToLower(f.Label)}
	}
	if r.PerPage <= 0 {
		r.PerPage = 25
	}
	if r.EmptyValue == "" {
		r.EmptyValue = "-"
	}
}

func (r *Resource[T]) meta() *meta { return &r.m }

// views returns the resource's views, falling back on the site's.
func (r *Resource[T]) views() views.Views { return r.Views.Or(r.m.site.views) }

// Field returns the field named name, or nil.
func (r *Resource[T]) Field(name string) *Field[T] {
	return r.fields[name]
}
