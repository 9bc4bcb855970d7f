package views

import "strconv"

// Inline is a group of related entities edited on their parent's form: the
// images of a product, say. Its rows are tabular (a table row each) or
// stacked (a fieldset each).
type Inline struct {
	Title     string
	Prefix    string // the rows' inputs are named Prefix-K-field
	Stacked   bool
	Collapsed bool
	ReadOnly  bool           // no inputs: the user may only view the rows
	Columns   []InlineColumn // tabular headers
	Rows      []InlineRow
	Errors    []string // about the inline as a whole, e.g. too few rows
	AddURL    string   // htmx "Add another" endpoint; "" when rows cannot be added
	AddValue  string   // without JavaScript, "Add another" submits the form with _addrow set to this: the inline's index
	AddLabel  string   // e.g. "Add another product image"
	Max       int      // 0: no bound
	CanDelete bool
	Sortable  bool // rows can be reordered by drag and drop and by keyboard
}

// InlineColumn is one column header of a tabular inline.
type InlineColumn struct {
	Label    string
	Required bool
	Help     string
}

// InlineRow is one related entity, or a blank row for a new one.
type InlineRow struct {
	Index     int    // K in the inputs' names
	ID        string // "" for a new row
	Title     string // the entity's name; "" for a new row
	ChangeURL string // the entity's own form; "" when not shown
	Fields    []Field
	Sort      *Field // the hidden position input of a sortable inline
	Delete    bool   // the delete box is checked
	CanDelete bool   // a saved row the user may delete
	Errors    []string
}

// IndexString returns the row's index as the inputs' names carry it.
func (r InlineRow) IndexString() string { return strconv.Itoa(r.Index) }

// InputName returns the name of the row's input for a field.
func (in Inline) InputName(index int, field string) string {
	return in.Prefix + "-" + strconv.Itoa(index) + "-" + field
}
