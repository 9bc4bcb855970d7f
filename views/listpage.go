package views

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"

	"github.com/a-h/templ"
)

// A list's page is written directly, as its rows are (see tableRows): it is
// the page an admin opens most, and most of its cost was templ's
// allocations for each value, class list and link it printed, not the
// markup.

// addLabel is the text of a list's add button.
func addLabel(p ListPage) string {
	if p.AddLabel != "" {
		return p.AddLabel
	}
	return "Add"
}

// emptyText is the text of a list without rows.
func emptyText(p ListPage) string {
	if p.EmptyText != "" {
		return p.EmptyText
	}
	return "Nothing found."
}

// ariaSort is the aria-sort value of a column header, "" when not sorted.
func ariaSort(c Column) string {
	switch {
	case c.Sorted > 0:
		return "ascending"
	case c.Sorted < 0:
		return "descending"
	}
	return ""
}

// sortArrow is the indicator of a sortable column header.
func sortArrow(c Column) string {
	switch {
	case c.Sorted > 0:
		return "▲"
	case c.Sorted < 0:
		return "▼"
	}
	return "↕"
}

// deleteCols is 1 when a row of the list has a delete link, else 0.
func deleteCols(p ListPage) int {
	for _, r := range p.Rows {
		if r.DeleteURL != "" {
			return 1
		}
	}
	return 0
}

// selectCols is the number of columns a list adds before its own: one for
// the row checkboxes when it has bulk actions.
func selectCols(p ListPage) int {
	if p.Actions != nil {
		return 1
	}
	return 0
}

// The classes of a column header, by the bits of thClass: constants, so
// that no header builds its class list.
const (
	thNum    = 1 // right-aligned
	thSorted = 2 // the list is sorted by the column
	thNarrow = 4 // as wide as its values
	thFirst  = 8 // the first column
)

var thClasses = func() (c [16]string) {
	for k := range c {
		var names []string
		for _, n := range []struct {
			bit  int
			name string
		}{{thNum, "num"}, {thSorted, "sorted"}, {thNarrow, "narrow"}, {thFirst, "first"}} {
			if k&n.bit != 0 {
				names = append(names, n.name)
			}
		}
		c[k] = strings.Join(names, " ")
	}
	return c
}()

// thClass returns the classes of the i-th column header (see thClasses).
func thClass(i int, c Column) int {
	k := 0
	if c.Numeric {
		k |= thNum
	}
	if c.Sorted != 0 {
		k |= thSorted
	}
	if c.Width == WidthNarrow {
		k |= thNarrow
	}
	if i == 0 {
		k |= thFirst
	}
	return k
}

// ListView is a resource's list: search, add button, filters and results.
// With JavaScript, htmx swaps only the results (and the filters around them)
// as the user types a search, follows a filter, a sort or a page link, and
// keeps the address bar and the history in step; without it, every link and
// the search form load the whole page.
func ListView(p ListPage) templ.Component {
	content := directly(func(ctx context.Context, hw *htmlWriter) error {
		if p.Searchable || p.AddURL != "" || len(p.Tools) > 0 {
			hw.toolbar(p)
		}
		if len(p.Filters) > 0 {
			hw.raw(` <div class="list-layout has-filters" hx-target="#results" hx-swap="outerHTML" hx-indicator="#results">`)
		} else {
			hw.raw(` <div class="list-layout" hx-target="#results" hx-swap="outerHTML" hx-indicator="#results">`)
		}
		if hole, ok := ctx.Value(resultsHoleKey{}).(*resultsHole); ok {
			hole.at, hole.found = hole.buf.Len(), hw.w == markupWriter(hole.buf)
		} else {
			hw.results(ctx, p)
		}
		if len(p.Filters) > 0 {
			hw.filterSidebar(p, false)
		}
		hw.raw(`</div>`)
		return hw.err
	})
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return Layout(p.Page).Render(templ.WithChildren(ctx, content), w)
	})
}

