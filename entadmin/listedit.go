package entadmin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/views"
)

// maxListSaveRows caps the rows one list-save changes.
const maxListSaveRows = 1000

// errListInvalid rolls a list-save back when a row has errors.
var errListInvalid = errors.New("entadmin: list-save has errors")

// errReadOnlyCell is the error of a cell the form's ReadOnlyFields hook
// makes read-only for its row.
var errReadOnlyCell = inputError("You may not change this value.")

// rowChange is the changed values of one row of a list-save.
type rowChange[T any] struct {
	id     string
	old    T // the row as loaded in the save's transaction
	values []decoded[T]
}

// serveListSave saves the editable columns of a list: POST
// /{slug}/list-save/ with the list's parameters in the query string. Every
// changed row is validated with the form's decoders and validators, and all
// of them are written in one transaction, or none: a row with an error
// comes back with the user's values and a message per field. Only the rows
// and fields whose value differs from the one the page showed are written,
// and only if the row still has the value the page showed: a row someone
// else changed since is stale, and fails the whole save (409).
func (r *Resource[T]) serveListSave(w http.ResponseWriter, req *http.Request) error {
	if req.Method != http.MethodPost {
		http.Redirect(w, req, r.listBack(req), http.StatusSeeOther)
		return nil
	}
	if err := r.m.check(req, ActionView); err != nil {
		return err
	}
	if err := r.m.check(req, ActionChange); err != nil {
		return err
	}
	if len(r.ListEditable) == 0 {
		return refuse(http.StatusNotFound, "The list of "+r.LabelPlural+" has no editable columns.")
	}
	if err := parseForm(w, req); err != nil {
		return err
	}
	var ids []string
	for _, id := range req.PostForm["_row"] {
		if slices.Contains(ids, id) {
			continue
		}
		if _, err := r.ParseID(id); err != nil {
			return refuse(http.StatusBadRequest, fmt.Sprintf("%q is not the id of a %s.", id, r.Label))
		}
		ids = append(ids, id)
	}
	if len(ids) > maxListSaveRows {
		return refuse(http.StatusBadRequest, fmt.Sprintf("A list-save changes at most %d rows.", maxListSaveRows))
	}
	editable := r.listEditable(req, nil)
	ignored := r.forgedCells(req, ids, editable)
	st := &listSaveState{raw: map[string]map[string]string{}, orig: map[string]map[string]string{}, errs: map[string]map[string]string{}}
	changed := 0
	err := r.Atomic(req.Context(), func(ctx context.Context) error {
		changes, err := r.listChanges(req.WithContext(ctx), ids, editable, st)
		if err != nil {
			return err
		}
		for _, c := range changes {
			if err := r.saveRow(ctx, c); err != nil {
				if !r.rowError(st, c.id, err) {
					return err
				}
				return errListInvalid
			}
		}
		changed = len(changes)
		return nil
	})
	switch {
	case err == nil:
	case errors.Is(err, errListInvalid):
		head := "Nothing was saved: please correct the errors below."
		if st.stale {
			head = "Nothing was saved: someone else changed some of these " + r.LabelPlural + " since the list was shown."
		}
		st.errors = append([]string{head}, st.errors...)
		if len(ignored) > 0 {
			st.errors = append(st.errors, "You may not change "+strings.Join(ignored, ", ")+"; those values were ignored.")
		}
		r.showListAgain(w, req, st)
		return nil
	default:
		return r.selectionError(w, req, err)
	}
	if len(ignored) > 0 {
		AddMessage(w, req, views.LevelWarning, "Not saved, because you may not change them: "+strings.Join(ignored, ", ")+".")
	}
	switch changed {
	case 0:
		AddMessage(w, req, views.LevelInfo, "No changes to save.")
	case 1:
		AddMessage(w, req, views.LevelSuccess, "1 "+r.Label+" was changed.")
	default:
		AddMessage(w, req, views.LevelSuccess, fmt.Sprintf("%d %s were changed.", changed, r.LabelPlural))
	}
	if req.Header.Get("HX-Request") == "true" {
		r.showListAgain(w, req, nil)
		return nil
	}
	http.Redirect(w, req, r.listBack(req), http.StatusSeeOther)
	return nil
}

