package entadmin

import (
	"context"
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"math"
	"net/url"
	"slices"
	"strconv"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/views"
)

// listPage is one page of a list and what is known of the rest.
type listPage[T any] struct {
	entities   []T
	total      total
	full       total // the unfiltered total of a filtered list, if counted
	pagination views.Pagination
}

// loadPage counts the list as the resource's CountMode says and loads one
// page: by OFFSET for the first pages, by keyset from a cursor (?after= or
// ?before=) beyond them. It fetches one row more than a page to know
// whether there is a next one, so that no count is needed to page.
//
// The statement that counts also reads sc, the scalars of the date
// drill-down, when the database allows.
func (r *Resource[T]) loadPage(ctx context.Context, p *listParams[T], q url.Values, base string, sc *scalars) (*listPage[T], error) {
	lp := &listPage[T]{}
	c, err := r.countRows(ctx, p.where, len(p.where) > 0 && !r.NoFullResultCount, sc)
	if err != nil {
		return nil, err
	}
	lp.total, lp.full = c.total, c.full
	ks, seekable := r.keyset(p.order)
	after, before := q.Get(paramAfter), q.Get(paramBefore)
	var cur cursor
	if after != "" || before != "" {
		if !seekable || after != "" && before != "" {
			return nil, badParam{"this list cannot be paged by cursor; go back to the first page"}
		}
		if cur, err = r.decodeCursor(ks, after+before); err != nil {
			return nil, err
		}
	}
	pages := 0 // unknown
	if lp.total.known && lp.total.exact {
		pages = max(1, (lp.total.n+r.PerPage-1)/r.PerPage)
		if cur == nil {
			p.page = min(p.page, pages)
		}
	}
	query := store.Query{Where: p.where, Order: r.orderBy(p.order), Limit: r.PerPage + 1}
	offset, fromEnd := 0, false
	if cur != nil {
		query.Where = append(slices.Clip(p.where), r.seek(ks, cur, before != ""))
		query.Order = r.seekOrder(ks, before != "")
	} else {
		offset = (p.page - 1) * r.PerPage
		if query, fromEnd, err = r.skipByIDs(ctx, p, query, offset, lp.total); err != nil {
			return nil, err
		}
	}
	entities, err := r.List(ctx, query)
	if err != nil {
		return nil, err
	}
	more := len(entities) > r.PerPage
	if fromEnd {
		more = offset+len(entities) < lp.total.n
	}
	if len(entities) > r.PerPage {
		entities = entities[:r.PerPage]
	}
	hasPrev, hasNext := p.page > 1, more
	switch {
	case after != "":
		hasPrev = true
	case before != "":
		slices.Reverse(entities)
		hasPrev, hasNext = more, true
		if !more {
			p.page = 1 // the start was reached
		}
	case !more && (len(entities) > 0 || p.page == 1) && !lp.total.exact && lp.total.known:
		// The last page: the total is known exactly now.
		lp.total = total{n: offset + len(entities), known: true, exact: true}
		pages = p.page
	}
	lp.entities = entities
	small := lp.total.exact && lp.total.n <= smallList
	seekURL := func(param string, e T, page int) string {
		return p.url(base, param, r.encodeCursor(ks, e), paramPage, strconv.Itoa(page))
	}
	pg := views.Pagination{Page: p.page, Pages: pages}
	if hasNext && len(entities) > 0 {
		if seekable && (cur != nil || p.page+1 > numberedPages) && !small {
			pg.NextURL = seekURL(paramAfter, entities[len(entities)-1], p.page+1)
		} else {
			pg.NextURL = p.url(base, paramPage, strconv.Itoa(p.page+1))
		}
	}
	if hasPrev {
		if p.page-1 > numberedPages && seekable && len(entities) > 0 && !small {
			pg.PrevURL = seekURL(paramBefore, entities[0], p.page-1)
		} else {
			pg.PrevURL = p.url(base, paramPage, strconv.Itoa(max(p.page-1, 1)))
		}
	}
	last := pages // the last page a number links to
	if !small {
		last = numberedPages
		if pages > 0 {
			last = min(pages, numberedPages)
		} else if lp.total.known {
			last = min(max(1, (lp.total.n+r.PerPage-1)/r.PerPage), numberedPages)
		}
	}
	pg.Links = pageLinks(p, base, last, small, hasNext)
	lp.pagination = pg
	return lp, nil
}

