package entadmin

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/entadmin/entadmin/views"
)

// rowActions is what acts on a list's rows and depends on none of them:
// the list's tools (which serveList puts on the page), its bulk actions,
// its editable fields and their choices.
type rowActions[T any] struct {
	tools    []views.Tool
	actions  []*BulkAction[T]
	editable []*Field[T]
	choices  map[string][]views.Choice
}

// rowActions returns what acts on the rows of lc's list for the request's
// user.
func (r *Resource[T]) rowActions(req *http.Request, lc *listConfig[T]) (*rowActions[T], error) {
	base := Prefix(req) + "/" + r.Slug + "/"
	ra := &rowActions[T]{tools: r.tools(req, base, ""), actions: r.allowedActions(req), editable: r.listEditable(req, lc)}
	for _, f := range ra.editable {
		if f.Kind == KindEdge {
			cs, err := f.Choices(req.Context(), maxChoices)
			if err != nil {
				return nil, err
			}
			if ra.choices == nil {
				ra.choices = map[string][]views.Choice{}
			}
			for _, c := range cs {
				ra.choices[f.Name] = append(ra.choices[f.Name], views.Choice{Label: c.Label, Value: c.Value})
			}
		}
	}
	return ra, nil
}

// decorateList adds to a list page what acts on its rows (ra): the bulk
// action bar with a checkbox per row, the inputs of editable columns (with
// the user's values and errors after a failed list-save), and the buttons
// of list endpoints.
func (r *Resource[T]) decorateList(req *http.Request, page *views.ListPage, lc *listConfig[T], ra *rowActions[T], entities []T, total int, query string) error {
	base := Prefix(req) + "/" + r.Slug + "/"
	suffix := ""
	if query != "" {
		suffix = "?" + query
	}
	for i, e := range entities {
		page.Rows[i].Name = r.Display(e)
	}
	if err := r.linkColumns(req, lc, page.Rows, entities); err != nil {
		return err
	}
	if err := r.rowDeletes(req, page.Rows, base, query); err != nil {
		return err
	}
	if len(ra.actions) > 0 {
		bar := &views.ActionBar{}
		for _, a := range ra.actions {
			bar.Choices = append(bar.Choices, views.Choice{Value: a.name, Label: a.label})
		}
		if total > len(entities) {
			bar.Across = fmt.Sprintf("Select all %d %s", total, r.label(total))
		}
		page.Actions = bar
		page.FormURL = base + suffix
	}
	editable, choices := ra.editable, ra.choices
	if len(editable) == 0 {
		return nil
	}
	page.FormURL = base + suffix
	page.Edit = &views.ListEdit{SaveURL: base + "list-save/" + suffix}
	st := listSaveStateFrom(req.Context())
	if st != nil {
		page.Edit.Errors = st.errors
	}
	cols := make([]*editColumn[T], len(lc.columns)) // nil: not editable
	for j, c := range lc.columns {
		if len(entities) > 0 && c.field != nil && c.comp == nil && containsField(editable, c.field) {
			ec, err := r.editColumn(req, c.field, entities[0], choices[c.field.Name])
			if err != nil {
				return err
			}
			cols[j] = ec
		}
	}
	// Rows outside the user's change scope, and cells the form's
	// ReadOnlyFields hook makes read-only, are shown without an input.
	changeable, err := r.scopedRows(req, page.Rows, ActionChange)
	if err != nil {
		return err
	}
	// The inputs of all the cells share one allocation.
	var inputs []views.CellInput
	for i, e := range entities {
		row := &page.Rows[i]
		if changeable != nil && !changeable[row.ID] {
			continue
		}
		var readOnly []string // the ReadOnlyFields hook's, as readOnlyNow reads it
		if h := r.FormHooks.ReadOnlyFields; h != nil {
			readOnly = h(req, e)
		}
		first := true
		for j, ec := range cols {
			if ec == nil || slices.Contains(readOnly, ec.f.Name) {
				continue
			}
			if len(inputs) == 0 {
				inputs = make([]views.CellInput, (len(entities)-i)*len(editable))
			}
			in := &inputs[0]
			inputs = inputs[1:]
			if err := r.cellInput(req, ec, e, row, row.Cells[j].Text, st, in); err != nil {
				return err
			}
			if first {
				in.Row = row.ID
				first = false
			}
			row.Cells[j].Input = in
		}
	}
	return nil
}

