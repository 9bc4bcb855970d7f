package entadmin

import (
	"context"
	"errors"
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/policy/fieldaccess"
	"github.com/entadmin/entadmin/views"
)

// The form fields of a bulk action request.
const (
	formAction   = "action"
	formSelected = "_selected"
	formAcross   = "select_across"
	formConfirm  = "_confirm"
)

// maxConfirmShown caps the rows a confirmation page lists; maxDeleteDetail
// caps the rows whose related rows a delete confirmation looks up.
const (
	maxConfirmShown = 100
	maxDeleteDetail = 100
)

// selection is what a bulk action acts on: posted ids, or every row
// matching the list's parameters.
type selection[T any] struct {
	across bool
	ids    []string    // posted ids (not across), in order, without repeats
	where  []Predicate // the list's search and filters (across); a row lock (list-save)
	order  []Predicate
	terms  []orderTerm[T] // the list's ordering (across), for exports
}

// errMissing reports selected ids that name no row the user may see.
type errMissing struct{ ids []string }

func (e errMissing) Error() string { return "not found: " + strings.Join(e.ids, ", ") }

// errTooMany reports a selection larger than Resource.MaxSelected.
type errTooMany struct{ max int }

func (e errTooMany) Error() string { return fmt.Sprintf("more than %d rows selected", e.max) }

// serveAction runs a bulk action posted from the list: POST /{slug}/ with
// the list's parameters in the query string.
func (r *Resource[T]) serveAction(w http.ResponseWriter, req *http.Request) error {
	if err := r.m.check(req, ActionView); err != nil {
		return err
	}
	if err := parseForm(w, req); err != nil {
		return err
	}
	back := r.listBack(req)
	name := req.PostForm.Get(formAction)
	if name == "" {
		AddMessage(w, req, views.LevelWarning, "No action selected.")
		http.Redirect(w, req, back, http.StatusSeeOther)
		return nil
	}
	a := r.bulkAction(name)
	if a == nil {
		return refuse(http.StatusBadRequest, fmt.Sprintf("There is no action %q on %s.", name, r.LabelPlural))
	}
	if err := r.m.check(req, a.perm); err != nil {
		return err
	}
	sel, err := r.selection(req)
	if err != nil {
		return badParamIn("selection", err)
	}
	if !sel.across && len(sel.ids) == 0 {
		AddMessage(w, req, views.LevelWarning, "Items must be selected in order to perform actions on them. No items have been changed.")
		http.Redirect(w, req, back, http.StatusSeeOther)
		return nil
	}
	confirmed := req.PostForm.Get(formConfirm) == "yes"
	switch {
	case a.name == DeleteSelected && !confirmed:
		return r.confirmDelete(w, req, a, sel, http.StatusOK)
	case a.name == DeleteSelected:
		return r.deleteSelection(w, req, a, sel)
	case a.name == ExportSelected:
		return r.exportSelection(w, req, sel)
	}
	// The action acts on the rows of its permission's scope, as its
	// updates do (see acting): others selected are missing.
	scope, err := r.m.grant(req.Context()).scope(a.perm)
	if err != nil {
		return err
	}
	if scope != nil && a.perm != ActionView { // the view scope is the list's
		sel.where = append(sel.where[:len(sel.where):len(sel.where)], scope)
	}
	if a.confirm != "" && !confirmed {
		return r.confirmAction(w, req, a, sel)
	}
	return r.runAction(w, req, a, sel)
}

// listBack is the list the request came from, with its parameters.
func (r *Resource[T]) listBack(req *http.Request) string {
	back := Prefix(req) + "/" + r.Slug + "/"
	if q := req.URL.RawQuery; q != "" {
		back += "?" + q
	}
	return back
}

