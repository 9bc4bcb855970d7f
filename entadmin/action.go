package entadmin

import (
	"fmt"
	"net/http"
	"slices"
)

// DeleteSelected is the name of the built-in bulk action that deletes the
// selected rows, after a confirmation page listing what goes with them. It
// needs the delete permission.
const DeleteSelected = "delete_selected"

// ExportSelected is the name of the built-in bulk action that downloads
// the selected rows as CSV, with the list's visible columns (see
// Resource.ExportCSV). It needs the view permission; with "select all
// matching" it streams every matching row in batches.
const ExportSelected = "export_selected"

// defaultMaxSelected is the default of Resource.MaxSelected.
const defaultMaxSelected = 10_000

// ActionFunc is the code of a bulk action. It gets the request and the
// selected entities, loaded within the user's row scope inside one database
// transaction: writes made through them (e.g. p.Update()...Save(r.Context()))
// or with r.Context() run in it, with the client's hooks, and are rolled
// back when the function returns an error.
//
// The function either returns a message, shown to the user as the list
// comes back, or writes its own response (a file download, a page), which is
// then the answer. An *entadmin.FormError or *entadmin.FieldError returned
// is shown as an error message, and so is the refusal of a write of a
// field the user may not change (see BulkAction.Writes); other errors are
// logged and answered with 500.
type ActionFunc[T any] func(w http.ResponseWriter, r *http.Request, selected []T) (string, error)

// BulkAction is an action on the rows selected in a resource's list
// (Django's admin actions). Add one with Resource.Action and configure it
// with its methods:
//
//	res.Product.Action("activate", "Mark as active", activate).
//		Permission("activate"). // checked as ("product", "activate")
//		Writes("is_active").
//		Confirm("Mark the selected products as active?")
type BulkAction[T any] struct {
	name    string
	label   string
	perm    Action
	confirm string
	fn      ActionFunc[T]
	writes  []string
	res     *Resource[T]
}

// Permission sets the permission the action needs on the resource: one of
// ActionView, ActionChange (the default), ActionDelete, ActionAdd, or a name
// of its own such as "activate", which the Authorizer is asked about like
// the others (with rbac: a rule granting "activate" on "product").
func (a *BulkAction[T]) Permission(p Action) *BulkAction[T] {
	if !validName(string(p)) {
		panic(fmt.Sprintf("entadmin: action %q: Permission(%q): want lower-case letters, digits, '_' and '-'", a.name, p))
	}
	a.perm = p
	return a
}

// Writes declares the fields and edges, by ent name, that the action's
// permission lets its function write whatever the user's access to them:
// the function runs with a context in which package policy/fieldaccess
// does not refuse writes of them on the resource. Without it, a write of a
// field the user may only see (e.g. every field, for a user holding the
// action's permission but not the change permission) or may not see is
// refused, and the action changes nothing. It panics on a name that is not
// a field or edge of the resource, a programming error.
func (a *BulkAction[T]) Writes(fields ...string) *BulkAction[T] {
	a.res.checkWrites(fmt.Sprintf("entadmin: action %q", a.name), fields)
	a.writes = append(a.writes, fields...)
	return a
}

// Confirm adds a confirmation step: the user first sees the question and
// the selected rows, and the action runs when they confirm.
func (a *BulkAction[T]) Confirm(question string) *BulkAction[T] {
	a.confirm = question
	return a
}

// Action adds a bulk action to the resource's list, offered to the users
// who hold its permission. name identifies it in requests; label is what
// the action menu shows. It panics on a name that is empty, malformed,
// taken or DeleteSelected, which are programming errors.
func (r *Resource[T]) Action(name, label string, fn ActionFunc[T]) *BulkAction[T] {
	where := fmt.Sprintf("entadmin: %s.Action(%q)", r.Type, name)
	switch {
	case !validName(name):
		panic(where + ": want a name of lower-case letters, digits, '_' and '-'")
	case name == DeleteSelected || name == ExportSelected:
		panic(where + ": the name of a built-in action")
	case slices.ContainsFunc(r.actions, func(a *BulkAction[T]) bool { return a.name == name }):
		panic(where + ": added twice")
	case label == "" || fn == nil:
		panic(where + ": needs a label and a function")
	}
	a := &BulkAction[T]{name: name, label: label, perm: ActionChange, fn: fn, res: r}
	r.actions = append(r.actions, a)
	return a
}

// validName reports whether s can name an action, an endpoint or a
// permission: lower-case letters, digits, '_' and '-', starting with a
// letter.
func validName(s string) bool {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// deleteSelected is the built-in delete action; its work is done by
// deleteSelection, so it has no function.
func deleteSelected[T any]() *BulkAction[T] {
	return &BulkAction[T]{name: DeleteSelected, label: "Delete selected", perm: ActionDelete}
}

// exportSelected is the built-in export action; exportSelection does its
// work.
func exportSelected[T any]() *BulkAction[T] {
	return &BulkAction[T]{name: ExportSelected, label: "Export selected as CSV", perm: ActionView}
}

// bulkAction returns the action named name, the built-in ones included,
// or nil.
func (r *Resource[T]) bulkAction(name string) *BulkAction[T] {
	switch name {
	case DeleteSelected:
		return deleteSelected[T]()
	case ExportSelected:
		return exportSelected[T]()
	}
	for _, a := range r.actions {
		if a.name == name {
			return a
		}
	}
	return nil
}

// allowedActions returns the actions the request's user may run, the
// built-in ones first.
func (r *Resource[T]) allowedActions(req *http.Request) []*BulkAction[T] {
	var out []*BulkAction[T]
	for _, a := range append([]*BulkAction[T]{deleteSelected[T](), exportSelected[T]()}, r.actions...) {
		if r.m.can(req, a.perm) {
			out = append(out, a)
		}
	}
	return out
}

// permissions returns the permission names of the resource's actions and
// endpoints that are not one of the four built-in ones.
func (r *Resource[T]) permissions() []string {
	var out []string
	add := func(p Action) {
		switch p {
		case ActionView, ActionAdd, ActionChange, ActionDelete:
			return
		}
		if !slices.Contains(out, string(p)) {
			out = append(out, string(p))
		}
	}
	for _, a := range r.actions {
		add(a.perm)
	}
	for _, e := range r.endpoints {
		add(e.perm)
	}
	return out
}