// saveRow writes the changes of one row. The row loaded by listChanges is
// the mutation's old row, so that neither the hooks nor the audit log read
// it again.
func (r *Resource[T]) saveRow(ctx context.Context, c rowChange[T]) error {
	set := func(m ent.Mutation) error { return setValues(m, c.values) }
	var err error
	if r.UpdateLoaded != nil {
		_, err = r.UpdateLoaded(ctx, c.old, set)
	} else {
		_, err = r.Update(ctx, c.id, set)
	}
	return err
}

// forgedCells returns the names of posted cell fields the user may not
// change: not editable in the list, hidden or read-only for them.
func (r *Resource[T]) forgedCells(req *http.Request, ids []string, editable []*Field[T]) []string {
	var out []string
	for key := range req.PostForm {
		rest, ok := strings.CutPrefix(key, "e.")
		if !ok {
			continue
		}
		for _, id := range ids {
			name, ok := strings.CutPrefix(rest, id+".")
			if !ok || slices.ContainsFunc(editable, func(f *Field[T]) bool { return f.Name == name }) {
				continue
			}
			if !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	slices.Sort(out)
	return out
}

// listChanges loads and locks the posted rows (within the user's row
// scope: an id outside it fails the save) and decodes the fields whose
// posted value differs from the one the page showed. A row whose changed
// field no longer has the value the page showed is stale: someone else
// saved it since. The rows stay locked until the save's transaction ends,
// so that they are compared, written and audited as they are in the
// database. Errors go to st; any error fails with errListInvalid, before
// anything is written.
func (r *Resource[T]) listChanges(req *http.Request, ids []string, editable []*Field[T], st *listSaveState) ([]rowChange[T], error) {
	if len(ids) == 0 {
		return nil, nil
	}
	// Locked in the order of their ids, as every list-save locks them;
	// a row outside the user's change scope is missing.
	sel := &selection[T]{ids: ids, where: []Predicate{lockRows}, order: []Predicate{sql.OrderByField(r.IDColumn).ToFunc()}}
	scope, err := r.actionScope(req.Context(), ActionChange)
	if err != nil {
		return nil, err
	}
	if scope != nil {
		sel.where = append(sel.where, scope)
	}
	items, err := r.load(req.Context(), sel)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]T, len(items))
	for _, e := range items {
		byID[r.ID(e)] = e
	}
	loc := r.m.site.location
	var changes []rowChange[T]
	invalid := false
	for _, id := range ids {
		e := byID[id]
		c := rowChange[T]{id: id, old: e}
		readOnly := r.readOnlyNow(req, e)
		var stale []string
		for _, f := range editable {
			orig, shown := req.PostForm[origName(id, f.Name)]
			if !shown {
				continue // not on the page, e.g. the user hid the column
			}
			raw := req.PostForm.Get(editName(id, f.Name))
			if f.Kind == KindBool && req.PostForm.Has(editName(id, f.Name)) {
				raw = "on"
			}
			st.set(st.raw, id, f.Name, raw)
			st.set(st.orig, id, f.Name, orig[0])
			v, err := r.decodeValue(f, raw)
			if err == nil {
				typed, now := normalized(f, v, raw, loc), cellValue(f, e, loc)
				switch {
				case typed == orig[0] || typed == now:
					continue // unchanged, or someone else made the same change
				case now != orig[0]:
					st.set(st.errs, id, f.Name, staleCell(f, now))
					stale = append(stale, staleField(f, now))
					continue
				case readOnly[f.Name]:
					// The list shows no input for it: the message goes on top.
					err = errReadOnlyCell
					st.errors = append(st.errors, fmt.Sprintf("%s %q: you may not change %s.", capitalize(r.Label), r.Display(e), f.Label))
				case v != nil && f.Unique:
					err = r.checkUnique(req, f, v, id)
				case v != nil && f.Exists != nil:
					err = checkExists(req, f, v)
				}
				if ie := inputError(""); err != nil && !errors.As(err, &ie) {
					return nil, err // the database failed a check
				}
			}
			if err != nil {
				st.set(st.errs, id, f.Name, err.Error())
				invalid = true
				continue
			}
			c.values = append(c.values, decoded[T]{f, v})
		}
		if len(stale) > 0 {
			st.stale, invalid = true, true
			st.errors = append(st.errors, fmt.Sprintf("%s %q was changed by someone else since the list was shown: %s. Reload the list to see the changes.",
				capitalize(r.Label), r.Display(e), strings.Join(stale, ", ")))
		}
		if len(c.values) > 0 {
			changes = append(changes, c)
		}
	}
	if invalid {
		return nil, errListInvalid
	}
	return changes, nil
}

