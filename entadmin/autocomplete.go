package entadmin

import (
	"encoding/json"
	"github.com/entadmin/entadmin/entadmin/store"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Limits of an autocomplete answer.
const (
	autocompleteLimit    = 20
	autocompleteMaxLimit = 100
)

// searchResult is one entity of an autocomplete answer.
type searchResult struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// serveAutocomplete answers GET /{slug}/autocomplete/?field=&q=&limit= with
// the entities of the field's related type that match q, by the related
// type's search fields, as JSON {"results":[{"id":..,"text":..}]}. It
// refuses (400) a field that is not an edge of the resource the user may
// see, or whose related type is not in the admin, and (403) a user who may
// not view the related type. The related type's row scope applies.
func (r *Resource[T]) serveAutocomplete(w http.ResponseWriter, req *http.Request) error {
	if err := r.m.check(req, ActionView); err != nil {
		return err
	}
	q := req.URL.Query()
	name := q.Get("field")
	f := r.fields[name]
	if f == nil || f.Kind != KindEdge && f.Kind != KindEdges || !r.fieldVisible(req, f) {
		jsonError(w, http.StatusBadRequest, "“"+name+"” is not a relation of "+r.LabelPlural+".")
		return nil
	}
	t := r.target(f)
	if t == nil {
		jsonError(w, http.StatusBadRequest, "The related type of “"+name+"” is not in the admin.")
		return nil
	}
	if !t.meta().can(req, ActionView) {
		jsonError(w, http.StatusForbidden, "You do not have the “view” permission on "+t.meta().labelPlural+".")
		return nil
	}
	limit := autocompleteLimit
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			jsonError(w, http.StatusBadRequest, "Bad limit "+strconv.Quote(s)+".")
			return nil
		}
		limit = min(n, autocompleteMaxLimit)
	}
	results, err := t.search(req, q.Get("q"), limit)
	if err != nil {
		if status, msg := failureStatus(err); status != 0 {
			if status == http.StatusServiceUnavailable {
				w.Header().Set("Retry-After", retryAfter)
			}
			jsonError(w, status, msg)
			return nil
		}
		r.m.site.logger.Error("entadmin: autocomplete", "path", req.URL.Path, "err", err)
		jsonError(w, http.StatusInternalServerError, "The search failed on the server; it has been logged.")
		return nil
	}
	if results == nil {
		results = []searchResult{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
	return nil
}

// fieldVisible reports whether the request's user may see the field.
func (r *Resource[T]) fieldVisible(req *http.Request, f *Field[T]) bool {
	return !r.hiddenFields(req)[f.Name]
}

// searchableBy implements resource.
func (r *Resource[T]) searchableBy(req *http.Request) bool {
	if !r.m.can(req, ActionView) {
		return false
	}
	// What requestList decides, less the columns, which the search does
	// not use.
	names := r.ListDisplay
	if r.ListDisplayFunc != nil {
		names = r.ListDisplayFunc(req)
	}
	if r.columnsErr(names) != nil {
		return false
	}
	lc := listConfig[T]{search: r.searchFields(r.listHidden(req))}
	return lc.searchable(r)
}

// search implements resource: the entities matching q by the search the
// list offers the user, in the list's default order. The row scope applies
// through the client's interceptor.
func (r *Resource[T]) search(req *http.Request, q string, limit int) ([]searchResult, error) {
	lc, err := r.requestList(req)
	if err != nil {
		return nil, err
	}
	if !lc.searchable(r) && strings.TrimSpace(q) != "" {
		return nil, nil
	}
	p, err := r.parseList(req, lc, url.Values{paramSearch: {q}}, time.Now().In(r.m.site.location))
	if err != nil {
		return nil, err
	}
	entities, err := r.List(req.Context(), store.Query{Where: p.where, Order: r.orderBy(nil), Limit: limit})
	if err != nil {
		return nil, err
	}
	out := make([]searchResult, len(entities))
	for i, e := range entities {
		out[i] = searchResult{ID: r.ID(e), Text: r.Display(e)}
	}
	return out, nil
}

// displayName implements resource.
func (r *Resource[T]) displayName(req *http.Request, id string) (string, error) {
	e, err := r.Get(req.Context(), id)
	if err != nil {
		if r.isNotFound(err) {
			return "", nil
		}
		return "", err
	}
	return r.Display(e), nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func jsonError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}