// resultsHole, in the context of ListAround's rendering, makes ListView
// leave out the results and note where in buf they go.
type resultsHole struct {
	buf   *bytes.Buffer
	at    int
	found bool
}

// resultsHoleKey is the context key of a *resultsHole.
type resultsHoleKey struct{}

// ListAround writes ListView(p) to the empty buf without its results and
// returns where they go: buf.Bytes()[:at], ListResults(p) and
// buf.Bytes()[at:] are ListView(p). A list's results depend on its rows
// and the rest of its page does not, so the rest may be written while the
// rows are read.
func ListAround(ctx context.Context, p ListPage, buf *bytes.Buffer) (at int, err error) {
	hole := &resultsHole{buf: buf}
	if err := ListView(p).Render(context.WithValue(ctx, resultsHoleKey{}, hole), buf); err != nil {
		return 0, err
	}
	if !hole.found {
		return 0, errors.New("views: the list page was not written in one buffer")
	}
	return hole.at, nil
}

// ListPartial is the answer of the partial endpoint: the results, and the
// filters and the search form's hidden parameters out of band.
func ListPartial(p ListPage) templ.Component {
	return directly(func(ctx context.Context, hw *htmlWriter) error {
		hw.results(ctx, p)
		if len(p.Filters) > 0 {
			hw.filterSidebar(p, true)
		}
		if p.Searchable {
			hw.searchKeep(p, true)
			hw.raw(" ")
			hw.clearSearch(p, true)
		}
		return hw.err
	})
}

// ListResults is the part of a list that changes with search, filters,
// ordering and page: the table, the summary and the pagination. Its root is
// #results, so that it can be swapped on its own.
func ListResults(p ListPage) templ.Component {
	return directly(func(ctx context.Context, hw *htmlWriter) error {
		hw.results(ctx, p)
		return hw.err
	})
}

// FilterChoices is a filter's choices, with the hint that they are the
// first of more; the answer of a filter's search.
func FilterChoices(listURL string, f Filter) templ.Component {
	return directly(func(_ context.Context, hw *htmlWriter) error {
		hw.filterChoices(listURL, f)
		return hw.err
	})
}

// partialURL writes the partial endpoint's URL for a link of the list,
// escaped: the same parameters, answered with the results only.
func (h *htmlWriter) partialURL(listURL, u string) {
	if rest, ok := strings.CutPrefix(u, listURL); ok {
		h.text(listURL)
		h.raw("partial/")
		h.text(rest)
		return
	}
	h.text(u)
}

// toolbar writes the search form, the add button and the tools.
func (h *htmlWriter) toolbar(p ListPage) {
	h.raw(`<div class="toolbar">`)
	if p.Searchable {
		h.raw(`<form class="search" method="get" action="`)
		h.url(p.ListURL)
		h.raw(`" role="search" hx-get="`)
		h.text(p.ListURL)
		h.raw(`partial/" hx-target="#results" hx-swap="outerHTML" hx-trigger="input changed delay:300ms from:#search-q, search from:#search-q, submit" hx-sync="this:replace" hx-indicator="#results"><label for="search-q" class="visually-hidden">Search</label> <input type="search" id="search-q" name="q" value="`)
		h.text(p.Search)
		h.raw(`" autocomplete="off">`)
		h.searchKeep(p, false)
		h.raw(`<button type="submit" class="btn">Search</button></form>`)
		h.clearSearch(p, false)
	}
	if p.AddURL != "" {
		h.raw(`<a class="btn btn-primary add-link" href="`)
		h.url(p.AddURL)
		h.raw(`">`)
		h.text(addLabel(p))
		h.raw(`</a>`)
	}
	if len(p.Tools) > 0 {
		h.raw(`<div class="tools">`)
		for _, t := range p.Tools {
			if t.Post {
				h.raw(`<form method="post" action="`)
				h.url(t.URL)
				h.raw(`" class="tool" hx-boost="false"><button type="submit" class="btn">`)
				h.text(t.Label)
				h.raw(`</button></form>`)
			} else {
				h.raw(`<a class="btn tool" href="`)
				h.url(t.URL)
				h.raw(`">`)
				h.text(t.Label)
				h.raw(`</a>`)
			}
		}
		h.raw(`</div>`)
	}
	h.raw(`</div>`)
}

