package entadmin

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/views"
)

// The query parameters of a list; every other parameter names a filter.
const (
	paramSearch = "q"
	paramOrder  = "o"
	paramPage   = "p"
)

// maxFilterChoices caps the distinct values and related entities a filter
// offers.
const maxFilterChoices = 100

// listParams is a list request, validated against the resource's
// allow-lists.
type listParams[T any] struct {
	values  url.Values // the parameters as given, for building links
	search  string
	filters map[string]string // field name -> value
	where   []Predicate
	order   []orderTerm[T]
	page    int
}

type orderTerm[T any] struct {
	field *Field[T]
	desc  bool
}

// badParam is a list parameter the resource does not allow.
type badParam struct{ msg string }

func (e badParam) Error() string { return e.msg }

// parseList validates the query string. Parameters that name no filter are
// ignored; a bad value of a known parameter is an error, so that nothing the
// resource does not allow reaches SQL.
func (r *Resource[T]) parseList(lc *listConfig[T], q url.Values, now time.Time) (*listParams[T], error) {
	p := &listParams[T]{values: url.Values{}, filters: map[string]string{}, page: 1}
	if s := strings.TrimSpace(q.Get(paramSearch)); s != "" && len(lc.search) > 0 {
		p.search = s
		p.values.Set(paramSearch, s)
		for _, term := range strings.Fields(s) {
			ors := make([]*sql.Predicate, len(lc.search))
			for i, col := range lc.search {
				ors[i] = sql.ContainsFold(col, term)
			}
			p.where = append(p.where, orPredicate(ors))
		}
	}
	for _, f := range lc.filters {
		v := q.Get(f.Name)
		if v == "" {
			continue
		}
		pred, err := r.filterPredicate(f, v, now)
		if err != nil {
			return nil, err
		}
		p.filters[f.Name] = v
		p.values.Set(f.Name, v)
		p.where = append(p.where, pred)
	}
	if o := q.Get(paramOrder); o != "" {
		for _, name := range strings.Split(o, ",") {
			name, desc := strings.CutPrefix(name, "-")
			f := r.fields[name]
			if !lc.sortable[name] {
				return nil, badParam{fmt.Sprintf("cannot sort by %q", name)}
			}
			p.order = append(p.order, orderTerm[T]{f, desc})
		}
		p.values.Set(paramOrder, o)
	}
	if s := q.Get(paramPage); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return nil, badParam{fmt.Sprintf("bad page number %q", s)}
		}
		p.page = n
	}
	return p, nil
}

func orPredicate(ps []*sql.Predicate) Predicate {
	return func(s *sql.Selector) { s.Where(sql.Or(ps...)) }
}

// Date filter choices.
var dateChoices = []struct{ value, label string }{
	{"today", "Today"},
	{"7d", "Past 7 days"},
	{"month", "This month"},
	{"year", "This year"},
}

// filterPredicate returns the predicate of one filter value.
func (r *Resource[T]) filterPredicate(f *Field[T], v string, now time.Time) (Predicate, error) {
	bad := badParam{fmt.Sprintf("bad value %q for filter %q", v, f.Name)}
	switch f.Kind {
	case KindBool:
		switch v {
		case "yes":
			return sql.FieldEQ(f.Column, true), nil
		case "no":
			return sql.FieldEQ(f.Column, false), nil
		}
		return nil, bad
	case KindEnum:
		for _, e := range f.Enums {
			if e.Value == v {
				return sql.FieldEQ(f.Column, v), nil
			}
		}
		return nil, bad
	case KindString, KindText:
		return sql.FieldEQ(f.Column, v), nil
	case KindEdge:
		id, err := f.Decode(v)
		if err != nil {
			return nil, bad
		}
		return sql.FieldEQ(f.Column, id), nil
	case KindTime:
		from, ok := dateFrom(v, now)
		if !ok {
			return nil, bad
		}
		return sql.FieldGTE(f.Column, from), nil
	}
	return nil, bad
}

// dateFrom is the start of a date filter's range.
func dateFrom(choice string, now time.Time) (time.Time, bool) {
	y, m, d := now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	switch choice {
	case "today":
		return today, true
	case "7d":
		return today.AddDate(0, 0, -7), true
	case "month":
		return time.Date(y, m, 1, 0, 0, 0, 0, now.Location()), true
	case "year":
		return time.Date(y, 1, 1, 0, 0, 0, 0, now.Location()), true
	}
	return time.Time{}, false
}

