package entadmin

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"reflect"

	"entgo.io/ent/dialect"
	"github.com/a-h/templ"

	"github.com/entadmin/entadmin/entadmin/store"
	"github.com/entadmin/entadmin/views"
)

// firstPage is a list's first page, read in two halves at once: its rows
// on the request's goroutine, its counts on another, with the rest of the
// page that waits for no row (see serveList).
type firstPage[T any] struct {
	counts   counts
	countErr error
	entities []T
	err      error
	// around is the page written ahead without its results, which go at
	// at (see views.ListAround); nil when the page is written at the end.
	around *bytes.Buffer
	at     int
}

// writeAround writes page but its results into a buffer of its own.
func (f *firstPage[T]) writeAround(ctx context.Context, page views.ListPage) {
	buf := pageBuffers.Get().(*bytes.Buffer)
	buf.Reset()
	at, err := views.ListAround(ctx, page, buf)
	if err != nil {
		putPageBuffer(buf) // the page is written whole at the end
		return
	}
	f.around, f.at = buf, at
}

// writtenAround reports whether f's page was written ahead but for its
// results; false for a page not read in two halves (nil).
func (f *firstPage[T]) writtenAround() bool { return f != nil && f.around != nil }

// withResults is the page written ahead with results in their place.
func (f *firstPage[T]) withResults(results templ.Component) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		b := f.around.Bytes()
		if _, err := w.Write(b[:f.at]); err != nil {
			return err
		}
		if err := results.Render(ctx, w); err != nil {
			return err
		}
		_, err := w.Write(b[f.at:])
		return err
	})
}

// listViewIsDefault reports whether the resource's list is views.ListView,
// which ListAround writes around its results; another is written whole.
func (r *Resource[T]) listViewIsDefault() bool {
	return reflect.ValueOf(r.views().List).Pointer() == defaultListView
}

// defaultListView is the code of views.ListView.
var defaultListView = reflect.ValueOf(views.ListView).Pointer()

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
