package entadmin

import (
	"net/http"
	"net/url"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/views"
)

// rowDeletes gives the list rows the user may delete a delete link: to the
// confirmation dialog with htmx, to the confirmation page without
// JavaScript, both carrying the list's parameters so that the delete comes
// back to this list. The delete permission is asked once for the resource;
// only when an object scope limits the user's deletes (ObjectScoper) does
// one query find which of the page's rows it allows.
func (r *Resource[T]) rowDeletes(req *http.Request, rows []views.Row, base, query string) error {
	if len(rows) == 0 || !r.m.can(req, ActionDelete) {
		return nil
	}
	allowed, err := r.scopedRows(req, rows, ActionDelete)
	if err != nil {
		return err
	}
	kept := keepFilters("", query)
	for i := range rows {
		row := &rows[i]
		if allowed != nil && !allowed[row.ID] {
			continue
		}
		// Both links cut from one string: a page has a hundred rows.
		id := url.PathEscape(row.ID)
		both := base + id + "/delete/" + kept + base + id + "/confirm-delete/" + kept
		n := len(base) + len(id) + len("/delete/") + len(kept)
		row.DeleteURL, row.ConfirmDeleteURL = both[:n], both[n:]
	}
	return nil
}

// scopedRows returns the ids of the rows the user's object scope lets them
// do action on, or nil when no object scope limits the action.
func (r *Resource[T]) scopedRows(req *http.Request, rows []views.Row, action Action) (map[string]bool, error) {
	ctx := req.Context()
	scope, err := r.actionScope(ctx, action)
	if err != nil || scope == nil {
		return nil, err
	}
	ids := make([]any, 0, len(rows))
	for _, row := range rows {
		id, err := r.ParseID(row.ID)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	found, err := r.Distinct(ctx, []Predicate{scope, sql.FieldIn(r.IDColumn, ids...)}, r.IDColumn, len(ids))
	if err != nil {
		return nil, err
	}
	allowed := make(map[string]bool, len(found))
	for _, id := range found {
		allowed[id] = true
	}
	return allowed, nil
}