// selection reads the selection of a bulk action request. With
// select_across it is every row the list's parameters (in the query string)
// match, whatever ids were posted.
func (r *Resource[T]) selection(req *http.Request) (*selection[T], error) {
	if req.PostForm.Get(formAcross) == "1" {
		lc, err := r.requestList(req)
		if err != nil {
			return nil, err
		}
		p, err := r.parseList(req, lc, req.URL.Query(), time.Now().In(r.m.site.location))
		if err != nil {
			return nil, err
		}
		return &selection[T]{across: true, where: p.where, order: r.orderBy(p.order), terms: p.order}, nil
	}
	sel := &selection[T]{order: r.orderBy(nil)}
	for _, id := range req.PostForm[formSelected] {
		if slices.Contains(sel.ids, id) {
			continue
		}
		if _, err := r.ParseID(id); err != nil {
			return nil, badParam{fmt.Sprintf("%q is not the id of a %s", id, r.Label)}
		}
		sel.ids = append(sel.ids, id)
	}
	if len(sel.ids) > r.maxSelected() {
		return nil, badParam{fmt.Sprintf("more than %d rows selected", r.maxSelected())}
	}
	return sel, nil
}

func (r *Resource[T]) maxSelected() int {
	if r.MaxSelected > 0 {
		return r.MaxSelected
	}
	return defaultMaxSelected
}

// load returns the selected entities, read with ctx, so within the user's
// row scope. Posted ids that name no such row fail with errMissing: a forged
// id is refused, never silently skipped.
func (r *Resource[T]) load(ctx context.Context, sel *selection[T]) ([]T, error) {
	if sel.across {
		max := r.maxSelected()
		items, err := r.List(ctx, store.Query{Where: sel.where, Order: sel.order, Limit: max + 1})
		if err != nil {
			return nil, err
		}
		if len(items) > max {
			return nil, errTooMany{max}
		}
		return items, nil
	}
	ids := make([]any, len(sel.ids))
	for i, id := range sel.ids {
		ids[i], _ = r.ParseID(id) // checked by selection
	}
	items, err := r.List(ctx, store.Query{Where: append([]Predicate{sql.FieldIn(r.IDColumn, ids...)}, sel.where...), Order: sel.order, Limit: len(ids)})
	if err != nil {
		return nil, err
	}
	if len(items) != len(ids) {
		found := make(map[string]bool, len(items))
		for _, e := range items {
			found[r.ID(e)] = true
		}
		var missing []string
		for _, id := range sel.ids {
			if !found[id] {
				missing = append(missing, id)
			}
		}
		return nil, errMissing{missing}
	}
	return items, nil
}

// selectionError handles err, met loading the selection: a selection too
// large goes back to the list with a message, and nil is returned; rows
// missing from it are a 404 error; any other error is returned as it is.
func (r *Resource[T]) selectionError(w http.ResponseWriter, req *http.Request, err error) error {
	var missing errMissing
	var tooMany errTooMany
	switch {
	case errors.As(err, &missing):
		return refuse(http.StatusNotFound, fmt.Sprintf(
			"Nothing was done: some of the selected %s do not exist, or are not yours to see (ids %s). They may have been deleted; reload the list and try again.",
			r.LabelPlural, strings.Join(missing.ids, ", ")))
	case errors.As(err, &tooMany):
		AddMessage(w, req, views.LevelError, fmt.Sprintf("Nothing was done: more than %d %s match; narrow the list with a search or filters.", tooMany.max, r.LabelPlural))
		http.Redirect(w, req, r.listBack(req), http.StatusSeeOther)
		return nil
	}
	return err
}

// runAction runs a custom action in one transaction.
func (r *Resource[T]) runAction(w http.ResponseWriter, req *http.Request, a *BulkAction[T], sel *selection[T]) error {
	rec := &responseRecorder{ResponseWriter: w}
	var msg string
	n := 0
	err := r.Atomic(req.Context(), func(ctx context.Context) error {
		items, err := r.load(ctx, sel)
		if err != nil {
			return err
		}
		n = len(items)
		msg, err = a.fn(rec, req.WithContext(fieldaccess.Allow(acting(ctx, r.Slug, a.perm), r, a.writes...)), items)
		return err
	})
	if err == nil {
		r.recordRun(req, a, sel, n)
	}
	if rec.wrote {
		if err != nil {
			r.m.site.logger.Error("entadmin: action failed after it answered", "action", a.name, "path", req.URL.Path, "err", err)
		}
		return nil
	}
	if err != nil {
		text, ok := userError(err)
		if !ok {
			return r.selectionError(w, req, err)
		}
		AddMessage(w, req, views.LevelError, text)
	} else if msg != "" {
		AddMessage(w, req, views.LevelSuccess, msg)
	}
	http.Redirect(w, req, r.listBack(req), http.StatusSeeOther)
	return nil
}