// oob writes the attribute that swaps an element out of band, if oob.
func (h *htmlWriter) oob(oob bool) {
	if oob {
		h.raw(` hx-swap-oob="true"`)
	}
}

// searchKeep writes the parameters the search form carries along.
func (h *htmlWriter) searchKeep(p ListPage, oob bool) {
	h.raw(`<div id="search-keep"`)
	h.oob(oob)
	h.raw(`>`)
	h.hiddenInputs(p.SearchKeep, "")
	h.raw(`</div>`)
}

// hiddenInputs writes a hidden input for each parameter, each followed by
// sep.
func (h *htmlWriter) hiddenInputs(params []Param, sep string) {
	for _, k := range params {
		h.raw(`<input type="hidden" name="`)
		h.text(k.Name)
		h.raw(`" value="`)
		h.text(k.Value)
		h.raw(`">`)
		h.raw(sep)
	}
}

// clearSearch writes the link that clears a search when there is no
// filter sidebar to hold it.
func (h *htmlWriter) clearSearch(p ListPage, oob bool) {
	h.raw(`<span id="clear-search"`)
	h.oob(oob)
	h.raw(`>`)
	if p.ClearURL != "" && len(p.Filters) == 0 {
		h.raw(`<a class="clear-filters" href="`)
		h.url(p.ClearURL)
		h.raw(`" hx-get="`)
		h.partialURL(p.ListURL, p.ClearURL)
		h.raw(`">Clear search</a>`)
	}
	h.raw(`</span>`)
}

// filterSidebar writes the list's filters. Below the width at which the
// table fits beside them, the sidebar stands above the table as a
// disclosure, which admin.js closes there.
func (h *htmlWriter) filterSidebar(p ListPage, oob bool) {
	h.raw(`<aside class="filters" id="filters" aria-labelledby="filters-title"`)
	h.oob(oob)
	h.raw(`><details class="filters-details" open><summary><h2 id="filters-title">Filter</h2></summary><div class="filters-body"><div class="filters-links">`)
	if p.ClearURL != "" {
		h.raw(`<a class="clear-filters" href="`)
		h.url(p.ClearURL)
		h.raw(`" hx-get="`)
		h.partialURL(p.ListURL, p.ClearURL)
		h.raw(`">Clear all filters</a> `)
	}
	if p.FacetsURL != "" {
		h.raw(`<a class="facets-toggle" href="`)
		h.url(p.FacetsURL)
		h.raw(`" hx-get="`)
		h.partialURL(p.ListURL, p.FacetsURL)
		if p.FacetsShown {
			h.raw(`">Hide counts</a>`)
		} else {
			h.raw(`">Show counts</a>`)
		}
	}
	h.raw(`</div>`)
	for _, f := range p.Filters {
		h.raw(`<section class="filter"><h3>`)
		h.text(f.Title)
		h.raw(`</h3>`)
		if f.SearchURL != "" {
			h.filterSearch(p, f)
		}
		h.filterChoices(p.ListURL, f)
		h.raw(`</section>`)
	}
	h.raw(`</div></details></aside>`)
}