// url returns the list URL with the given parameters changed; an empty value
// removes one. Changing anything but the page goes back to page 1.
func (p *listParams[T]) url(base string, kv ...string) string {
	v := make(url.Values, len(p.values)+1)
	for k, vs := range p.values {
		v[k] = vs
	}
	if p.page > 1 {
		v.Set(paramPage, strconv.Itoa(p.page))
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] != paramPage {
			v.Del(paramPage)
		}
		if kv[i+1] == "" || kv[i] == paramPage && kv[i+1] == "1" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

func (r *Resource[T]) serveList(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		r.m.site.error(w, req, http.StatusMethodNotAllowed, "The list accepts GET requests only.")
		return
	}
	if !r.m.allow(w, req, ActionView) {
		return
	}
	site := r.m.site
	now := time.Now().In(site.location)
	lc := r.list
	if hidden := r.hiddenFields(req); len(hidden) > 0 {
		lc = r.listConfig(hidden)
	}
	p, err := r.parseList(lc, req.URL.Query(), now)
	if err != nil {
		site.error(w, req, http.StatusBadRequest, "Bad list parameters: "+err.Error()+".")
		return
	}
	ctx := req.Context()
	total, err := r.Count(ctx, p.where)
	if err != nil {
		site.serverError(w, req, err)
		return
	}
	pages := max(1, (total+r.PerPage-1)/r.PerPage)
	p.page = min(p.page, pages)
	entities, err := r.List(ctx, Query{
		Where:  p.where,
		Order:  r.orderBy(p.order),
		Limit:  r.PerPage,
		Offset: (p.page - 1) * r.PerPage,
	})
	if err != nil {
		site.serverError(w, req, err)
		return
	}
	prefix := Prefix(req)
	base := prefix + "/" + r.Slug + "/"
	page := views.ListPage{
		Page:       site.page(w, req, capitalize(r.LabelPlural), r.Slug),
		ListURL:    base,
		Searchable: len(lc.search) > 0,
		Search:     p.search,
		Columns:    lc.headers(p, base),
		Rows:       r.rows(lc, entities, base),
		Pagination: pagination(p, pages, base),
		EmptyText:  "No " + r.LabelPlural + " found.",
	}
	page.Breadcrumbs = []views.Link{{Label: "Home", URL: prefix + "/"}, {Label: capitalize(r.LabelPlural)}}
	page.ResultSummary = fmt.Sprintf("%d %s", total, r.label(total))
	if r.m.can(req, ActionAdd) {
		page.AddURL = base + "add/"
		page.AddLabel = "Add " + r.Label
	}
	for k, vs := range p.values {
		if k != paramSearch && k != paramPage {
			page.SearchKeep = append(page.SearchKeep, views.Param{Name: k, Value: vs[0]})
		}
	}
	if p.search != "" || len(p.filters) > 0 {
		page.ClearURL = base
		if o := p.values.Get(paramOrder); o != "" {
			page.ClearURL += "?" + url.Values{paramOrder: {o}}.Encode()
		}
	}
	if page.Filters, err = r.sidebar(req, lc, p, base); err != nil {
		site.serverError(w, req, err)
		return
	}
	if req.Header.Get("HX-Request") == "true" && req.Header.Get("HX-Target") == "results" {
		site.render(w, req, http.StatusOK, views.ListResults(page))
		return
	}
	site.render(w, req, http.StatusOK, r.views().List(page))
}

func (r *Resource[T]) label(n int) string {
	if n == 1 {
		return r.Label
	}
	return r.LabelPlural
}

// orderBy returns the ordering of a list: the requested one, or the
// resource's default, then the id so that pages are stable.
func (r *Resource[T]) orderBy(terms []orderTerm[T]) []Predicate {
	if len(terms) == 0 {
		for _, o := range r.Ordering {
			name, desc := strings.CutPrefix(o, "-")
			if f := r.fields[name]; f != nil && f.Order != nil {
				terms = append(terms, orderTerm[T]{f, desc})
			}
		}
	}
	out := make([]Predicate, 0, len(terms)+1)
	idDesc := true
	for _, t := range terms {
		out = append(out, t.field.Order(direction(t.desc)))
		idDesc = t.desc
	}
	return append(out, sql.OrderByField(r.IDColumn, direction(idDesc)).ToFunc())
}