// recordRun records the run of a custom action in the audit log, when the
// site keeps one: its writes have entries of their own.
func (r *Resource[T]) recordRun(req *http.Request, a *BulkAction[T], sel *selection[T], n int) {
	if r.m.site.audit == nil {
		return
	}
	what := fmt.Sprintf("%s: %d %s", a.label, n, r.label(n))
	if sel.across {
		what += " (all matching " + r.listBack(req) + ")"
	}
	e := AuditEntry{Action: "action:" + a.name, Resource: r.Slug, Message: what}
	if err := r.m.site.Record(req.Context(), e); err != nil {
		r.m.site.logger.Error("entadmin: recording an action run", "action", a.name, "err", err)
	}
}

// userError returns the message of an error meant for the user: a
// FormError, a FieldError, or a write of a field the user may not change.
func userError(err error) (string, bool) {
	if msg, ok := deniedMessage(err); ok {
		return msg, true
	}
	var fm *FormError
	if errors.As(err, &fm) {
		return fm.Message, true
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Message, true
	}
	return "", false
}

// actionPage returns the confirmation page of an action on the selection.
func (r *Resource[T]) actionPage(w http.ResponseWriter, req *http.Request, a *BulkAction[T], sel *selection[T], items []T) views.ActionPage {
	prefix := Prefix(req)
	base := prefix + "/" + r.Slug + "/"
	back := r.listBack(req)
	page := views.ActionPage{
		Page:      r.m.site.page(w, req, capitalize(a.label), r.Slug),
		Question:  a.confirm,
		Name:      a.name,
		Button:    "Yes, " + strings.ToLower(a.label[:1]) + a.label[1:],
		ActionURL: back,
		CancelURL: back,
		Across:    sel.across,
		Selected:  sel.ids,
	}
	page.Breadcrumbs = []views.Link{{Label: "Home", URL: prefix + "/"}, {Label: capitalize(r.LabelPlural), URL: back}, {Label: capitalize(a.label)}}
	for i, e := range items {
		if i == maxConfirmShown {
			page.More = len(items) - i
			break
		}
		page.Items = append(page.Items, views.Link{Label: r.Display(e), URL: base + url.PathEscape(r.ID(e)) + "/"})
	}
	return page
}

// confirmAction shows the confirmation page of a custom action.
func (r *Resource[T]) confirmAction(w http.ResponseWriter, req *http.Request, a *BulkAction[T], sel *selection[T]) error {
	items, err := r.load(req.Context(), sel)
	if err != nil {
		return r.selectionError(w, req, err)
	}
	page := r.actionPage(w, req, a, sel, items)
	page.Question = fmt.Sprintf("%s (%d %s)", a.confirm, len(items), r.label(len(items)))
	r.m.site.render(w, req, http.StatusOK, r.views().Action(page))
	return nil
}