func containsField[T any](fs []*Field[T], f *Field[T]) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// listEditable returns the editable columns the request's user may change:
// none without change permission, and only fields with write access.
func (r *Resource[T]) listEditable(req *http.Request, lc *listConfig[T]) []*Field[T] {
	if len(r.ListEditable) == 0 || !r.m.can(req, ActionChange) {
		return nil
	}
	access := r.access(req.Context(), ActionChange)
	var out []*Field[T]
	for _, name := range r.ListEditable {
		f := r.fields[name]
		if f == nil || !r.writable(f, access) {
			continue
		}
		if lc != nil && !lc.shows(f) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// writable reports whether a list-save may change the field.
func (r *Resource[T]) writable(f *Field[T], access map[string]Access) bool {
	return !f.ReadOnly && !f.Immutable && (access == nil || access[f.Name] == AccessWrite)
}

// shows reports whether the list shows the field as a column.
func (lc *listConfig[T]) shows(f *Field[T]) bool {
	for _, c := range lc.columns {
		if c.field == f && c.comp == nil {
			return true
		}
	}
	return false
}

// Input names of editable cells: "e.<id>.<field>" holds the value,
// "o.<id>.<field>" the value the page showed.
func editName(id, field string) string { return "e." + id + "." + field }
func origName(id, field string) string { return "o." + id + "." + field }

// cellNames returns the names of an editable cell's inputs (editName,
// origName), its element id, "e-<id>-<field>", and its label, "<label> of
// <name>", cut from one string: a list page has a hundred cells and more.
func cellNames(id, field, label, name string) (edit, orig, elem, text string) {
	n := len(id) + len(field) + 3
	all := "e." + id + "." + field + "o." + id + "." + field + "e-" + id + "-" + field + label + " of " + name
	return all[:n], all[n : 2*n], all[2*n : 3*n], all[3*n:]
}

// editColumn is an editable column of a list page: its input as the form
// builds it, made once per page; each cell fills in its row's value.
type editColumn[T any] struct {
	f       *Field[T]
	proto   views.Field    // the input less the row's value, error and names
	choices []views.Choice // edges: the related entities
}

// editColumn prepares the inputs of an editable column, from the form's
// field of the page's first entity e.
func (r *Resource[T]) editColumn(req *http.Request, f *Field[T], e T, choices []views.Choice) (*editColumn[T], error) {
	ec := &editColumn[T]{f: f, choices: choices}
	switch f.Kind {
	case KindEdge:
		ec.proto = views.Field{Widget: views.WidgetSelect, Required: !f.Optional}
	case KindEdges: // the widget depends on the row's value: built per cell
	default:
		vf, err := r.formField(req, f, &formState[T]{id: r.ID(e), entity: e, raw: map[string]string{}, errs: map[string]string{}})
		if err != nil {
			return nil, err
		}
		if vf.Widget == views.WidgetTextarea || vf.Widget == views.WidgetJSON {
			vf.Widget = views.WidgetText
		}
		// A cell neither validates on its own nor is prepopulated.
		vf.ValidateURL, vf.Prepopulate, vf.Slugify = "", nil, false
		ec.proto = vf
	}
	return ec, nil
}

// cellInput builds in, the input of an editable cell: the row's value, or
// what the user posted (st) with its error after a failed list-save. text
// is the cell's text, which is the input's value for integers.
func (r *Resource[T]) cellInput(req *http.Request, ec *editColumn[T], e T, row *views.Row, text string, st *listSaveState, in *views.CellInput) error {
	f := ec.f
	loc := r.m.site.location
	v := f.Get(e)
	if _, ok := v.(int); ok && text != "" {
		in.Orig = text // formatCell wrote it as inputValue does: not again
	} else {
		in.Orig = shownValue(f, v, loc)
	}
	var raw, msg string
	var typed bool
	if st != nil {
		if raw, typed = st.raw[row.ID][f.Name]; typed {
			in.Orig = st.orig[row.ID][f.Name]
		}
		msg = st.errs[row.ID][f.Name]
	}
	if f.Kind == KindEdges {
		fs := &formState[T]{id: row.ID, entity: e, raw: map[string]string{}, errs: map[string]string{f.Name: msg}}
		if typed {
			fs.raw[f.Name] = raw
		}
		vf, err := r.formField(req, f, fs)
		if err != nil {
			return err
		}
		in.Field = vf
	} else {
		vf := ec.proto
		vf.Error = msg
		switch {
		case typed:
			vf.Value, vf.Checked = raw, raw != "" && f.Kind == KindBool
		case f.Kind == KindBool:
			vf.Value = inputValue(f, v, loc)
			vf.Checked, _ = v.(bool)
		default:
			// The value shown is the input's, but for booleans.
			vf.Value, vf.Checked = in.Orig, false
		}
		choices := vf.Choices
		if f.Kind == KindEdge {
			choices = ec.choices
		}
		if len(choices) > 0 {
			vf.Choices = make([]views.Choice, len(choices))
			for i, c := range choices {
				c.Selected = c.Value == vf.Value
				vf.Choices[i] = c
			}
		}
		in.Field = vf
	}
	in.Name, in.OrigName, in.ID, in.Label = cellNames(row.ID, f.Name, f.Label, row.Name)
	return nil
}

// cellValue is the value of an editable cell as its input holds it; "on"
// or "" for booleans.
func cellValue[T any](f *Field[T], e T, loc *time.Location) string {
	return shownValue(f, f.Get(e), loc)
}

// shownValue is cellValue of the value v.
func shownValue[T any](f *Field[T], v any, loc *time.Location) string {
	if f.Kind == KindBool {
		if b, _ := v.(bool); b {
			return "on"
		}
		return ""
	}
	return inputValue(f, v, loc)
}

// listSaveState is a failed list-save: what the user posted and what was
// wrong, per row id and field name, for the list to show again.
type listSaveState struct {
	raw, orig map[string]map[string]string
	errs      map[string]map[string]string
	errors    []string
	stale     bool // some rows were changed by someone else since the list was shown
}

type listSaveKey struct{}

func listSaveStateFrom(ctx context.Context) *listSaveState {
	st, _ := ctx.Value(listSaveKey{}).(*listSaveState)
	return st
}
