package entadmin

import (
	"context"
	"fmt"
	"strings"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/entadmin/store"
)

// A deep page by number of a list in a keyset ordering is read from an
// anchor: the cursor of a row at a known place (every anchorSpacing rows)
// in the list, read once by one pass over the ordering and kept in the
// site's cache until a write to the list's tables. The page then skips
// fewer rows than the spacing, after a seek to the anchor, where OFFSET
// alone would skip every row before it.

// The anchors' spacing and use (variables for the tests, which need them
// small).
var (
	// anchorEvery is the least number of rows between two anchors.
	anchorEvery = 1000
	// anchoredFrom is the number of rows a page by number skips from
	// which it is read from an anchor: fewer cost less than the one pass
	// that reads the anchors.
	anchoredFrom = 10 * anchorEvery
)

// maxAnchors bounds the anchors of a list: those of a longer list are
// further apart.
const maxAnchors = 2000

// anchorSpacing returns the rows between two anchors of a list of about n
// rows: anchorEvery, doubled until the list has at most maxAnchors of
// them, so that it changes only when the list's size doubles.
func anchorSpacing(n int) int {
	k := anchorEvery
	for n/k > maxAnchors {
		k *= 2
	}
	return k
}

// anchors returns the cursors of the rows at places k, 2k, 3k… (counted
// from 1) of the list of the rows matching where, within the user's row
// scope, in the keyset ordering ks of terms, through the site's cache
// (keyed by the list's statement with the row scope, the ordering and k).
// ok is false when the site has no cache or the resource does not use it:
// reading them then costs more than the rows a page skips.
func (r *Resource[T]) anchors(ctx context.Context, where []Predicate, terms []orderTerm[T], ks []keysetTerm[T], k int) (cursors []string, ok bool, err error) {
	if !r.cacheable() {
		return nil, false, nil
	}
	order := make([]string, len(ks))
	for i, t := range ks {
		order[i] = r.IDColumn
		if t.field != nil {
			order[i] = t.field.Column
		}
		if t.desc {
			order[i] = "-" + order[i]
		}
	}
	what := fmt.Sprintf("anchors:%s:%d", strings.Join(order, ","), k)
	err = r.cached(ctx, what, where, &cursors, func(ctx context.Context) error {
		cursors = nil
		sel, err := r.selector(ctx, r.Driver(ctx).Dialect(), where)
		if err != nil {
			return err
		}
		// The columns are named before the selector gets its alias.
		cols := make([]string, len(order))
		for i, o := range order {
			col, desc := strings.CutPrefix(o, "-")
			cols[i] = sel.C(col)
			if desc {
				cols[i] += " DESC"
			}
		}
		id := sel.C(r.IDColumn)
		places := sql.RowNumber().OrderExpr(sql.ExprFunc(func(b *sql.Builder) { b.WriteString(strings.Join(cols, ", ")) }))
		sel.Select(id).AppendSelectExprAs(places, "entadmin_place")
		w := sel.As("w")
		ids := sql.Select(w.C(r.IDColumn)).From(w).Where(sql.P(func(b *sql.Builder) {
			b.WriteString(w.C("entadmin_place")).WriteString(fmt.Sprintf(" %% %d = 0", k))
		}))
		byID := func(s *sql.Selector) { s.Where(sql.In(s.C(r.IDColumn), ids)) }
		rows, err := r.List(ctx, store.Query{Where: []Predicate{byID}, Order: r.orderBy(terms)})
		if err != nil {
			return err
		}
		for _, e := range rows {
			cursors = append(cursors, r.encodeCursor(ks, e))
		}
		return nil
	})
	return cursors, err == nil, err
}

// anchoredWhere returns where with a seek past the nearest anchor before
// the row at offset in the keyset ordering ks of terms, and the rows left
// to skip after it; where and offset themselves when the list has no
// anchors before it.
func (r *Resource[T]) anchoredWhere(ctx context.Context, where []Predicate, terms []orderTerm[T], ks []keysetTerm[T], offset, about int) ([]Predicate, int, error) {
	k := anchorSpacing(about)
	cursors, ok, err := r.anchors(ctx, where, terms, ks, k)
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
	return append(where[:len(where):len(where)], r.seek(ks, c, false)), offset - j*k, nil
}
