package views

import (
	"bytes"
	"context"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	templruntime "github.com/a-h/templ/runtime"
)

// The classes of a list's cells, by alignment, wrapping, truncation and
// place (a bitwise or of the td constants): constants, so that no cell
// builds its class list.
const (
	tdNum   = 1 // right-aligned
	tdWrap  = 2 // long text of the first column, which wraps
	tdTrunc = 4 // long text of another column, cut short with its full value in a tooltip
	tdFirst = 8 // the first column, which stays in view when the table scrolls
)

var tdClasses = func() (c [16]string) {
	for k := range c {
		var names []string
		for _, n := range []struct {
			bit  int
			name string
		}{{tdNum, "num"}, {tdWrap, "wrap"}, {tdTrunc, "trunc"}, {tdFirst, "first"}} {
			if k&n.bit != 0 {
				names = append(names, n.name)
			}
		}
		if len(names) > 0 {
			c[k] = ` class="` + strings.Join(names, " ") + `"`
		}
	}
	return c
}()

// longText is the length from which a cell's text wraps or is cut short.
const longText = 24

// The width classes of editable inputs, by the characters they must show.
const minInputChars, maxInputChars = 4, 24

var inputWidths = func() (c [maxInputChars + 1]string) {
	for n := minInputChars; n <= maxInputChars; n++ {
		c[n] = " cw-" + strconv.Itoa(n)
	}
	return c
}()

// columnInputWidths returns the width class of each column's editable inputs:
// wide enough for the longest value of the page and a digit more, so that
// no digit is hidden and the inputs of a column line up.
func columnInputWidths(p ListPage) []string {
	chars := make([]int, len(p.Columns))
	for _, r := range p.Rows {
		for i, c := range r.Cells {
			if i < len(chars) && c.Input != nil {
				chars[i] = max(chars[i], utf8.RuneCountInString(c.Input.Value)+1)
			}
		}
	}
	widths := make([]string, len(chars))
	for i, n := range chars {
		widths[i] = inputWidths[min(max(n, minInputChars), maxInputChars)]
	}
	return widths
}

// rows writes the rows of a list's table. It is the one loop of a page that
// runs for every cell, so that it allocates nothing per row: a templ
// expression allocated for every value it printed and a class list for
// every cell, this writes constants and the escaped values. Editable cells
// and computed HTML render their components.
func (h *htmlWriter) rows(ctx context.Context, p ListPage) {
	deletes := deleteCols(p) > 0
	widths := columnInputWidths(p)
	for _, r := range p.Rows {
		h.raw(`<tr data-id="`)
		h.text(r.ID)
		h.raw(`">`)
		if p.Actions != nil {
			h.raw(`<td class="select-col"><input type="checkbox" name="_selected" value="`)
			h.text(r.ID)
			h.raw(`" form="` + ChangelistForm + `" data-select-row aria-label="Select `)
			h.text(r.Name)
			h.raw(`"></td>`)
		}
		for i, c := range r.Cells {
			k := tdClass(p, i, c)
			h.raw("<td")
			h.raw(tdClasses[k])
			if i < len(p.Columns) {
				h.raw(` data-label="`)
				h.text(p.Columns[i].Label)
				h.raw(`"`)
			}
			if k&tdTrunc != 0 {
				h.raw(` title="`)
				h.text(c.Text)
				h.raw(`"><span class="trunc-text">`)
			} else {
				h.raw(">")
			}
			if c.Input != nil {
				w := inputWidths[minInputChars]
				if i < len(widths) {
					w = widths[i]
				}
				h.input(c.Input, w)
			} else {
				h.cell(ctx, c)
			}
			if k&tdTrunc != 0 {
				h.raw("</span>")
			}
			h.raw("</td>")
		}
		if deletes {
			h.rowDelete(r)
		}
		h.raw("</tr>")
		if h.err != nil {
			return
		}
	}
}

// directly returns a component that writes its markup with an htmlWriter:
// straight into the page when the page renders into memory (as
// Site.render does), on templ's buffer otherwise. As templ's components,
// it writes nothing once the request's context is done.
func directly(write func(ctx context.Context, hw *htmlWriter) error) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) (err error) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if b, ok := w.(*bytes.Buffer); ok {
			return write(ctx, &htmlWriter{w: b})
		}
		buf, existing := templruntime.GetBuffer(w)
		if !existing {
			defer func() {
				if rerr := templruntime.ReleaseBuffer(buf); err == nil {
					err = rerr
				}
			}()
		}
		return write(ctx, &htmlWriter{w: buf})
	})
}

