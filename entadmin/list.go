package entadmin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
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
	values   url.Values // the parameters as given, for building links
	search   string
	filters  map[string]string // filter parameter -> value
	where    []Predicate
	byFilter map[string]Predicate // the predicate of each active filter, for facets
	searchP  Predicate
	facets   bool // show facet counts
	order    []orderTerm[T]
	page     int       // from 1; negative counts from the end: -1 is the last page
	drill    dateDrill // the date drill-down's period (datehier.go)
	// filterSearch narrows one edge filter's choices (filtersearch.go).
	filterSearch filterSearch
}

type orderTerm[T any] struct {
	name  string // the column or field name in the URL
	field *Field[T]
	desc  bool
}

// badParam is a list parameter the resource does not allow.
type badParam struct{ msg string }

func (e badParam) Error() string { return e.msg }

// parseList validates the query string. Parameters that name no filter are
// ignored; a bad value of a known parameter is an error, so that nothing the
// resource does not allow reaches SQL.
func (r *Resource[T]) parseList(req *http.Request, lc *listConfig[T], q url.Values, now time.Time) (*listParams[T], error) {
	p := &listParams[T]{values: url.Values{}, filters: map[string]string{}, byFilter: map[string]Predicate{}, page: 1}
	if s := strings.TrimSpace(q.Get(paramSearch)); s != "" && lc.searchable(r) {
		pred, err := r.searchPredicate(req, lc, s)
		if err != nil {
			return nil, err
		}
		p.search = s
		p.values.Set(paramSearch, s)
		if pred != nil {
			p.searchP = pred
			p.where = append(p.where, pred)
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
		if f.Through != nil {
			pred = f.Through(pred)
		}
		p.filters[f.Name] = v
		p.values.Set(f.Name, v)
		p.where = append(p.where, pred)
		p.byFilter[f.Name] = pred
	}
	for _, f := range lc.custom {
		v := q.Get(f.Param())
		if v == "" {
			continue
		}
		pred, _, err := customPredicate(req.Context(), req, f, v)
		if err != nil {
			return nil, err
		}
		p.filters[f.Param()] = v
		p.values.Set(f.Param(), v)
		p.where = append(p.where, pred)
		p.byFilter[f.Param()] = pred
	}
	fs, err := parseFilterSearch(q)
	if err != nil {
		return nil, err
	}
	p.filterSearch = fs
	if r.Facets && q.Get(paramFacets) == "1" {
		p.facets = true
		p.values.Set(paramFacets, "1")
	}
	if o := q.Get(paramOrder); o != "" {
		seen := map[string]bool{}
		for _, name := range strings.Split(o, ",") {
			name, desc := strings.CutPrefix(name, "-")
			f := lc.sortable[name]
			if f == nil || seen[name] {
				return nil, badParam{fmt.Sprintf("cannot sort by %q", name)}
			}
			seen[name] = true
			p.order = append(p.order, orderTerm[T]{name, f, desc})
		}
		p.values.Set(paramOrder, o)
	}
	if s := q.Get(paramPage); s != "" {
		n, err := parsePage(s)
		if err != nil {
			return nil, err
		}
		p.page = n
	}
	return p, nil
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
// removes one. Changing anything but the page goes back to page 1. The
// query is written as url.Values.Encode writes it, sorted by name, without
// copying the parameters into a map of their own: a list page has a link
// per filter choice, column and page.
func (p *listParams[T]) url(base string, kv ...string) string {
	var buf [16]queryParam
	ps := buf[:0]
	for k, vs := range p.values {
		for _, v := range vs {
			ps = append(ps, queryParam{k, v})
		}
	}
	if p.page > 1 || p.page < 0 {
		ps = setParam(ps, paramPage, pageParam(p.page))
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] != paramPage {
			ps = setParam(ps, paramPage, "")
		}
		if kv[i] == paramPage && kv[i+1] == "1" {
			ps = setParam(ps, paramPage, "")
		} else {
			ps = setParam(ps, kv[i], kv[i+1])
		}
	}
	if len(ps) == 0 {
		return base
	}
	slices.SortStableFunc(ps, func(a, b queryParam) int { return strings.Compare(a.name, b.name) })
	n := len(base) + len(ps)
	for _, q := range ps {
		n += len(q.name) + len(q.value)
	}
	var b strings.Builder
	b.Grow(n + n/8)
	b.WriteString(base)
	for i, q := range ps {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(q.name))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(q.value))
	}
	return b.String()
}

// queryParam is one parameter of a query string.
type queryParam struct{ name, value string }

