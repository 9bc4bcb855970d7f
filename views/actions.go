package views

// Bulk actions, inline editing of list columns and custom endpoints' buttons.

// ChangelistForm is the id of the list's form. It is an empty element: the
// row checkboxes, the action bar and the inputs of editable cells belong to
// it through their form attribute, so that the column chooser's own form
// can sit beside them.
const ChangelistForm = "changelist"

// ActionBar is the bulk action menu of a list.
type ActionBar struct {
	Choices []Choice // Value is the action's name
	// Across is the label of "select all matching" (e.g. "Select all 120
	// products"); "" when every matching row is on the page.
	Across string
}

// ListEdit is the inline editing of a list's columns (list_editable).
type ListEdit struct {
	SaveURL string   // where Save posts
	Errors  []string // about the save as a whole, e.g. "Nothing was saved: ..."
}

// CellInput is an editable cell of a list.
type CellInput struct {
	Field           // the input: Name, ID, Widget, Value, Checked, Choices, Error, Step
	Orig     string // the value the page showed, posted back to tell what changed
	OrigName string // the name of the hidden input carrying Orig
	Row      string // set on a row's first editable cell: the row's id, posted as _row
}

// Tool is a button of a custom endpoint on a list or a form.
type Tool struct {
	Label string
	URL   string
	Post  bool // a form posting to URL; a link otherwise
}

// ActionPage confirms a bulk action and lists the rows it acts on; for a
// delete, also the related rows it deletes or unlinks.
type ActionPage struct {
	Page
	Question  string   // e.g. "Delete the selected products?"
	Name      string   // the action's name, posted back
	Button    string   // the confirming button's text
	Danger    bool     // a destructive action
	ActionURL string   // where the confirmation posts: the list with its parameters
	CancelURL string   // back to the list
	Selected  []string // the ids posted back; none with Across
	Across    bool     // every row matching the list's parameters
	Items     []Link   // the first rows acted on
	More      int      // rows not listed
	Related   []Related
	Protected bool   // related rows keep some of them from being deleted
	Note      string // e.g. that related rows of later items are not listed
}