// staleCell is the error of a cell whose value someone else changed to
// now since the list showed it.
func staleCell[T any](f *Field[T], now string) string {
	if f.Kind == KindBool || f.Kind == KindEdge || f.Kind == KindEdges {
		return "Someone else changed this value since the list was shown."
	}
	if now == "" {
		return "Someone else cleared this value since the list was shown."
	}
	return "Someone else changed this to " + now + " since the list was shown."
}

// staleField says what a stale field's value is now, for the row's
// message.
func staleField[T any](f *Field[T], now string) string {
	switch {
	case f.Kind == KindBool && now != "":
		return f.Label + " is now on"
	case f.Kind == KindBool:
		return f.Label + " is now off"
	case f.Kind == KindEdge || f.Kind == KindEdges:
		return f.Label + " changed"
	case now == "":
		return f.Label + " is now empty"
	}
	return f.Label + " is now " + now
}

// normalized is a decoded value as the cell's input shows it, to compare
// with the value the page showed: "12.50" and "12.5" are the same price.
func normalized[T any](f *Field[T], v any, raw string, loc *time.Location) string {
	if f.Kind == KindBool {
		return raw
	}
	return inputValue(f, v, loc)
}

func (st *listSaveState) set(m map[string]map[string]string, id, field, v string) {
	if m[id] == nil {
		m[id] = map[string]string{}
	}
	m[id][field] = v
}

// rowError puts an error of a row's save (a hook's FieldError or
// FormError, an ent validator, a constraint) on the row; it reports false
// for errors that are not the user's to fix.
func (r *Resource[T]) rowError(st *listSaveState, id string, err error) bool {
	fs := &formState[T]{id: id, errs: map[string]string{}}
	if !r.formError(fs, err) {
		return false
	}
	for name, msg := range fs.errs {
		if _, shown := st.raw[id][name]; shown {
			st.set(st.errs, id, name, msg)
		} else {
			fs.formErrs = append(fs.formErrs, msg)
		}
	}
	for _, msg := range fs.formErrs {
		st.errors = append(st.errors, fmt.Sprintf("%s %s: %s", capitalize(r.Label), id, msg))
	}
	return true
}

// showListAgain renders the list of the request's parameters: after a
// failed save with the user's values and errors (st), after a successful
// htmx save with the new values.
func (r *Resource[T]) showListAgain(w http.ResponseWriter, req *http.Request, st *listSaveState) {
	ctx := req.Context()
	if st != nil {
		ctx = context.WithValue(ctx, listSaveKey{}, st)
	}
	get := req.Clone(ctx)
	get.Method = http.MethodGet
	get.Body = http.NoBody
	r.m.site.answer(w, get, r.serveList(w, get))
}

// listStatus is the status of a list page that shows the errors of a
// list-save to a browser without htmx (which does not swap error
// responses): 409 when rows were stale, 422 otherwise.
func (r *Resource[T]) listStatus(req *http.Request) int {
	st := listSaveStateFrom(req.Context())
	switch {
	case st == nil || req.Header.Get("HX-Request") == "true":
		return http.StatusOK
	case st.stale:
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}