// skipByIDs returns the query of the page at offset (beyond the first)
// with the rows it skips skipped by a subquery that selects their ids only:
// the list's predicates, row scope and ordering, with the LIMIT and OFFSET,
// which an index on the ordering serves without reading the rows. The
// query itself then reads the page's rows by id, and computes its select
// list (joined edges, many-to-many edges as JSON) for them only, where
// OFFSET on it would compute it for every row skipped.
//
// When the total is known exactly and the page lies in the second half of
// the list, the subquery reads from the end in the reverse ordering, so
// that the last page skips no row; fromEnd is then true, and the query
// reads the rows of the page only (not one more): the total tells whether
// there is a next page.
func (r *Resource[T]) skipByIDs(ctx context.Context, p *listParams[T], q store.Query, offset int, t total) (_ store.Query, fromEnd bool, _ error) {
	if offset <= 0 || r.Driver == nil || r.Table == "" {
		q.Offset = offset
		return q, false, nil
	}
	limit, order := q.Limit, q.Order
	if t.exact && offset > t.n/2 && offset < t.n {
		fromEnd = true
		offset, limit = max(0, t.n-offset-r.PerPage), min(r.PerPage, t.n-offset)
		order = r.ordering(p.order, true)
	}
	ids, err := r.selector(ctx, r.Driver(ctx).Dialect(), q.Where)
	if err != nil {
		return q, false, err
	}
	for _, o := range order {
		o(ids)
	}
	// Orderings through edges join tables but select nothing; the subquery
	// selects the id alone.
	ids.Select(ids.C(r.IDColumn)).Limit(limit)
	if offset > 0 {
		ids.Offset(offset)
	}
	byID := func(s *sql.Selector) { s.Where(sql.In(s.C(r.IDColumn), ids)) }
	return store.Query{Where: []Predicate{byID}, Order: q.Order, Limit: limit}, fromEnd, nil
}

// pageLinks returns the numbered page links: the first two, those around
// the current page, and (on lists counted exactly) the last two, never
// beyond page last; a page beyond it shows as the current page without a
// link.
func pageLinks[T any](p *listParams[T], base string, last int, exact, hasNext bool) []views.PageLink {
	var links []views.PageLink
	if last <= 1 && p.page == 1 && !hasNext {
		return nil
	}
	want := []int{1, 2, p.page - 2, p.page - 1, p.page, p.page + 1, p.page + 2}
	if exact {
		want = append(want, last-1, last)
	}
	prev := 0
	for _, n := range want {
		if n <= prev || n < 1 || n > last {
			continue
		}
		if n > prev+1 {
			links = append(links, views.PageLink{Gap: true})
		}
		links = append(links, views.PageLink{Number: n, URL: p.url(base, paramPage, strconv.Itoa(n)), Current: n == p.page})
		prev = n
	}
	if p.page > last {
		if p.page > prev+1 {
			links = append(links, views.PageLink{Gap: true})
		}
		links = append(links, views.PageLink{Number: p.page, Current: true})
	}
	return links
}

// summary says how many rows the list has, and whether that is exact.
func (r *Resource[T]) summary(lp *listPage[T]) (text, note string) {
	t := lp.total
	switch {
	case !t.known:
		return "", "Not counted"
	case t.exact:
		text = formatCount(t.n) + " " + r.label(t.n)
	default:
		text = aboutCount(t.n) + " " + r.LabelPlural
		note = "Estimated from the database's statistics"
	}
	if f := lp.full; f.known {
		if f.exact {
			text += " (" + formatCount(f.n) + " total)"
		} else {
			text += " (" + aboutCount(f.n) + " total)"
		}
	}
	return text, note
}

// formatCount writes n with thousands separators: 1,204,331.
func formatCount(n int) string {
	s := strconv.Itoa(n)
	if n < 0 {
		return s
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// aboutCount writes an estimate as a person would say it: "about 950",
// "about 12,000", "about 1.2 million".
func aboutCount(n int) string {
	switch {
	case n < 1000:
		return "about " + strconv.Itoa(n)
	case n < 1_000_000:
		return "about " + formatCount(int(math.Round(float64(n)/1000))*1000)
	case n < 1_000_000_000:
		return fmt.Sprintf("about %s million", strconv.FormatFloat(math.Round(float64(n)/100_000)/10, 'f', -1, 64))
	}
	return fmt.Sprintf("about %s billion", strconv.FormatFloat(math.Round(float64(n)/100_000_000)/10, 'f', -1, 64))
}

// selectAll is the number of rows "select all matching" offers: the exact
// total, or only the page's rows when the total is an estimate or unknown,
// so that no action claims a number of rows it has not counted.
func (lp *listPage[T]) selectAll() int {
	if lp.total.exact {
		return lp.total.n
	}
	return len(lp.entities)
}
