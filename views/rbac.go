package views

import "strconv"

// RBACLinks are the links between the RBAC pages, shown on each.
type RBACLinks struct {
	Summary, Effective, Check, Tree, Export, Import, Audit string
}

// RBACSummaryPage is the overview of users, groups and grants.
type RBACSummaryPage struct {
	Page
	Links RBACLinks
	// Counts, in the order shown: users, groups, grants, ...
	Counts []RBACCount
	// Coverage says how many resources have explicit grants, e.g. "3 of 8
	// resources (38%)".
	Coverage string
	Orphans  []RBACOrphan
	Changes  []RBACChange
}

// RBACCount is one figure of the summary.
type RBACCount struct {
	Label string
	Value int
	URL   string // the list of what is counted, or ""
}

// RBACOrphan is a grant that points at nothing: a deleted user, group or
// object, or an unknown resource.
type RBACOrphan struct {
	Kind  string // "rule", "field rule", "object grant"
	What  string // the grant, as text
	Why   string // e.g. "the group 7 does not exist"
	URL   string // its edit page
	Count int
}

// RBACChange is one recorded change to users, groups or grants.
type RBACChange struct {
	At, User, Action, Resource, Object string
	URL                                string
}

// RBACEffectivePage shows everything a user may do, and why.
type RBACEffectivePage struct {
	Page
	Links        RBACLinks
	Users        []Choice // to pick another user
	UserID       string
	Superuser    bool
	Permissions  []RBACPermission
	Fields       []RBACPermission // Action holds the access level
	ObjectGrants []RBACPermission
}

// RBACPermission is one permission and where it comes from.
type RBACPermission struct {
	Resource, Field, ObjectID, Action string
	Via                               string // e.g. "user:3 → group:2 (editors)"
	Conditions                        string // "" without conditions
}

// RBACCheckPage is the "may user X do A on R?" form and its answer.
type RBACCheckPage struct {
	Page
	Links     RBACLinks
	Users     []Choice
	Resources []Choice
	UserID    string
	Action    string
	Resource  string
	ObjectID  string
	// Address is the client address to check conditions against; "" for
	// none.
	Address  string
	Errors   []string
	Answered bool
	Allowed  bool
	Reason   string
	Failed   []string
}

// RBACTreePage is the hierarchy of groups with their members.
type RBACTreePage struct {
	Page
	Links RBACLinks
	Roots []RBACGroup
	// Ungrouped are the users in no group.
	Ungrouped []Link
}

// RBACGroup is a group with its members and child groups.
type RBACGroup struct {
	Name     string
	URL      string
	Members  []Link
	Children []RBACGroup
}

// RBACImportPage is the form importing a policy document.
type RBACImportPage struct {
	Page
	Links    RBACLinks
	Document string
	Mode     string
	Errors   []string
}

// PasswordPage is the form changing a user's password. It never shows the
// password hash.
type PasswordPage struct {
	Page
	Action   string // where the form posts
	Username string
	// AskCurrent asks for the current password: users changing their own.
	AskCurrent bool
	MinLength  int
	// Errors by field: "current", "password1", "password2".
	Errors    map[string]string
	CancelURL string
}

// fmtMin is the help text of a new password.
func fmtMin(n int) string {
	return "At least " + strconv.Itoa(n) + " characters. Other sessions of the user end when it changes."
}