// setParam sets the parameter name to value in ps, as url.Values.Set does;
// an empty value removes it, as url.Values.Del does.
func setParam(ps []queryParam, name, value string) []queryParam {
	ps = slices.DeleteFunc(ps, func(q queryParam) bool { return q.name == name })
	if value != "" {
		ps = append(ps, queryParam{name, value})
	}
	return ps
}

func (r *Resource[T]) serveList(w http.ResponseWriter, req *http.Request) error {
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return refuse(http.StatusMethodNotAllowed, "The list accepts GET requests only.")
	}
	if err := r.m.check(req, ActionView); err != nil {
		return err
	}
	site := r.m.site
	now := time.Now().In(site.location)
	lc, err := r.requestList(req)
	if err != nil {
		return err
	}
	q := req.URL.Query()
	p, err := r.parseList(req, lc, q, now)
	if err == nil {
		err = r.parseDrill(req, p, q)
	}
	if err != nil {
		return badParamIn("list parameters", err)
	}
	prefix := Prefix(req)
	base := prefix + "/" + r.Slug + "/"
	var (
		dates *datePlan[T]
		page  views.ListPage
		ra    *rowActions[T]
		first *firstPage[T]
		later error // the error of a part that waits for the page's
	)
	// prepare does what the rows of a first page do not wait for.
	prepare := func() error {
		var err error
		if dates, err = r.planDates(req, p, base); err != nil {
			return err
		}
		page = r.listFrame(req, lc, p, base)
		page.Filters, later = r.sidebar(req, lc, p, base, now)
		if r.Facets && len(page.Filters) > 0 {
			page.FacetsShown = p.facets
			page.FacetsURL = p.url(base, paramFacets, map[bool]string{false: "1", true: ""}[p.facets])
		}
		if later == nil {
			if ra, later = r.rowActions(req, lc); later == nil {
				page.Tools = ra.tools
			}
		}
		if first != nil {
			first.counts, first.countErr = r.countRows(req.Context(), p.where, r.countsFull(p), dates.scalars())
			if first.countErr == nil && later == nil {
				later = r.listTools(req, lc, p, base, dates, &page)
			}
			if first.countErr == nil && later == nil && !isPartial(req) && r.listViewIsDefault() {
				// All but the results, written now; the messages are
				// cleared once the page is sure to be shown.
				page.Messages = peekMessages(req)
				first.writeAround(req.Context(), page)
			}
		}
		return nil
	}
	if r.readsAhead(req.Context(), p, q) {
		// The first page's statement waits for nothing: it is sent at
		// once, and while the database answers, the rest of the page is
		// prepared on another goroutine.
		first = new(firstPage[T])
		query := r.firstPageQuery(p)
		prepared := make(chan error, 1)
		go func() { prepared <- prepare() }()
		first.entities, first.err = r.List(req.Context(), query)
		err = <-prepared
	} else {
		err = prepare()
	}
	if err != nil {
		return err
	}
	lp, err := r.loadPage(req.Context(), p, q, base, dates.scalars(), first)
	if err != nil {
		return badParamIn("list parameters", err)
	}
	if later == nil && first == nil {
		later = r.listTools(req, lc, p, base, dates, &page)
	}
	if later != nil {
		return later
	}
	entities := lp.entities
	query := p.query()
	if first.writtenAround() {
		clearMessages(w, req)
	} else {
		page.Messages = takeMessages(w, req)
	}
	page.Rows = r.rows(lc, entities, base, query)
	page.Pagination = lp.pagination
	page.ResultSummary, page.CountNote = r.summary(lp)
	if err := r.decorateList(req, &page, lc, ra, entities, lp.selectAll(), query); err != nil {
		return err
	}
	if isPartial(req) {
		r.renderPartial(w, req, page, listReturn(base, query))
		return nil
	}
	if first.writtenAround() {
		site.render(w, req, r.listStatus(req), first.withResults(views.ListResults(page)))
		putPageBuffer(first.around)
		return nil
	}
	site.render(w, req, r.listStatus(req), r.views().List(page))
	return nil
}

// listTools fills in the list's date drill-down, export, add and column
// chooser links, which need the counts (the drill-down reads its range
// with them) and the page's number, but no row.
func (r *Resource[T]) listTools(req *http.Request, lc *listConfig[T], p *listParams[T], base string, dates *datePlan[T], page *views.ListPage) error {
	if err := r.listSpeedPage(req, p, base, dates, page); err != nil {
		return err
	}
	query := p.query()
	if r.m.can(req, ActionAdd) {
		page.AddURL = keepFilters(base+"add/", query)
		page.AddLabel = "Add " + r.Label
	}
	page.Chooser = lc.chooser(base, query)
	return nil
}