// filterChoiceItems writes the items of a filter's list of choices. An
// edge filter has up to a hundred choices on every list page.
func (h *htmlWriter) filterChoiceItems(listURL string, choices []Choice) {
	for _, c := range choices {
		h.raw(`<li><a href="`)
		h.url(c.URL)
		h.raw(`" hx-get="`)
		h.partialURL(listURL, c.URL)
		if c.Selected {
			h.raw(`" hx-target="#results" hx-swap="outerHTML" class="selected" aria-current="true">`)
		} else {
			h.raw(`" hx-target="#results" hx-swap="outerHTML" class="">`)
		}
		h.text(c.Label)
		h.raw(" ")
		if c.Count != "" {
			h.raw(`<span class="facet" aria-label="`)
			h.text(c.Count)
			h.raw(` results">`)
			h.text(c.Count)
			h.raw(`</span>`)
		}
		h.raw("</a></li>")
	}
}

// rowDelete writes the cell of a row's delete link, empty when the user
// may not delete the row. The link opens the confirmation dialog with htmx,
// and leads to the confirmation page without JavaScript.
func (h *htmlWriter) rowDelete(r Row) {
	if r.DeleteURL == "" {
		h.raw(`<td class="delete-col"></td>`)
		return
	}
	h.raw(`<td class="delete-col"><a class="row-delete" href="`)
	h.url(r.DeleteURL)
	h.raw(`" hx-get="`)
	h.text(r.ConfirmDeleteURL)
	h.raw(`" hx-target="body" hx-swap="beforeend" hx-indicator="this" aria-label="Delete “`)
	h.text(r.Name)
	h.raw(`”">Delete</a></td>`)
}

// tdClass returns the classes of a row's i-th cell (see tdClasses):
// right-aligned when the cell or its column is numeric; text longer than
// longText characters wraps in the first column and is cut short in the others,
// where shorter values and those of narrow columns stay on one line.
func tdClass(p ListPage, i int, c Cell) int {
	k := 0
	var col Column
	if i < len(p.Columns) {
		col = p.Columns[i]
	}
	if c.Numeric || col.Numeric {
		k |= tdNum
	}
	if i == 0 {
		k |= tdFirst
	}
	long := c.Input == nil && (c.Kind == CellText || c.Kind == CellEmpty) && len(c.Text) > longText && utf8.RuneCountInString(c.Text) > longText
	switch {
	case !long || col.Width == WidthNarrow:
	case i == 0:
		k |= tdWrap
	default:
		k |= tdTrunc
	}
	return k
}

// htmlWriter writes markup and keeps the first error.
type htmlWriter struct {
	w   markupWriter
	err error
	num [20]byte // formats numbers without allocating
}

// markupWriter is what an htmlWriter writes to: templ's buffer or the
// page's.
type markupWriter interface {
	io.Writer
	io.StringWriter
}

// raw writes trusted markup.
func (h *htmlWriter) raw(s string) {
	if h.err == nil {
		_, h.err = h.w.WriteString(s)
	}
}

// rawBytes writes trusted markup.
func (h *htmlWriter) rawBytes(b []byte) {
	if h.err == nil {
		_, h.err = h.w.Write(b)
	}
}

// htmlEscapes are the escapes of the bytes templ.EscapeString escapes.
var htmlEscapes = [256]string{'&': "&amp;", '\'': "&#39;", '<': "&lt;", '>': "&gt;", '"': "&#34;"}

// text writes text, escaped as templ.EscapeString escapes it, without
// building the escaped copy.
func (h *htmlWriter) text(s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		if esc := htmlEscapes[s[i]]; esc != "" {
			h.raw(s[last:i])
			h.raw(esc)
			last = i + 1
		}
	}
	h.raw(s[last:])
}

// url writes a URL attribute's value, sanitized and escaped as templ does.
func (h *htmlWriter) url(s string) {
	h.text(string(templ.URL(s)))
}

// prefixedURL writes the URL prefix+path as url does, without joining
// them: a URL without a colon is never sanitized away.
func (h *htmlWriter) prefixedURL(prefix, path string) {
	if strings.IndexByte(prefix, ':') >= 0 || strings.IndexByte(path, ':') >= 0 {
		h.url(prefix + path)
		return
	}
	h.text(prefix)
	h.text(path)
}

