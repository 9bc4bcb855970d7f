package entadmin

import (
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/entadmin/store"
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
// A page counted from the end (?p=last, ?p=-2) of a list whose total is
// not exact is read in the reverse ordering: the last page holds the
// list's final rows and costs what the first page costs, however many rows
// come before it. On an exactly counted list it is the page of that number
// counted from the start.
//
// A page by number in the second half of an exactly counted list is read
// from the end too. So is one beyond the estimated middle of an estimated
// list on a site with a cache: the list is counted exactly first, through
// the cache, so that the count is paid once per write to its tables; the
// page shows that total, and one beyond the end is the last page, as on an
// exactly counted list. A deep page of a list in a keyset ordering, on a
// site with a cache, seeks past the nearest anchor before it, from the
// start or the end (see anchors), and skips the rows after it only.
// Without a cache, the count and the anchors would cost more than the rows
// a page skips, and the page skips them.
//
// The statement that counts also reads sc, the scalars of the date
// drill-down, when the database allows. A first page read in two halves
// comes with its counts and rows (see readsAhead).
func (r *Resource[T]) loadPage(ctx context.Context, p *listParams[T], q url.Values, base string, sc *scalars, first *firstPage[T]) (*listPage[T], error) {
	lp := &listPage[T]{}
	var (
		c   counts
		err error
	)
	if first != nil {
		c, err = first.counts, first.countErr
	} else {
		c, err = r.countRows(ctx, p.where, r.countsFull(p), sc)
	}
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
	if t := lp.total; cur == nil && p.page > 0 && t.known && !t.exact && (p.page-1)*r.PerPage > t.n/2 {
		// A page beyond the estimated middle is read from the end, as on
		// an exactly counted list: its place from the end needs the total
		// exactly, counted once per version of the tables.
		n, ok, err := r.exactCountCached(ctx, p.where)
		if err != nil {
			return nil, err
		}
		if ok {
			lp.total = total{n: n, known: true, exact: true}
		}
	}
	pages := 0 // unknown
	if lp.total.known && lp.total.exact {
		pages = max(1, (lp.total.n+r.PerPage-1)/r.PerPage)
		if cur == nil {
			if p.page < 0 {
				p.page = max(1, pages+1+p.page)
			}
			p.page = min(p.page, pages)
		}
	}
	var (
		query     store.Query
		offset    int
		fromEnd   = p.page < 0 && cur == nil // a page counted from the end
		inReverse bool                       // the rows come in the reverse ordering
		exactEnd  bool                       // the page is read backwards from an exact total
	)
	switch n := lp.total.n; {
	case first != nil:
		// Read already.
	case cur != nil:
		query = store.Query{Where: append(slices.Clip(p.where), r.seek(ks, cur, before != "")), Order: r.seekOrder(ks, before != ""), Limit: r.PerPage + 1}
	case fromEnd:
		// One row more than the page tells whether a page comes before it.
		where, skip := p.where, (-p.page-1)*r.PerPage
		if seekable {
			where, skip, err = r.anchoredWhere(ctx, where, p.order, ks, skip, true)
		}
		if err == nil {
			query, inReverse, err = r.pageQuery(ctx, where, p.order, skip, r.PerPage+1, true)
		}
	default:
		offset = (p.page - 1) * r.PerPage
		where, skip, limit, reverse := p.where, offset, r.PerPage+1, false
		if lp.total.exact && offset > n/2 && offset < n {
			// The second half of an exactly counted list is read from the
			// end, so that the last page skips no row; it reads the page's
			// rows only: the total tells whether a next page exists.
			exactEnd, reverse = true, true
			skip, limit = max(0, n-offset-r.PerPage), min(r.PerPage, n-offset)
		}
		if seekable {
			where, skip, err = r.anchoredWhere(ctx, where, p.order, ks, skip, reverse)
		}
		if err == nil {
			query, inReverse, err = r.pageQuery(ctx, where, p.order, skip, limit, reverse)
		}
	}
	if err != nil {
		return nil, err
	}
	var entities []T
	if first != nil {
		entities, err = first.entities, first.err
	} else {
		entities, err = r.List(ctx, query)
	}
	if err != nil {
		return nil, err
	}
	if inReverse {
		slices.Reverse(entities)
	}
	more := len(entities) > r.PerPage
	if exactEnd {
		more = offset+len(entities) < lp.total.n
	}
	if len(entities) > r.PerPage {
		if fromEnd {
			entities = entities[1:] // the row that tells that a page comes before
		} else {
			entities = entities[:r.PerPage]
		}
	}
	hasPrev, hasNext := p.page > 1, more
	switch {
	case after != "":
		hasPrev = true
		switch {
		case p.page < 0 && !more:
			p.page = -1 // the end was reached
		case p.page == -1:
			p.page = -2 // rows were added since the link was made
		}
	case before != "":
		slices.Reverse(entities)
		hasPrev, hasNext = more, true
		if !more {
			p.page = 1 // the start was reached
		}
	case fromEnd:
		hasPrev, hasNext = more, p.page < -1
		if !more && p.page == -1 {
			p.page = 1 // the whole list is one page
		}
	case !more && (len(entities) > 0 || p.page == 1) && !lp.total.exact && lp.total.known:
		// The last page: the total is known exactly now.
		lp.total = total{n: offset + len(entities), known: true, exact: true}
		pages = p.page
	}
	lp.entities = entities
	small := lp.total.exact && lp.total.n <= smallList
	seekURL := func(param string, e T, page int) string {
		return p.url(base, param, r.encodeCursor(ks, e), paramPage, pageParam(page))
	}
	// byKeyset reports whether the link to page n goes by cursor: beyond
	// the numbered pages at either end, and onwards from a cursor.
	byKeyset := func(n int, onwards bool) bool {
		return seekable && !small && (onwards && cur != nil || n > numberedPages || n < -numberedPages)
	}
	pg := views.Pagination{Page: p.page, Pages: pages}
	if hasNext && len(entities) > 0 {
		next := p.page + 1
		if byKeyset(next, p.page > 0) {
			pg.NextURL = seekURL(paramAfter, entities[len(entities)-1], next)
		} else {
			pg.NextURL = p.url(base, paramPage, pageParam(next))
		}
	}
	if hasPrev {
		prev := p.page - 1
		if prev == 0 {
			prev = 1 // a cursor's page labelled 1 (rows were added)
		}
		if byKeyset(prev, p.page < 0) && len(entities) > 0 {
			pg.PrevURL = seekURL(paramBefore, entities[0], prev)
		} else {
			pg.PrevURL = p.url(base, paramPage, pageParam(prev))
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

// parsePage parses the page parameter: a number from 1, "last", or a
// negative number counting from the end (-1 is the last page).
func parsePage(s string) (int, error) {
	if s == "last" {
		return -1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n == 0 || n > maxPage || n < -maxPage {
		return 0, badParam{fmt.Sprintf("bad page number %q", s)}
	}
	return n, nil
}

// pageParam writes page n as parsePage reads it.
func pageParam(n int) string {
	if n == -1 {
		return "last"
	}
	return strconv.Itoa(n)
}

// maxPage bounds page numbers, so that an offset never overflows.
const maxPage = 1 << 30

// pageQuery returns the query of limit rows at offset of the list of the
// rows matching where in the ordering of terms or, with reverse, counted
// from the end in the reverse ordering (the page comes back in the list's
// ordering all the same).
//
// Beyond the first rows, the rows skipped are skipped by a subquery that
// selects their ids only: the list's predicates, row scope and ordering,
// with the LIMIT and OFFSET, which an index on the ordering serves without
// reading the rows. The query itself then reads the page's rows by id, and
// computes its select list (joined edges, many-to-many edges as JSON) for
// them only, where OFFSET on it would compute it for every row skipped.
//
// inReverse is true when the rows come in the reverse ordering, to be
// reversed back: for a resource without a driver to build the subquery.
func (r *Resource[T]) pageQuery(ctx context.Context, where []Predicate, terms []orderTerm[T], offset, limit int, reverse bool) (_ store.Query, inReverse bool, _ error) {
	q := store.Query{Where: where, Order: r.orderBy(terms), Limit: limit}
	order := q.Order
	if reverse {
		order = r.ordering(terms, true)
	}
	if offset <= 0 && !reverse {
		return q, false, nil
	}
	if r.Driver == nil || r.Table == "" {
		q.Order, q.Offset = order, offset
		return q, reverse, nil
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
	return store.Query{Where: []Predicate{byID}, Order: q.Order, Limit: limit}, false, nil
}

// pageLinks returns the numbered page links: the first two, those around
// the current page, and (on small lists, counted exactly) the last two,
// never beyond page last; a page beyond it shows as the current page
// without a link. A larger list links its last page instead, which is read
// from the end, and, around a current page counted from the end, its
// neighbours.
func pageLinks[T any](p *listParams[T], base string, last int, small, hasNext bool) []views.PageLink {
	var links []views.PageLink
	if last <= 1 && p.page == 1 && !hasNext {
		return nil
	}
	link := func(n int) views.PageLink {
		return views.PageLink{Number: n, URL: p.url(base, paramPage, pageParam(n)), Current: n == p.page}
	}
	want := []int{1, 2, p.page - 2, p.page - 1, p.page, p.page + 1, p.page + 2}
	if small {
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
		links = append(links, link(n))
		prev = n
	}
	if p.page > last {
		if p.page > prev+1 {
			links = append(links, views.PageLink{Gap: true})
		}
		links = append(links, views.PageLink{Number: p.page, Current: true})
	}
	if small || p.page > 0 && !hasNext {
		return links
	}
	// Pages counted from the end: around the current one, and the last.
	around := []int{-1}
	if p.page < 0 {
		around = []int{p.page - 2, p.page - 1, p.page, p.page + 1, p.page + 2, -1}
	}
	prev = math.MinInt
	for _, n := range around {
		if n <= prev || n >= 0 || n < -numberedPages && n != p.page {
			continue
		}
		if n > prev+1 {
			links = append(links, views.PageLink{Gap: true})
		}
		l := link(n)
		if n < -numberedPages {
			l.URL = "" // reached by cursor
		}
		links = append(links, l)
		prev = n
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
