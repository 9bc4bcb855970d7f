package views

// PermissionPicker is the permission picker of a group's or a user's
// form: a grid of resources by actions with a checkbox per permission, the
// access to each resource's fields, and the rules the grid cannot show.
type PermissionPicker struct {
	Title    string
	ReadOnly bool   // shown, not editable
	Note     string // why it is read-only, or what it edits; "" for none
	// Marker is the name of the hidden input that tells the server the
	// picker was posted; "" when read-only.
	Marker  string
	Actions []string // the grid's columns, e.g. "view", "add"
	Rows    []PickerRow
	// Other lists the rules and object grants the grid cannot show: they
	// are kept as they are by a save.
	Other []PickerRule
}

// PickerRow is one resource of the picker.
type PickerRow struct {
	Label string      // the resource's plural label
	Cells []PickerBox // one per column of the grid
	Extra []PickerBox // the resource's own permissions, such as "activate"
	// Fields is the access to each field, in a disclosure.
	Fields     []PickerField
	FieldsOpen bool // the disclosure starts open (a field has a rule)
}

// PickerBox is one permission's checkbox.
type PickerBox struct {
	Name    string // the input's name
	Value   string // the input's value
	ID      string
	Label   string // the accessible label, e.g. "Change products"
	Text    string // the visible text beside it, for Extra boxes
	Checked bool
	// From names the group the permission is inherited from; the box is
	// then checked and disabled.
	From string
}

// PickerField is the access to one field of a resource.
type PickerField struct {
	Name    string // the select's name
	ID      string
	Label   string
	Value   string // "", "hidden", "readonly" or "write"
	Options []Choice
	// From describes the access inherited from a group, e.g. "Read-only
	// from group “staff”"; "" for none.
	From string
}

// PickerRule is a rule the grid cannot show, with a link to where it is
// edited.
type PickerRule struct {
	Text string
	URL  string // "" when the user may not open it
}