// int writes a number.
func (h *htmlWriter) int(n int) {
	h.rawBytes(strconv.AppendInt(h.num[:0], int64(n), 10))
}

// component renders a component.
func (h *htmlWriter) component(ctx context.Context, c templ.Component) {
	if h.err == nil {
		h.err = c.Render(ctx, h.w)
	}
}

// cell writes one value of a list: text, a yes/no badge, an empty value or
// a component, linked when the cell has a link.
func (h *htmlWriter) cell(ctx context.Context, c Cell) {
	if c.Link != "" {
		h.raw(`<a href="`)
		h.url(c.Link)
		if c.Kind == CellEmpty {
			h.raw(`" class="muted">`)
			h.text(c.Text)
			h.raw("</a>")
			return
		}
		h.raw(`">`)
	}
	switch c.Kind {
	case CellBool:
		if c.Bool {
			h.raw(`<span class="badge badge-yes">Yes</span>`)
		} else {
			h.raw(`<span class="badge badge-no">No</span>`)
		}
	case CellHTML:
		h.component(ctx, c.HTML)
	case CellEmpty:
		h.raw(`<span class="muted">`)
		h.text(c.Text)
		h.raw("</span>")
	default:
		h.text(c.Text)
	}
	if c.Link != "" {
		h.raw("</a>")
	}
}

// input writes the input of an editable cell, of the width class given,
// with the value the page
// showed in a hidden input and its error.
func (h *htmlWriter) input(in *CellInput, width string) {
	const form = `" form="` + ChangelistForm + `"`
	if in.Row != "" {
		h.raw(`<input type="hidden" name="_row" value="`)
		h.text(in.Row)
		h.raw(form + "> ")
	}
	h.raw(`<input type="hidden" name="`)
	h.text(in.OrigName)
	h.raw(`" value="`)
	h.text(in.Orig)
	h.raw(form + "> ")
	switch in.Widget {
	case WidgetCheckbox, WidgetToggle:
		h.raw(`<input type="checkbox" value="on" id="`)
		h.text(in.ID)
		h.raw(`" name="`)
		h.text(in.Name)
		h.raw(form + ` aria-label="`)
		h.text(in.Label)
		h.raw(`"`)
		if in.Checked {
			h.raw(" checked")
		}
		if in.Error != "" {
			h.raw(" aria-invalid")
		}
		h.raw("> ")
	case WidgetSelect:
		h.raw(`<select id="`)
		h.text(in.ID)
		h.raw(`" name="`)
		h.text(in.Name)
		h.raw(form + ` aria-label="`)
		h.text(in.Label)
		h.raw(`"`)
		if in.Error != "" {
			h.raw(" aria-invalid")
		}
		h.raw(">")
		if !in.Required {
			h.raw(`<option value="">---------</option> `)
		}
		for _, c := range in.Choices {
			h.raw(`<option value="`)
			h.text(c.Value)
			h.raw(`"`)
			if c.Selected {
				h.raw(" selected")
			}
			h.raw(">")
			h.text(c.Label)
			h.raw("</option>")
		}
		h.raw("</select> ")
	default:
		h.raw(`<input type="`)
		h.text(inputType(in.Widget))
		h.raw(`" class="cell-input`)
		h.raw(width)
		h.raw(`" id="`)
		h.text(in.ID)
		h.raw(`" name="`)
		h.text(in.Name)
		h.raw(`" value="`)
		h.text(in.Value)
		h.raw(form + ` aria-label="`)
		h.text(in.Label)
		h.raw(`"`)
		if in.Step != "" {
			h.raw(` step="`)
			h.text(in.Step)
			h.raw(`"`)
		}
		if in.MaxLength > 0 {
			h.raw(` maxlength="`)
			h.int(in.MaxLength)
			h.raw(`"`)
		}
		if in.Error != "" {
			h.raw(` aria-invalid="true" aria-describedby="`)
			h.text(in.ID)
			h.raw(`-error"`)
		}
		h.raw("> ")
	}
	if in.Error != "" {
		h.raw(`<span class="cell-error" id="`)
		h.text(in.ID)
		h.raw(`-error">`)
		h.text(in.Error)
		h.raw("</span>")
	}
}