// filterSearch writes the search box of a filter with many choices. With
// JavaScript, htmx swaps the choices for those matching the text as the
// user types; without it, the form loads the list with the choices
// narrowed.
func (h *htmlWriter) filterSearch(p ListPage, f Filter) {
	id := idSafe(f.Param)
	h.raw(`<form class="filter-search" method="get" action="`)
	h.url(p.ListURL)
	h.raw(`" role="search" hx-get="`)
	h.text(f.SearchURL)
	h.raw(`" hx-target="#filter-choices-`)
	h.text(id)
	h.raw(`" hx-swap="outerHTML" hx-trigger="input changed delay:300ms from:#filter-search-`)
	h.text(id)
	h.raw(`, search from:#filter-search-`)
	h.text(id)
	h.raw(`, submit" hx-sync="this:replace" hx-indicator="#filter-choices-`)
	h.text(id)
	h.raw(`" hx-push-url="false"><label for="filter-search-`)
	h.text(id)
	h.raw(`" class="visually-hidden">`)
	h.text(f.SearchLabel)
	h.raw(`</label> <input type="search" id="filter-search-`)
	h.text(id)
	h.raw(`" name="` + FilterSearchText + `" value="`)
	h.text(f.Search)
	h.raw(`" maxlength="`)
	h.int(MaxFilterSearch)
	h.raw(`" autocomplete="off"> <input type="hidden" name="` + FilterSearchField + `" value="`)
	h.text(f.Param)
	h.raw(`"> `)
	h.hiddenInputs(f.Keep, " ")
	h.raw(`<button type="submit" class="btn">Search</button></form>`)
}

// filterChoices writes a filter's choices (see FilterChoices).
func (h *htmlWriter) filterChoices(listURL string, f Filter) {
	h.raw(`<div class="filter-choices" id="filter-choices-`)
	h.text(idSafe(f.Param))
	h.raw(`">`)
	if f.Note != "" {
		h.raw(`<p class="filter-note">`)
		h.text(f.Note)
		h.raw(`</p>`)
	}
	h.raw(`<ul>`)
	h.filterChoiceItems(listURL, f.Choices)
	h.raw(`</ul></div>`)
}

// results writes a list's results (see ListResults).
func (h *htmlWriter) results(ctx context.Context, p ListPage) {
	h.raw(`<div id="results" class="results">`)
	if p.DateNav != nil {
		h.dateNav(p)
	}
	if p.ResultSummary != "" || p.Chooser != nil || p.CountNote != "" || p.ExportURL != "" {
		h.raw(`<div class="results-head">`)
		if p.ResultSummary != "" || p.CountNote != "" {
			h.raw(`<p class="result-summary">`)
			h.text(p.ResultSummary)
			if p.CountNote != "" {
				h.raw(` <span class="count-note muted" data-count="inexact">(`)
				h.text(p.CountNote)
				h.raw(`)</span>`)
			}
			h.raw(`</p>`)
		}
		if p.ExportURL != "" {
			h.raw(`<a class="btn export-link" href="`)
			h.text(p.ExportURL) // the list's own link: trusted, as templ.SafeURL
			h.raw(`" hx-boost="false" download>Export CSV</a>`)
		}
		if p.Chooser != nil {
			h.columnChooser(p.Chooser)
		}
		h.raw(`</div>`)
	}
	h.changelistForm(p)
	h.raw(`<div class="table-wrap"><table class="table"><thead><tr>`)
	if p.Actions != nil {
		h.raw(`<th scope="col" class="select-col"><input type="checkbox" data-select-all aria-label="Select every row on this page"></th>`)
	}
	for i, c := range p.Columns {
		h.columnHeader(p, i, c)
	}
	deletes := deleteCols(p)
	if deletes > 0 {
		h.raw(`<th scope="col" class="delete-col"><span class="visually-hidden">Delete</span></th>`)
	}
	h.raw(`</tr></thead> <tbody>`)
	if len(p.Rows) == 0 {
		h.raw(`<tr class="empty-row"><td colspan="`)
		h.int(max(1, len(p.Columns)+selectCols(p)+deletes))
		h.raw(`">`)
		h.text(emptyText(p))
		h.raw(`</td></tr>`)
	}
	h.rows(ctx, p)
	h.raw(`</tbody></table></div>`)
	if p.Edit != nil {
		h.raw(`<div class="save-bar"><button type="submit" class="btn btn-primary" name="_save" value="1" form="` + ChangelistForm + `" formaction="`)
		h.text(p.Edit.SaveURL)
		h.raw(`" hx-post="`)
		h.text(p.Edit.SaveURL)
		h.raw(`" hx-target="#results" hx-swap="outerHTML">Save</button></div>`)
	}
	h.pagination(p)
	h.raw(`</div>`)
}

