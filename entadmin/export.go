package entadmin

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/views"
)

// exportBatch is how many rows an export loads at a time: the memory an
// export takes does not grow with the number of rows.
const exportBatch = 1000

// listSpeedPage adds to a list page the date drill-down and the export
// link.
func (r *Resource[T]) listSpeedPage(req *http.Request, p *listParams[T], base string, dates *datePlan[T], page *views.ListPage) error {
	nav, err := dates.build(req.Context(), r, p, base)
	if err != nil {
		return err
	}
	page.DateNav = nav
	page.ExportURL = base + "export/"
	if q := p.values.Encode(); q != "" {
		page.ExportURL += "?" + q
	}
	return nil
}

// serveExport answers GET /{slug}/export/?<list parameters>: the list, as
// searched, filtered and sorted, as a CSV download of its visible columns.
func (r *Resource[T]) serveExport(w http.ResponseWriter, req *http.Request) error {
	site := r.m.site
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return refuse(http.StatusMethodNotAllowed, "The export accepts GET requests only.")
	}
	if err := r.m.check(req, ActionView); err != nil {
		return err
	}
	lc, err := r.requestList(req)
	if err != nil {
		return err
	}
	q := req.URL.Query()
	p, err := r.parseList(req, lc, q, time.Now().In(site.location))
	if err == nil {
		err = r.parseDrill(req, p, q)
	}
	if err != nil {
		return badParamIn("list parameters", err)
	}
	if err := r.writeCSV(w, req, lc, p.where, p.order); err != nil {
		site.logger.Error("entadmin: export", "resource", r.Slug, "err", err)
	}
	return nil
}

// ExportCSV answers req with the entities whose ids are given (a
// selection of the list) as a CSV download of the list's visible columns,
// streamed in batches. It needs the view permission and keeps to the
// user's row scope: ids outside it are left out. Bulk actions call it to
// export the selected rows. An error before anything was written is
// returned for the caller to report; after that, it is logged and the
// download ends early.
func (r *Resource[T]) ExportCSV(w http.ResponseWriter, req *http.Request, ids []string) error {
	if !r.m.can(req, ActionView) {
		return fmt.Errorf("entadmin: %s: export: %w", r.Slug, errForbidden)
	}
	lc, err := r.requestList(req)
	if err != nil {
		return err
	}
	vals := make([]any, len(ids))
	for i, id := range ids {
		if vals[i], err = r.ParseID(id); err != nil {
			return fmt.Errorf("entadmin: %s: export: bad id %q", r.Slug, id)
		}
	}
	in := func(s *sql.Selector) { s.Where(sql.In(s.C(r.IDColumn), vals...)) }
	return r.writeCSV(w, req, lc, []Predicate{in}, nil)
}

// errForbidden is the error of an export without the view permission.
var errForbidden = errors.New("permission denied")

// writeCSV streams the rows matching where as CSV: a header of the column
// labels, then batches of rows loaded by keyset on the list's ordering (by
// OFFSET when the ordering cannot be sought), each flushed to the client,
// so that the download starts at once and memory stays flat.
func (r *Resource[T]) writeCSV(w http.ResponseWriter, req *http.Request, lc *listConfig[T], where []Predicate, order []orderTerm[T]) error {
	ctx := req.Context()
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.csv"`, r.Slug, time.Now().In(r.m.site.location).Format("20060102-1504")))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if req.Method == http.MethodHead {
		return nil
	}
	rc := http.NewResponseController(w)
	cw := csv.NewWriter(w)
	record := make([]string, len(lc.columns))
	for i, c := range lc.columns {
		record[i] = csvSafe(c.label, false)
	}
	// flush sends what was written, and gives the next batch its own
	// write deadline: the download as a whole may outlast the server's
	// WriteTimeout, up to the export's deadline (WithExportTimeout).
	flush := func() error {
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if err := rc.Flush(); err != nil && !errors.Is(err, http.ErrNotSupported) {
			return err
		}
		return extendWriteDeadline(w, exportWriteWindow)
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	if err := flush(); err != nil {
		return err
	}
	ks, seekable := r.keyset(order)
	q := store.Query{Where: where, Order: r.orderBy(order), Limit: exportBatch}
	if seekable {
		q.Order = r.seekOrder(ks, false)
	}
	loc := r.m.site.location
	for {
		batch, err := r.List(ctx, q)
		if err != nil {
			return err
		}
		for _, e := range batch {
			for i, c := range lc.columns {
				record[i] = r.csvCell(ctx, c, e, loc)
			}
			if err := cw.Write(record); err != nil {
				return err
			}
		}
		if err := flush(); err != nil {
			return err
		}
		if len(batch) < exportBatch {
			return nil
		}
		if seekable {
			c, err := r.decodeCursor(ks, r.encodeCursor(ks, batch[len(batch)-1]))
			if err != nil {
				return err
			}
			q.Where = append(where[:len(where):len(where)], r.seek(ks, c, false))
		} else {
			q.Offset += exportBatch
		}
	}
}

// csvCell is the text of one cell of an export.
func (r *Resource[T]) csvCell(ctx context.Context, c column[T], e T, loc *time.Location) string {
	var cell views.Cell
	if c.comp != nil {
		cell = c.comp.cell(e, "")
	} else {
		cell = formatCell(c.field, c.field.Get(e), loc, "")
	}
	switch cell.Kind {
	case views.CellEmpty:
		return ""
	case views.CellBool:
		if cell.Bool {
			return "yes"
		}
		return "no"
	case views.CellHTML:
		var b bytes.Buffer
		if err := cell.HTML.Render(ctx, &b); err != nil {
			return ""
		}
		return csvSafe(htmlText(b.String()), false)
	}
	return csvSafe(cell.Text, cell.Numeric)
}

// csvSafe defends a cell against formula injection: a spreadsheet runs a
// cell starting with =, +, -, @, a tab or a carriage return as a formula,
// so such a cell gets a leading apostrophe. Numbers of numeric columns are
// left alone (a negative price stays a number). Quotes and newlines are
// escaped by the CSV writer.
func csvSafe(s string, numeric bool) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if numeric {
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s
		}
	}
	return "'" + s
}

// htmlText returns the text of an HTML fragment: tags dropped, entities
// decoded.
func htmlText(s string) string {
	var b strings.Builder
	in := false
	for _, c := range s {
		switch {
		case c == '<':
			in = true
		case c == '>' && in:
			in = false
		case !in:
			b.WriteRune(c)
		}
	}
	return strings.TrimSpace(html.UnescapeString(b.String()))
}