// confirmDelete shows what deleting the selection deletes and unlinks.
func (r *Resource[T]) confirmDelete(w http.ResponseWriter, req *http.Request, a *BulkAction[T], sel *selection[T], status int) error {
	ctx := req.Context()
	items, err := r.load(ctx, sel)
	if err != nil {
		return r.selectionError(w, req, err)
	}
	page := r.actionPage(w, req, a, sel, items)
	page.Danger = true
	page.Button = "Yes, I’m sure"
	page.Question = fmt.Sprintf("Are you sure you want to delete the %d selected %s? These %s and the related rows below will be deleted or unlinked:", len(items), r.label(len(items)), r.label(len(items)))
	prefix := Prefix(req)
	groups := map[string]*views.Related{}
	var order []string
	for i, e := range items {
		if i == maxDeleteDetail {
			page.Note = fmt.Sprintf("The related rows of the other %d %s are not listed; they are deleted or unlinked the same way.", len(items)-i, r.LabelPlural)
			break
		}
		related, err := r.related(req, r.ID(e))
		if err != nil {
			return err
		}
		for _, g := range related {
			key := g.Label + "\x00" + g.Effect
			vr := groups[key]
			if vr == nil {
				vr = &views.Related{Label: g.Label, Effect: g.Effect}
				groups[key] = vr
				order = append(order, key)
			}
			page.Protected = page.Protected || g.Effect == store.EffectProtected
			for _, item := range g.Items {
				if len(vr.Items) == maxRelatedShown {
					vr.More++
					continue
				}
				link := views.Link{Label: item.Label}
				if g.Target != "" {
					link.URL = prefix + "/" + g.Target + "/" + url.PathEscape(item.ID) + "/"
				}
				vr.Items = append(vr.Items, link)
			}
			vr.More += g.Total - len(g.Items)
		}
	}
	for _, key := range order {
		page.Related = append(page.Related, *groups[key])
	}
	r.m.site.render(w, req, status, r.views().Action(page))
	return nil
}

// deleteSelection deletes the selection in one transaction, one row at a
// time through Resource.Delete, so that the client's hooks (row scope,
// audit) see every row.
func (r *Resource[T]) deleteSelection(w http.ResponseWriter, req *http.Request, a *BulkAction[T], sel *selection[T]) error {
	n := 0
	err := r.Atomic(req.Context(), func(ctx context.Context) error {
		items, err := r.load(ctx, sel)
		if err != nil {
			return err
		}
		for _, e := range items {
			if err := r.Delete(ctx, r.ID(e)); err != nil {
				return err
			}
		}
		n = len(items)
		return nil
	})
	if err == nil {
		AddMessage(w, req, views.LevelSuccess, fmt.Sprintf("Deleted %d %s.", n, r.label(n)))
		http.Redirect(w, req, r.listBack(req), http.StatusSeeOther)
		return nil
	}
	if r.IsConstraint(err) {
		return r.confirmDelete(w, req, a, sel, http.StatusConflict)
	}
	if text, ok := userError(err); ok {
		AddMessage(w, req, views.LevelError, "Nothing was deleted: "+text)
		http.Redirect(w, req, r.listBack(req), http.StatusSeeOther)
		return nil
	}
	return r.selectionError(w, req, err)
}

// exportSelection downloads the selection as CSV. Posted ids must all be
// in the user's row scope, as for every action; every matching row is
// streamed in batches, never loaded at once.
func (r *Resource[T]) exportSelection(w http.ResponseWriter, req *http.Request, sel *selection[T]) error {
	rec := &responseRecorder{ResponseWriter: w}
	var err error
	if sel.across {
		var lc *listConfig[T]
		if lc, err = r.requestList(req); err == nil {
			err = r.writeCSV(rec, req, lc, sel.where, sel.terms)
		}
	} else if _, err = r.load(req.Context(), sel); err == nil {
		err = r.ExportCSV(rec, req, sel.ids)
	}
	switch {
	case err == nil:
		return nil
	case rec.wrote:
		r.m.site.logger.Error("entadmin: export selected", "resource", r.Slug, "err", err)
		return nil
	}
	return r.selectionError(w, req, err)
}

// responseRecorder tells whether a handler wrote a response.
type responseRecorder struct {
	http.ResponseWriter
	wrote bool
}

func (w *responseRecorder) WriteHeader(status int) {
	w.wrote = true
	w.ResponseWriter.WriteHeader(status)
}

func (w *responseRecorder) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer, e.g. to
// flush a streamed download.
func (w *responseRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush implements http.Flusher.
func (w *responseRecorder) Flush() {
	w.wrote = true
	http.NewResponseController(w.ResponseWriter).Flush()
}