// columnHeader writes the header of the list's i-th column: a link that
// sorts by it, when it can be sorted.
func (h *htmlWriter) columnHeader(p ListPage, i int, c Column) {
	h.raw(`<th scope="col" class="`)
	h.raw(thClasses[thClass(i, c)])
	h.raw(`"`)
	if s := ariaSort(c); s != "" {
		h.raw(` aria-sort="`)
		h.raw(s)
		h.raw(`"`)
	}
	h.raw(`>`)
	if c.SortURL != "" {
		h.raw(`<a class="sort" href="`)
		h.url(c.SortURL)
		h.raw(`" hx-get="`)
		h.partialURL(p.ListURL, c.SortURL)
		h.raw(`">`)
		h.text(c.Label)
		h.raw(` <span class="sort-arrow" aria-hidden="true">`)
		h.raw(sortArrow(c))
		h.raw(`</span> `)
		if c.SortPriority > 0 {
			h.raw(`<span class="sort-priority" title="Sort priority">`)
			h.int(c.SortPriority)
			h.raw(`</span>`)
		}
		h.raw(`</a>`)
	} else {
		h.text(c.Label)
	}
	h.raw(`</th>`)
}

// dateNav writes the date drill-down above the list: years, months, days.
// Its links are the list's own: trusted, as templ.SafeURL.
func (h *htmlWriter) dateNav(p ListPage) {
	n := p.DateNav
	h.raw(`<nav class="date-nav" aria-label="`)
	h.text(n.Label)
	h.raw(`"><ul>`)
	if n.Back != nil {
		h.raw(`<li><a class="date-back" href="`)
		h.text(n.Back.URL)
		h.raw(`" hx-get="`)
		h.partialURL(p.ListURL, n.Back.URL)
		h.raw(`">‹ `)
		h.text(n.Back.Label)
		h.raw(`</a></li>`)
	}
	if n.Current != "" {
		h.raw(`<li><span class="date-current" aria-current="true">`)
		h.text(n.Current)
		h.raw(`</span></li>`)
	}
	for _, l := range n.Links {
		h.raw(`<li><a class="date-link" href="`)
		h.text(l.URL)
		h.raw(`" hx-get="`)
		h.partialURL(p.ListURL, l.URL)
		h.raw(`">`)
		h.text(l.Label)
		h.raw(`</a></li>`)
	}
	h.raw(`</ul></nav>`)
}

// columnChooser writes the form that picks the columns of the list; the
// choice is remembered.
func (h *htmlWriter) columnChooser(ch *ColumnChooser) {
	h.raw(`<details class="column-chooser"><summary class="btn">Columns</summary><form method="post" action="`)
	h.url(ch.Action)
	h.raw(`"><input type="hidden" name="_changelist_filters" value="`)
	h.text(ch.Return)
	h.raw(`"><fieldset><legend class="visually-hidden">Columns to show</legend> `)
	for _, c := range ch.Columns {
		h.raw(`<label><input type="checkbox" name="col" value="`)
		h.text(c.Value)
		if c.Selected {
			h.raw(`" checked> `)
		} else {
			h.raw(`"> `)
		}
		h.text(c.Label)
		h.raw(`</label>`)
	}
	h.raw(`</fieldset><button type="submit" class="btn btn-primary">Apply</button></form></details>`)
}

