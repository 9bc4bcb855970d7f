package views

import (
	"bytes"
	"context"
	"strconv"
	"testing"

	"github.com/a-h/templ"
)

// TestTableRows pins the markup of every kind of cell, as the templ
// components it replaced wrote it (less their empty class attributes).
func TestTableRows(t *testing.T) {
	t.Parallel()
	cols := []Column{{Label: "Name"}, {Label: "Price", Numeric: true, Width: WidthNarrow}, {Label: `Tags & "labels"`}}
	const first = `<td class="first" data-label="Name">`
	tests := []struct {
		name string
		cell Cell
		col  int
		want string
	}{
		{"text is escaped", Cell{Text: "Tom & <Jerry>"}, 0, first + `Tom &amp; &lt;Jerry&gt;</td>`},
		{"a link is escaped", Cell{Text: "x", Link: "https://example.com/?a=1&b=2"}, 0, first + `<a href="https://example.com/?a=1&amp;b=2">x</a></td>`},
		{"an unsafe link is replaced", Cell{Kind: CellEmpty, Text: "(none)", Link: "javascript:alert(1)"}, 0, first + `<a href="about:invalid#TemplFailedSanitizationURL" class="muted">(none)</a></td>`},
		{"an empty value is muted", Cell{Kind: CellEmpty, Text: "-"}, 0, first + `<span class="muted">-</span></td>`},
		{"a numeric column aligns its cells", Cell{Text: "12.50"}, 1, `<td class="num" data-label="Price">12.50</td>`},
		{"a numeric cell is aligned", Cell{Text: "5", Numeric: true}, 0, `<td class="num first" data-label="Name">5</td>`},
		{"long text of the first column wraps", Cell{Text: "a very long text that certainly is longer than twenty four runes"}, 0, `<td class="wrap first" data-label="Name">a very long text that certainly is longer than twenty four runes</td>`},
		{"24 runes do not wrap", Cell{Text: "éééééééééééééééééééééééé"}, 0, first + `éééééééééééééééééééééééé</td>`},
		{"long text of another column is cut short, with a tooltip", Cell{Text: "eco-friendly, limited edition, <winter>", Link: "/t/"}, 2,
			`<td class="trunc" data-label="Tags &amp; &#34;labels&#34;" title="eco-friendly, limited edition, &lt;winter&gt;"><span class="trunc-text"><a href="/t/">eco-friendly, limited edition, &lt;winter&gt;</a></span></td>`},
		{"a narrow column is never cut short", Cell{Text: "ééééééééééééééééééééééééééééééééé"}, 1, `<td class="num" data-label="Price">ééééééééééééééééééééééééééééééééé</td>`},
		{"a badge", Cell{Kind: CellBool, Bool: true, Link: "/x/"}, 0, first + `<a href="/x/"><span class="badge badge-yes">Yes</span></a></td>`},
		{"a no badge", Cell{Kind: CellBool}, 0, first + `<span class="badge badge-no">No</span></td>`},
		{"HTML is rendered", Cell{Kind: CellHTML, HTML: templ.Raw("<em>hi</em>"), Link: "/p/2/"}, 0, first + `<a href="/p/2/"><em>hi</em></a></td>`},
		{"an input", Cell{Input: &CellInput{Field: Field{Name: "f", ID: "i", Widget: WidgetCheckbox, Checked: true, Label: "A"}, Orig: "on", OrigName: "o"}}, 0,
			first + `<input type="hidden" name="o" value="on" form="changelist"> <input type="checkbox" value="on" id="i" name="f" form="changelist" aria-label="A" checked> </td>`},
		{"a number input with its error, first of its row, as wide as its value", Cell{Input: &CellInput{Field: Field{Name: "form-2-price", ID: "id-2-price", Widget: WidgetNumber, Value: "214.39", Label: "Price of Two", Step: "0.01", Error: "bad"}, Orig: "214.39", OrigName: "orig-2-price", Row: "2"}}, 0,
			first + `<input type="hidden" name="_row" value="2" form="changelist"> <input type="hidden" name="orig-2-price" value="214.39" form="changelist"> <input type="number" class="cell-input cw-7" id="id-2-price" name="form-2-price" value="214.39" form="changelist" aria-label="Price of Two" step="0.01" aria-invalid="true" aria-describedby="id-2-price-error"> <span class="cell-error" id="id-2-price-error">bad</span></td>`},
		{"a select", Cell{Input: &CellInput{Field: Field{Name: "form-2-s", ID: "id-2-s", Widget: WidgetSelect, Label: "S", Choices: []Choice{{Value: "a", Label: "A", Selected: true}, {Value: "b", Label: "B"}}}, Orig: "a", OrigName: "orig-2-s"}}, 0,
			first + `<input type="hidden" name="orig-2-s" value="a" form="changelist"> <select id="id-2-s" name="form-2-s" form="changelist" aria-label="S"><option value="">---------</option> <option value="a" selected>A</option><option value="b">B</option></select> </td>`},
		{"a text input, escaped, at least 4 characters wide", Cell{Input: &CellInput{Field: Field{Name: "form-2-t", ID: "id-2-t", Widget: WidgetText, Label: "T", MaxLength: 10, Value: "<v>"}, Orig: "<v>", OrigName: "orig-2-t"}}, 0,
			first + `<input type="hidden" name="orig-2-t" value="&lt;v&gt;" form="changelist"> <input type="text" class="cell-input cw-4" id="id-2-t" name="form-2-t" value="&lt;v&gt;" form="changelist" aria-label="T" maxlength="10"> </td>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Row{ID: "1", Cells: make([]Cell, tt.col+1)}
			r.Cells[tt.col] = tt.cell
			p := ListPage{Columns: cols, Rows: []Row{r}}
			want := `<tr data-id="1">`
			for i := range tt.col {
				want += `<td` + tdClasses[tdClass(p, i, Cell{})] + ` data-label="` + templ.EscapeString(cols[i].Label) + `"></td>`
			}
			want += tt.want + `</tr>`
			if got := renderString(t, tableRows(p)); got != want {
				t.Errorf("got  %s\nwant %s", got, want)
			}
		})
	}
	t.Run("a delete link ends the row, a blank cell when it may not be deleted", func(t *testing.T) {
		t.Parallel()
		p := ListPage{Rows: []Row{
			{ID: "1", Name: `Tom & "Jerry"`, DeleteURL: "/p/1/delete/?_changelist_filters=q%3Dx", ConfirmDeleteURL: "/p/1/confirm-delete/?_changelist_filters=q%3Dx"},
			{ID: "2"},
		}}
		want := `<tr data-id="1"><td class="delete-col"><a class="row-delete" href="/p/1/delete/?_changelist_filters=q%3Dx" hx-get="/p/1/confirm-delete/?_changelist_filters=q%3Dx" hx-target="body" hx-swap="beforeend" hx-indicator="this" aria-label="Delete “Tom &amp; &#34;Jerry&#34;”">Delete</a></td></tr>` +
			`<tr data-id="2"><td class="delete-col"></td></tr>`
		if got := renderString(t, tableRows(p)); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
	t.Run("with actions, a checkbox starts the row", func(t *testing.T) {
		t.Parallel()
		p := ListPage{Actions: &ActionBar{}, Rows: []Row{{ID: `2'"`, Name: `Tom & "Jerry"`}}}
		want := `<tr data-id="2&#39;&#34;"><td class="select-col"><input type="checkbox" name="_selected" value="2&#39;&#34;" form="changelist" data-select-row aria-label="Select Tom &amp; &#34;Jerry&#34;"></td></tr>`
		if got := renderString(t, tableRows(p)); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}

// TestTableRowsAllocations checks that rendering rows allocates nothing per
// row nor per cell.
func TestTableRowsAllocations(t *testing.T) {
	allocs := func(n int) float64 {
		p := ListPage{Columns: []Column{{Label: "Name"}, {Label: "Price", Numeric: true}}, Actions: &ActionBar{}}
		for i := range n {
			id := strconv.Itoa(i)
			p.Rows = append(p.Rows, Row{ID: id, Name: "Product " + id, Cells: []Cell{
				{Text: "Product " + id, Link: "/admin/product/" + id + "/"},
				{Text: "12.50"},
				{Kind: CellBool, Bool: true},
				{Kind: CellEmpty, Text: "-"},
				{Text: "a long text, long enough to wrap in its cell"},
				{Input: &CellInput{Field: Field{Name: "e." + id + ".stock", ID: "e-" + id + "-stock", Widget: WidgetNumber, Value: id, Label: "Stock of Product " + id, Step: "1", MaxLength: 10}, Orig: id, OrigName: "o." + id + ".stock", Row: id}},
			}, DeleteURL: "/admin/product/" + id + "/delete/", ConfirmDeleteURL: "/admin/product/" + id + "/confirm-delete/"})
		}
		var buf bytes.Buffer
		return testing.AllocsPerRun(20, func() {
			buf.Reset()
			if err := tableRows(p).Render(context.Background(), &buf); err != nil {
				t.Fatal(err)
			}
		})
	}
	if few, many := allocs(10), allocs(100); many != few {
		t.Errorf("10 rows allocate %v times, 100 rows %v times; want the same", few, many)
	}
}

// tableRows renders the rows of a list's table alone.
func tableRows(p ListPage) templ.Component {
	return directly(func(ctx context.Context, hw *htmlWriter) error {
		hw.rows(ctx, p)
		return hw.err
	})
}

func renderString(t *testing.T, c templ.Component) string {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Render(context.Background(), &buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}

// TestTextEscapesAsTempl checks that htmlWriter.text writes what
// templ.EscapeString returns, for markup, quotes, ampersands, invalid
// UTF-8 and text without anything to escape.
func TestTextEscapesAsTempl(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "plain", hostile, `a&b<c>d"e'f`, "&&&", "<<", `"'`, "\xff<\xfe>", "é&ü", "end&", "&start"} {
		var buf bytes.Buffer
		err := directly(func(_ context.Context, hw *htmlWriter) error {
			hw.text(s)
			return hw.err
		}).Render(context.Background(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		if want := templ.EscapeString(s); buf.String() != want {
			t.Errorf("text(%q) = %q, want %q", s, buf.String(), want)
		}
	}
}

// TestURLSanitizesAsTempl checks that links are sanitized as templ
// sanitizes a URL attribute, joined or not.
func TestURLSanitizesAsTempl(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ prefix, path string }{
		{"", hostileURL}, {"javascript", ":alert(1)"}, {"JavaScript:", "x"}, {"/admin", "/static/admin.css"}, {"", "https://example.com/?a=1&b=2"},
		{"/a:b", "/c"}, {"data", ":text/html,<script>"}, {"", "mailto:a@example.com"}, {"", "/x?u=javascript:alert(1)"},
	} {
		var joined, plain bytes.Buffer
		if err := directly(func(_ context.Context, hw *htmlWriter) error {
			hw.prefixedURL(c.prefix, c.path)
			return hw.err
		}).Render(context.Background(), &joined); err != nil {
			t.Fatal(err)
		}
		if err := directly(func(_ context.Context, hw *htmlWriter) error {
			hw.url(c.prefix + c.path)
			return hw.err
		}).Render(context.Background(), &plain); err != nil {
			t.Fatal(err)
		}
		want := templ.EscapeString(templ.URL(c.prefix + c.path))
		if joined.String() != want || plain.String() != want {
			t.Errorf("%q+%q: prefixedURL %q, url %q, want %q", c.prefix, c.path, joined.String(), plain.String(), want)
		}
	}
}
