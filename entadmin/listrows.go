package entadmin

import (
	"cmp"
	"net/url"
	"strings"

	"github.com/entadmin/entadmin/views"
)

// maxSortTerms caps the columns a list is sorted by at once.
const maxSortTerms = 3

// headers returns the column headers with their sort links. Clicking a
// header sorts by it first and keeps the other sorted columns after it
// (?o=price,-name sorts by price, then by name descending); clicking the
// first sorted column again reverses it.
func (lc *listConfig[T]) headers(p *listParams[T], base string) []views.Column {
	cols := make([]views.Column, len(lc.columns))
	for i, c := range lc.columns {
		col := views.Column{Label: c.label, Numeric: c.numeric(), Width: c.width()}
		if lc.sortable[c.name] != nil {
			at := -1
			for j, t := range p.order {
				if t.name == c.name {
					at = j
				}
			}
			first := "" // the new first term
			switch {
			case at == 0 && !p.order[0].desc:
				first = "-" + c.name
			default:
				first = c.name
			}
			if at >= 0 {
				col.Sorted = 1
				if p.order[at].desc {
					col.Sorted = -1
				}
				if len(p.order) > 1 {
					col.SortPriority = at + 1
				}
			}
			terms := []string{first}
			for _, t := range p.order {
				if t.name != c.name && len(terms) < maxSortTerms {
					terms = append(terms, t.String())
				}
			}
			col.SortURL = p.url(base, paramOrder, strings.Join(terms, ","))
		}
		cols[i] = col
	}
	return cols
}

// String is the term as the o parameter writes it.
func (t orderTerm[T]) String() string {
	if t.desc {
		return "-" + t.name
	}
	return t.name
}

// numeric reports whether the column is right-aligned.
func (c column[T]) numeric() bool {
	if c.comp != nil {
		return c.comp.numeric
	}
	return c.field.Kind.Numeric()
}

// width returns the column's width class: narrow for values of a known
// short form, the rest of the room for text, relations and computed HTML.
func (c column[T]) width() string {
	if c.comp != nil {
		if c.comp.numeric {
			return views.WidthNarrow
		}
		return views.WidthAuto
	}
	switch c.field.Kind {
	case KindInt, KindFloat, KindBool, KindTime, KindEnum:
		return views.WidthNarrow
	}
	return views.WidthAuto
}

// rows formats the entities of a page. Row links carry the list's
// parameters, so that saving the form comes back to this page. What is the
// same for every row (the link's parameters, each column's empty value) is
// computed once, and the cells of all rows share one allocation.
func (r *Resource[T]) rows(lc *listConfig[T], entities []T, base, query string) []views.Row {
	rows := make([]views.Row, len(entities))
	cells := make([]views.Cell, len(entities)*len(lc.columns))
	loc := r.m.site.location
	kept := keepFilters("", query)
	empties := make([]string, len(lc.columns))
	for j, c := range lc.columns {
		empties[j] = cmp.Or(c.empty, r.EmptyValue)
	}
	for i, e := range entities {
		id := r.ID(e)
		row := views.Row{ID: id, URL: base + url.PathEscape(id) + "/" + kept, Cells: cells[:len(lc.columns):len(lc.columns)]}
		cells = cells[len(lc.columns):]
		for j, c := range lc.columns {
			var cell views.Cell
			if c.comp != nil {
				cell = c.comp.cell(e, empties[j])
			} else {
				cell = formatCell(c.field, c.field.Get(e), loc, empties[j])
			}
			if c.link {
				cell.Link = row.URL
			}
			row.Cells[j] = cell
		}
		rows[i] = row
	}
	return rows
}