// changelistForm writes the list's form (empty: its fields join it through
// their form attribute), the bulk action bar and the errors of a save.
func (h *htmlWriter) changelistForm(p ListPage) {
	if p.FormURL != "" {
		h.raw(`<form id="` + ChangelistForm + `" method="post" action="`)
		h.url(p.FormURL)
		h.raw(`" hx-boost="false"></form>`)
	}
	if p.Actions != nil {
		h.raw(`<div class="action-bar"><label for="action-select">Action</label> <select id="action-select" name="action" form="` + ChangelistForm + `"><option value="">---------</option> `)
		for _, c := range p.Actions.Choices {
			h.raw(`<option value="`)
			h.text(c.Value)
			h.raw(`">`)
			h.text(c.Label)
			h.raw(`</option>`)
		}
		h.raw(`</select> <button type="submit" class="btn" form="` + ChangelistForm + `">Go</button> <span class="action-counter" data-action-counter aria-live="polite"></span> `)
		if p.Actions.Across != "" {
			h.raw(`<label class="select-across"><input type="checkbox" name="select_across" value="1" form="` + ChangelistForm + `" data-select-across> `)
			h.text(p.Actions.Across)
			h.raw(`</label>`)
		}
		h.raw(`</div>`)
	}
	if p.Edit != nil && len(p.Edit.Errors) > 0 {
		h.raw(`<div class="form-errors list-edit-errors" role="alert">`)
		for _, e := range p.Edit.Errors {
			h.raw(`<p>`)
			h.text(e)
			h.raw(`</p>`)
		}
		h.raw(`</div>`)
	}
}

// pagination writes the page links below a list; nothing for a single
// page.
func (h *htmlWriter) pagination(p ListPage) {
	pg := p.Pagination
	if pg.Pages <= 1 && pg.PrevURL == "" && pg.NextURL == "" {
		return
	}
	h.raw(`<nav class="pagination" aria-label="Pagination"><ul><li>`)
	if pg.PrevURL != "" {
		h.raw(`<a class="page-prev" href="`)
		h.url(pg.PrevURL)
		h.raw(`" hx-get="`)
		h.partialURL(p.ListURL, pg.PrevURL)
		h.raw(`" rel="prev">‹ Previous</a>`)
	} else {
		h.raw(`<span class="page-prev disabled" aria-disabled="true">‹ Previous</span>`)
	}
	h.raw(`</li>`)
	for _, l := range pg.Links {
		h.raw(`<li>`)
		switch {
		case l.Gap:
			h.raw(`<span class="page-gap" aria-hidden="true">…</span>`)
		case l.Current && l.URL == "":
			h.raw(`<span class="page current" aria-current="page"><span class="visually-hidden">`)
			h.pageLabel(l)
			h.raw(`</span><span aria-hidden="true">`)
			h.pageText(l)
			h.raw(`</span></span>`)
		default:
			if l.Current {
				h.raw(`<a class="page current" href="`)
			} else {
				h.raw(`<a class="page" href="`)
			}
			h.url(l.URL)
			h.raw(`" hx-get="`)
			h.partialURL(p.ListURL, l.URL)
			if l.Current {
				h.raw(`" aria-current="page" aria-label="`)
			} else {
				h.raw(`" aria-label="`)
			}
			h.pageLabel(l)
			h.raw(`">`)
			h.pageText(l)
			h.raw(`</a>`)
		}
		h.raw(`</li>`)
	}
	h.raw(`<li>`)
	if pg.NextURL != "" {
		h.raw(`<a class="page-next" href="`)
		h.url(pg.NextURL)
		h.raw(`" hx-get="`)
		h.partialURL(p.ListURL, pg.NextURL)
		h.raw(`" rel="next">Next ›</a>`)
	} else {
		h.raw(`<span class="page-next disabled" aria-disabled="true">Next ›</span>`)
	}
	h.raw(`</li></ul></nav>`)
}

// pageText writes a page link's text, as PageLink.Text.
func (h *htmlWriter) pageText(l PageLink) {
	switch {
	case l.Number == -1:
		h.raw("Last")
	case l.Number < 0:
		h.raw("Last−")
		h.int(-l.Number - 1)
	default:
		h.int(l.Number)
	}
}

// pageLabel writes a page link's accessible name, as PageLink.Label.
func (h *htmlWriter) pageLabel(l PageLink) {
	switch {
	case l.Number == -1:
		h.raw("Last page")
	case l.Number < 0:
		h.raw("Page ")
		h.int(-l.Number)
		h.raw(" from the end")
	default:
		h.raw("Page ")
		h.int(l.Number)
	}
}
