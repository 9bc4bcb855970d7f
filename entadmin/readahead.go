package entadmin

import (
	"context"
	"net/url"

	"entgo.io/ent/dialect"

	"github.com/entadmin/entadmin/entadmin/store"
)

// firstPage is a list's first page, read in two halves at once: its rows
// on the request's goroutine, its counts on another, with the rest of the
// page that waits for no row (see serveList).
type firstPage[T any] struct {
	counts   counts
	countErr error
	entities []T
	err      error
}

// readsAhead reports whether the list's rows are read while the rest of the
// page is prepared: on its first page, whose statement depends on nothing
// else. Deeper pages depend on the count. A request whose context carries
// a transaction runs its statements one at a time, in order.
func (r *Resource[T]) readsAhead(ctx context.Context, p *listParams[T], q url.Values) bool {
	if p.page != 1 || q.Get(paramAfter) != "" || q.Get(paramBefore) != "" || r.Driver == nil {
		return false
	}
	_, inTx := r.Driver(ctx).(dialect.Tx)
	return !inTx
}

// firstPageQuery is the query of the list's first page, and of one row
// more to tell whether a second follows.
func (r *Resource[T]) firstPageQuery(p *listParams[T]) store.Query {
	return store.Query{Where: p.where, Order: r.orderBy(p.order), Limit: r.PerPage + 1}
}

// countsFull reports whether the list's unfiltered total is counted too.
func (r *Resource[T]) countsFull(p *listParams[T]) bool {
	return len(p.where) > 0 && !r.NoFullResultCount
}
