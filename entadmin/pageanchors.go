package entadmin

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/entadmin/store"
)

// A deep page by number of a list in a keyset ordering is read from an
// anchor: the cursor of a row at a known place in the list, one every
// anchorSpacing rows, read by one pass over the first rows of the ordering
// (from the end, in the reverse ordering, for a page read from the end)
// and kept in the site's cache until a write to the list's tables. The
// page then skips fewer rows than the spacing, after a seek to the anchor,
// where OFFSET alone would skip every row before it.
//
// The pass reads the rows up to the page's, rounded up to a power of two
// times anchoredFrom, so that the pages before share its anchors and the
// first page that needs them pays a few times what OFFSET would cost it,
// not a pass over the whole list.

// The anchors' spacing and use (variables for the tests, which need them
// small).
var (
	// anchorEvery is the least number of rows between two anchors.
	anchorEvery = 500
	// anchoredFrom is the number of rows a page by number skips from
	// which it is read from an anchor: OFFSET skips fewer at little cost,
	// even where each row skipped is read from the table (an index on a
	// filter's column and the ordering, without the id).
	anchoredFrom = 4 * anchorEvery
)

// maxAnchors bounds the anchors of one pass: those of a longer pass are
// further apart.
const maxAnchors = 2000

// anchorPass returns the number of rows a pass reads for a page skipping
// offset rows, and the spacing of its anchors: the smallest power of two
// times anchoredFrom above offset, and anchorEvery, doubled until the pass
// has at most maxAnchors anchors.
func anchorPass(offset int) (rows, every int) {
	rows, every = anchoredFrom, anchorEvery
	for rows <= offset {
		rows *= 2
	}
	for rows/every > maxAnchors {
		every *= 2
	}
	return rows, every
}

// anchors returns the cursors of the rows at places k, 2k, 3k… (counted
// from 1, up to place rows) of the list of the rows matching where, within
// the user's row scope, in the keyset ordering ks of terms, reversed with
// reverse, through the site's cache (keyed by the list's statement with
// the row scope, the ordering, rows and k). ok is false when the site has
// no cache or the resource does not use it: every page would then pay for
// the pass.
func (r *Resource[T]) anchors(ctx context.Context, where []Predicate, terms []orderTerm[T], ks []keysetTerm[T], reverse bool, rows, k int) (cursors []string, ok bool, err error) {
	if !r.cacheable() {
		return nil, false, nil
	}
	order := make([]string, len(ks))
	for i, t := range ks {
		order[i] = r.IDColumn
		if t.field != nil {
			order[i] = t.field.Column
		}
		if t.desc != reverse {
			order[i] = "-" + order[i]
		}
	}
	what := fmt.Sprintf("anchors:%s:%d:%d", strings.Join(order, ","), rows, k)
	err = r.cached(ctx, what, where, &cursors, func(ctx context.Context) error {
		cursors = nil
		sel, err := r.selector(ctx, r.Driver(ctx).Dialect(), where)
		if err != nil {
			return err
		}
		// The first rows of the ordering, numbered in a pass over them;
		// the columns are named before the selectors get their aliases.
		cols := make([]string, len(order))
		for i, o := range order {
			col, desc := strings.CutPrefix(o, "-")
			cols[i] = sel.C(col)
			sel.OrderExpr(sql.Expr(orderedBy(cols[i], desc)))
		}
		sel.Select(cols...).Limit(rows)
		l := sel.As("l")
		byPlace := make([]string, len(order))
		for i, o := range order {
			col, desc := strings.CutPrefix(o, "-")
			byPlace[i] = orderedBy(l.C(col), desc)
		}
		places := sql.RowNumber().OrderExpr(sql.ExprFunc(func(b *sql.Builder) { b.WriteString(strings.Join(byPlace, ", ")) }))
		numbered := sql.Select(l.C(r.IDColumn)).AppendSelectExprAs(places, "entadmin_place").From(l)
		w := numbered.As("w")
		ids := sql.Select(w.C(r.IDColumn)).From(w).Where(sql.P(func(b *sql.Builder) {
			b.WriteString(w.C("entadmin_place")).WriteString(fmt.Sprintf(" %% %d = 0", k))
		}))
		byID := func(s *sql.Selector) { s.Where(sql.In(s.C(r.IDColumn), ids)) }
		found, err := r.List(ctx, store.Query{Where: []Predicate{byID}, Order: r.ordering(terms, reverse)})
		if err != nil {
			return err
		}
		for _, e := range found {
			cursors = append(cursors, r.encodeCursor(ks, e))
		}
		return nil
	})
	return cursors, err == nil, err
}

// orderedBy writes an ORDER BY term of a quoted column.
func orderedBy(col string, desc bool) string {
	if desc {
		return col + " DESC"
	}
	return col
}

// anchoredWhere returns where with a seek past the nearest anchor before
// the row at offset of the list in the keyset ordering ks of terms
// (reversed with reverse), and the rows left to skip after it; where and
// offset themselves when offset is under anchoredFrom or no anchor comes
// before it.
func (r *Resource[T]) anchoredWhere(ctx context.Context, where []Predicate, terms []orderTerm[T], ks []keysetTerm[T], offset int, reverse bool) ([]Predicate, int, error) {
	if offset < anchoredFrom {
		return where, offset, nil
	}
	rows, k := anchorPass(offset)
	cursors, ok, err := r.anchors(ctx, where, terms, ks, reverse, rows, k)
	if err != nil || !ok {
		return where, offset, err
	}
	j := min(offset/k, len(cursors))
	if j == 0 {
		return where, offset, nil
	}
	c, err := r.decodeCursor(ks, cursors[j-1])
	if err != nil {
		return nil, 0, err
	}
	return append(where[:len(where):len(where)], r.seek(ks, c, reverse)), offset - j*k, nil
}