// listFrame returns a list page with what depends on the parameters alone:
// the frame (without its messages, taken once the page is sure to be
// shown), the search box and the column headers.
func (r *Resource[T]) listFrame(req *http.Request, lc *listConfig[T], p *listParams[T], base string) views.ListPage {
	page := views.ListPage{
		Page:       r.m.site.frameOnly(req, capitalize(r.LabelPlural), r.Slug),
		ListURL:    base,
		Searchable: lc.searchable(r),
		Search:     p.search,
		Columns:    lc.headers(p, base),
		EmptyText:  "No " + r.LabelPlural + " found.",
	}
	page.Breadcrumbs = []views.Link{{Label: "Home", URL: Prefix(req) + "/"}, {Label: capitalize(r.LabelPlural)}}
	for k, vs := range p.values {
		if k != paramSearch && k != paramPage {
			page.SearchKeep = append(page.SearchKeep, views.Param{Name: k, Value: vs[0]})
		}
	}
	slices.SortFunc(page.SearchKeep, func(a, b views.Param) int { return strings.Compare(a.Name, b.Name) })
	if p.search != "" || len(p.filters) > 0 {
		page.ClearURL = base
		if o := p.values.Get(paramOrder); o != "" {
			page.ClearURL += "?" + url.Values{paramOrder: {o}}.Encode()
		}
	}
	return page
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
	return r.ordering(terms, false)
}

// ordering is orderBy, every direction reversed when reverse is set (the
// databases then order NULLs reversed too: PostgreSQL puts them last
// ascending and first descending, SQLite and MySQL first ascending).
func (r *Resource[T]) ordering(terms []orderTerm[T], reverse bool) []Predicate {
	terms = r.effectiveOrder(terms)
	out := make([]Predicate, 0, len(terms)+1)
	idDesc := true
	for _, t := range terms {
		out = append(out, t.field.Order(direction(t.desc != reverse)))
		idDesc = t.desc
	}
	return append(out, sql.OrderByField(r.IDColumn, direction(idDesc != reverse)).ToFunc())
}

func direction(desc bool) sql.OrderTermOption {
	if desc {
		return sql.OrderDesc()
	}
	return sql.OrderAsc()
}

// sidebar returns the filters with their choices.
func (r *Resource[T]) sidebar(req *http.Request, lc *listConfig[T], p *listParams[T], base string, now time.Time) ([]views.Filter, error) {
	filters := make([]views.Filter, 0, len(lc.filters))
	for _, f := range lc.filters {
		current := p.filters[f.Name]
		choice := func(label, value string) views.Choice {
			return views.Choice{Label: label, Value: value, URL: p.url(base, f.Name, value), Selected: current == value}
		}
		room := 1 // the choices of a kind whose choices are known
		switch f.Kind {
		case KindBool:
			room = 3
		case KindEnum:
			room = 1 + len(f.Enums)
		case KindTime:
			room = 1 + len(dateChoices)
		}
		filter := views.Filter{Param: f.Name, Title: r.filterTitle(f), Choices: append(make([]views.Choice, 0, room), choice("All", ""))}
		switch f.Kind {
		case KindBool:
			filter.Choices = append(filter.Choices, choice("Yes", "yes"), choice("No", "no"))
		case KindEnum:
			for _, e := range f.Enums {
				filter.Choices = append(filter.Choices, choice(e.Label, e.Value))
			}
		case KindString, KindText:
			if f.Through != nil {
				// An edge path: the distinct values of the related column.
				choices, err := f.Choices(req.Context(), maxFilterChoices)
				if err != nil {
					return nil, err
				}
				for _, c := range choices {
					filter.Choices = append(filter.Choices, choice(c.Label, c.Value))
				}
				break
			}
			values, err := r.distinct(req.Context(), []Predicate{sql.FieldNotNull(f.Column)}, f.Column, maxFilterChoices)
			if err != nil {
				return nil, err
			}
			for _, v := range values {
				filter.Choices = append(filter.Choices, choice(v, v))
			}
		case KindEdge:
			var text string
			if p.filterSearch.field == f.Name {
				text = p.filterSearch.text
			}
			if err := r.edgeFilter(req, f, p, base, text, &filter); err != nil {
				return nil, badParamIn("filter search", err)
			}
		case KindTime:
			filter.Choices[0].Label = "Any date"
			for _, d := range dateChoices {
				filter.Choices = append(filter.Choices, choice(d.label, d.value))
			}
		}
		filters = append(filters, filter)
	}
	custom, err := r.customSidebar(req, lc, p, base)
	if err != nil {
		return nil, err
	}
	filters = append(filters, custom...)
	if p.facets {
		if err := r.facets(req, lc, p, filters, now); err != nil {
			return nil, err
		}
	}
	return filters, nil
}