func direction(desc bool) sql.OrderTermOption {
	if desc {
		return sql.OrderDesc()
	}
	return sql.OrderAsc()
}

// headers returns the column headers, with sort links.
func (lc *listConfig[T]) headers(p *listParams[T], base string) []views.Column {
	cols := make([]views.Column, len(lc.columns))
	for i, c := range lc.columns {
		f := c.field
		col := views.Column{Label: f.Label, Numeric: f.Kind.Numeric()}
		if lc.sortable[f.Name] {
			next := f.Name
			if len(p.order) > 0 && p.order[0].field == f {
				col.Sorted = 1
				if p.order[0].desc {
					col.Sorted = -1
				} else {
					next = "-" + f.Name
				}
			}
			col.SortURL = p.url(base, paramOrder, next)
		}
		cols[i] = col
	}
	return cols
}

// rows formats the entities of a page.
func (r *Resource[T]) rows(lc *listConfig[T], entities []T, base string) []views.Row {
	rows := make([]views.Row, len(entities))
	loc := r.m.site.location
	for i, e := range entities {
		id := r.ID(e)
		row := views.Row{ID: id, URL: base + url.PathEscape(id) + "/", Cells: make([]views.Cell, len(lc.columns))}
		for j, c := range lc.columns {
			cell := formatCell(c.field, c.field.Get(e), loc, r.EmptyValue)
			if c.link {
				cell.Link = row.URL
			}
			row.Cells[j] = cell
		}
		rows[i] = row
	}
	return rows
}

// sidebar returns the filters with their choices.
func (r *Resource[T]) sidebar(req *http.Request, lc *listConfig[T], p *listParams[T], base string) ([]views.Filter, error) {
	filters := make([]views.Filter, 0, len(lc.filters))
	for _, f := range lc.filters {
		current := p.filters[f.Name]
		choice := func(label, value string) views.Choice {
			return views.Choice{Label: label, Value: value, URL: p.url(base, f.Name, value), Selected: current == value}
		}
		filter := views.Filter{Title: "By " + strings.ToLower(f.Label), Choices: []views.Choice{choice("All", "")}}
		switch f.Kind {
		case KindBool:
			filter.Choices = append(filter.Choices, choice("Yes", "yes"), choice("No", "no"))
		case KindEnum:
			for _, e := range f.Enums {
				filter.Choices = append(filter.Choices, choice(e.Label, e.Value))
			}
		case KindString, KindText:
			values, err := r.Distinct(req.Context(), []Predicate{sql.FieldNotNull(f.Column)}, f.Column, maxFilterChoices)
			if err != nil {
				return nil, err
			}
			for _, v := range values {
				filter.Choices = append(filter.Choices, choice(v, v))
			}
		case KindEdge:
			choices, err := f.Choices(req.Context(), maxFilterChoices)
			if err != nil {
				return nil, err
			}
			for _, c := range choices {
				filter.Choices = append(filter.Choices, choice(c.Label, c.Value))
			}
		case KindTime:
			filter.Choices[0].Label = "Any date"
			for _, d := range dateChoices {
				filter.Choices = append(filter.Choices, choice(d.label, d.value))
			}
		}
		filters = append(filters, filter)
	}
	return filters, nil
}

// pagination returns the page links: the first two and last two pages, and
// those around the current one.
func pagination[T any](p *listParams[T], pages int, base string) views.Pagination {
	pg := views.Pagination{Page: p.page, Pages: pages}
	if p.page > 1 {
		pg.PrevURL = p.url(base, paramPage, strconv.Itoa(p.page-1))
	}
	if p.page < pages {
		pg.NextURL = p.url(base, paramPage, strconv.Itoa(p.page+1))
	}
	if pages <= 1 {
		return pg
	}
	last := 0
	for _, n := range []int{1, 2, p.page - 2, p.page - 1, p.page, p.page + 1, p.page + 2, pages - 1, pages} {
		if n <= last || n < 1 || n > pages {
			continue
		}
		if n > last+1 {
			pg.Links = append(pg.Links, views.PageLink{Gap: true})
		}
		pg.Links = append(pg.Links, views.PageLink{Number: n, URL: p.url(base, paramPage, strconv.Itoa(n)), Current: n == p.page})
		last = n
	}
	return pg
}
