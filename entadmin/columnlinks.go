package entadmin

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/entadmin/entadmin/views"
)

// ColumnLinksFunc gives the cells of a list column links that depend on
// the request: it gets the request and the page's entities, once per page
// so that one query can decide for all of them, and returns the URL of
// each entity's cell, "" for none.
type ColumnLinksFunc[T any] func(r *http.Request, page []T) (func(T) string, error)

// ColumnLinks links the cells of the ListDisplay column name as fn says
// for each request, e.g. the audit log's objects to their pages for the
// users who may view them (see Site.ObjectURLs). A column that links to
// the entity's own form (ListDisplayLinks) keeps that link. It panics on
// a name that is not in ListDisplay, a programming error.
func (r *Resource[T]) ColumnLinks(name string, fn ColumnLinksFunc[T]) *Resource[T] {
	if !slices.Contains(r.ListDisplay, name) {
		panic(fmt.Sprintf("entadmin: %s.ColumnLinks(%q): not a column of ListDisplay %q", r.Type, name, r.ListDisplay))
	}
	if r.links == nil {
		r.links = map[string]ColumnLinksFunc[T]{}
	}
	r.links[name] = fn
	return r
}

// linkColumns sets the links of the page's columns that have ColumnLinks.
func (r *Resource[T]) linkColumns(req *http.Request, lc *listConfig[T], rows []views.Row, entities []T) error {
	for j, c := range lc.columns {
		fn := r.links[c.name]
		if fn == nil || c.link || len(entities) == 0 {
			continue
		}
		url, err := fn(req, entities)
		if err != nil {
			return err
		}
		for i, e := range entities {
			if u := url(e); u != "" && rows[i].Cells[j].Kind != views.CellEmpty {
				rows[i].Cells[j].Link = u
			}
		}
	}
	return nil
}
