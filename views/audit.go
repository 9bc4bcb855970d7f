package views

// AuditRow is one audit entry as the history pages show it.
type AuditRow struct {
	At        string
	User      string
	Action    string // add, change, delete, or an event's name
	Object    string // the object's name, with its type on global lists
	ObjectURL string // its edit form, "" when it is gone or not shown
	IP        string
	Message   string
	Changes   []FieldChange
}

// FieldChange is one field's change: old → new, or a value alone.
type FieldChange struct {
	Field string
	Old   string
	New   string
	// Value is shown instead of old → new when set: the value of an add or
	// the last one of a delete, or an edge's rows added and removed.
	Value  string
	Hidden bool // a sensitive field: changed, values not recorded
}

// HistoryPage lists the audit entries of one object, or of many (the
// per-user audit view), newest first.
type HistoryPage struct {
	Page
	Intro   string // a sentence above the entries
	Rows    []AuditRow
	BackURL string
	// Filter is the user filter of the per-user view; Users the names to
	// choose from. Both empty elsewhere.
	FilterAction string
	Filter       string
	Users        []string
}

// Conflict is what an edit form shows when another user saved the object
// since the form was loaded.
type Conflict struct {
	Rows []AuditRow // their changes since, newest first
	// Overwrite is the object's current version: posted back as
	// _overwrite, it saves the user's values over the other changes.
	Overwrite string
}

// or returns s, or alt when s is empty.
func or(s, alt string) string {
	if s != "" {
		return s
	}
	return alt
}
