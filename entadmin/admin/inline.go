package admin

import "entgo.io/ent/schema"

// InlineName is the name under which the inline annotation is stored on
// edges.
const InlineName = "EntAdminInline"

// InlineAnnotation shows the entities an edge reaches on the form of the
// entity it starts from, to be added, changed and deleted with it (Django's
// inlines). Build it with Inline and chain its options:
//
//	edge.To("images", ProductImage.Type).
//		Annotations(admin.Inline().WithFields("url", "alt_text").Sortable("sort_order").WithExtra(1))
//
// The edge must be one-to-many, with an inverse edge (edge.From) on the
// child type, or a many-to-many edge through an edge schema
// (edge.To(...).Through("memberships", Membership.Type)), whose join rows
// become the inline's rows. Every name is checked when `go generate` runs.
type InlineAnnotation struct {
	// Stacked lays each row out as a fieldset instead of a table row.
	Stacked bool `json:"stacked,omitempty"`
	// Fields lists the child's fields shown, in order (default: every field
	// but the edge back to the parent).
	Fields []string `json:"fields,omitempty"`
	// ReadOnlyFields lists fields shown but not editable.
	ReadOnlyFields []string `json:"readonly_fields,omitempty"`
	// Extra is the number of blank rows offered (default 1).
	Extra *int `json:"extra,omitempty"`
	// Min and Max bound the number of rows; Max 0 means no bound.
	Min int `json:"min,omitempty"`
	Max int `json:"max,omitempty"`
	// NoDelete hides the delete box of the rows (Django's can_delete=False).
	NoDelete bool `json:"no_delete,omitempty"`
	// Ordering orders the rows ("-" for descending; default: the sort
	// field, else the id).
	Ordering []string `json:"ordering,omitempty"`
	// SortField is an integer field the rows are ordered by, set from the
	// position the user drags (or moves by keyboard) each row to.
	SortField string `json:"sort_field,omitempty"`
	// ShowChangeLink links each saved row to the child's own form.
	ShowChangeLink bool `json:"show_change_link,omitempty"`
	// Collapse starts the inline collapsed.
	Collapse bool `json:"collapse,omitempty"`
	// Title is the inline's heading (default: the edge's label).
	Title string `json:"title,omitempty"`
	// Errors holds what the options found wrong with their arguments.
	Errors []string `json:"errors,omitempty"`
}

// Inline returns a tabular inline of the edge with one blank row.
func Inline() *InlineAnnotation { return &InlineAnnotation{} }

// Name implements schema.Annotation.
func (*InlineAnnotation) Name() string { return InlineName }

var _ schema.Annotation = (*InlineAnnotation)(nil)

// Tabular lays the rows out as a table, a row per child (the default).
func (a *InlineAnnotation) Tabular() *InlineAnnotation {
	a.Stacked = false
	return a
}

// AsStacked lays each row out as a fieldset with labelled fields.
func (a *InlineAnnotation) AsStacked() *InlineAnnotation {
	a.Stacked = true
	return a
}

// WithFields sets the child's fields shown in each row, in order.
func (a *InlineAnnotation) WithFields(names ...string) *InlineAnnotation {
	a.Fields = names
	a.Errors = append(a.Errors, needNames("Inline.WithFields", names)...)
	return a
}

// ReadOnly sets fields shown in each row but not editable.
func (a *InlineAnnotation) ReadOnly(names ...string) *InlineAnnotation {
	a.ReadOnlyFields = names
	a.Errors = append(a.Errors, needNames("Inline.ReadOnly", names)...)
	return a
}

// WithExtra sets the number of blank rows offered for new children.
func (a *InlineAnnotation) WithExtra(n int) *InlineAnnotation {
	if n < 0 || n > 100 {
		a.Errors = append(a.Errors, errorf("admin.Inline.WithExtra: %d is outside 0..100", n)...)
	}
	a.Extra = &n
	return a
}

// WithMin sets the fewest rows the parent may be saved with.
func (a *InlineAnnotation) WithMin(n int) *InlineAnnotation {
	if n < 0 {
		a.Errors = append(a.Errors, errorf("admin.Inline.WithMin: %d is negative", n)...)
	}
	a.Min = n
	return a
}

// WithMax sets the most rows the parent may be saved with.
func (a *InlineAnnotation) WithMax(n int) *InlineAnnotation {
	if n < 1 {
		a.Errors = append(a.Errors, errorf("admin.Inline.WithMax: %d is below 1", n)...)
	}
	a.Max = n
	return a
}

// CannotDelete removes the delete box from the rows.
func (a *InlineAnnotation) CannotDelete() *InlineAnnotation {
	a.NoDelete = true
	return a
}

// OrderBy sets the order of the rows; "-" sorts descending.
func (a *InlineAnnotation) OrderBy(names ...string) *InlineAnnotation {
	a.Ordering = names
	a.Errors = append(a.Errors, needNames("Inline.OrderBy", names)...)
	return a
}

// Sortable lets the user reorder the rows by drag and drop or by keyboard;
// the position of each row is saved in the integer field named.
func (a *InlineAnnotation) Sortable(field string) *InlineAnnotation {
	a.SortField = field
	a.Errors = append(a.Errors, needNames("Inline.Sortable", []string{field})...)
	return a
}

// ChangeLink links each saved row to the child's own form.
func (a *InlineAnnotation) ChangeLink() *InlineAnnotation {
	a.ShowChangeLink = true
	return a
}

// Collapsed starts the inline collapsed, with a toggle to open it.
func (a *InlineAnnotation) Collapsed() *InlineAnnotation {
	a.Collapse = true
	return a
}

// WithTitle sets the inline's heading.
func (a *InlineAnnotation) WithTitle(title string) *InlineAnnotation {
	a.Title = title
	return a
}

// Err returns the error of an option given bad arguments.
func (a *InlineAnnotation) Err() error { return (&Annotation{Errors: a.Errors}).Err() }
