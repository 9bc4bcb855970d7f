package entadmin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/views"
)

// maxDrillYears caps the years the top of a date drill-down probes.
const maxDrillYears = 50

// dateDrill is the period a date drill-down has selected: a year, a month
// of it, or a day of that; zero values for none.
type dateDrill struct {
	year, month, day int
	pred             Predicate // the range of the period; nil for none
	at               int       // the index of pred in the list's predicates
}

// The parameters of the drill-down are named after the field, as Django
// names them: created_at__year, created_at__month, created_at__day.
func drillParams(field string) (year, month, day string) {
	return field + "__year", field + "__month", field + "__day"
}

// parseDrill reads the date drill-down's parameters into p: the period's
// range joins the list's predicates.
func (r *Resource[T]) parseDrill(req *http.Request, p *listParams[T], q url.Values) error {
	f := r.drillField(req)
	if f == nil {
		return nil
	}
	yp, mp, dp := drillParams(f.Name)
	num := func(name string, lo, hi int) (int, error) {
		s := q.Get(name)
		if s == "" {
			return 0, nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return 0, badParam{fmt.Sprintf("bad value %q for %s", s, name)}
		}
		return n, nil
	}
	var d dateDrill
	var err error
	if d.year, err = num(yp, 1, 9999); err != nil {
		return err
	}
	if d.month, err = num(mp, 1, 12); err != nil {
		return err
	}
	if d.day, err = num(dp, 1, 31); err != nil {
		return err
	}
	if d.year == 0 && d.month+d.day > 0 || d.month == 0 && d.day > 0 {
		return badParam{"a date drill-down needs the year, then the month, then the day"}
	}
	if d.year == 0 {
		return nil
	}
	loc := r.m.site.location
	from, to := time.Date(d.year, 1, 1, 0, 0, 0, 0, loc), time.Date(d.year+1, 1, 1, 0, 0, 0, 0, loc)
	p.values.Set(yp, strconv.Itoa(d.year))
	if d.month > 0 {
		from = time.Date(d.year, time.Month(d.month), 1, 0, 0, 0, 0, loc)
		to = from.AddDate(0, 1, 0)
		p.values.Set(mp, strconv.Itoa(d.month))
	}
	if d.day > 0 {
		from = time.Date(d.year, time.Month(d.month), d.day, 0, 0, 0, 0, loc)
		if from.Month() != time.Month(d.month) {
			return badParam{fmt.Sprintf("there is no day %d in %s %d", d.day, time.Month(d.month), d.year)}
		}
		to = from.AddDate(0, 0, 1)
		p.values.Set(dp, strconv.Itoa(d.day))
	}
	col := f.Column
	d.pred = func(s *sql.Selector) { s.Where(sql.And(sql.GTE(s.C(col), from), sql.LT(s.C(col), to))) }
	d.at = len(p.where)
	p.drill = d
	p.where = append(p.where, d.pred)
	return nil
}

// drillField is the date drill-down's field, or nil when the resource has
// none, the user may not see it, or the statements it needs cannot run.
func (r *Resource[T]) drillField(req *http.Request) *Field[T] {
	if r.DateHierarchy == "" || r.Driver == nil || r.Table == "" {
		return nil
	}
	f := r.fields[r.DateHierarchy]
	if f == nil || f.Kind != KindTime || r.hiddenFields(req)[f.Name] {
		return nil
	}
	return f
}

// bucket is one period of the drill-down.
type bucket struct {
	label    string
	from, to time.Time
	kv       []string // the parameters that select it
}

// dateNav builds the drill-down above the list: the periods of the next
// level that have rows matching the list's other predicates. It finds them
// with range predicates on the field's column, which its index serves: the
// first and last value when nothing is selected, then one EXISTS probe per
// period, all in one statement. It never scans for distinct values.
func (r *Resource[T]) dateNav(req *http.Request, p *listParams[T], base string) (*views.DateNav, error) {
	f := r.drillField(req)
	if f == nil {
		return nil, nil
	}
	ctx := req.Context()
	loc := r.m.site.location
	yp, mp, dp := drillParams(f.Name)
	where := p.where
	if p.drill.pred != nil {
		where = slices.Delete(slices.Clone(where), p.drill.at, p.drill.at+1)
	}
	nav := &views.DateNav{Label: "By " + f.Label}
	d := p.drill
	var buckets []bucket
	years := func(from, to int) {
		for y := from; y <= to; y++ {
			buckets = append(buckets, bucket{strconv.Itoa(y), time.Date(y, 1, 1, 0, 0, 0, 0, loc), time.Date(y+1, 1, 1, 0, 0, 0, 0, loc),
				[]string{yp, strconv.Itoa(y), mp, "", dp, ""}})
		}
	}
	months := func(y int) {
		for m := time.January; m <= time.December; m++ {
			from := time.Date(y, m, 1, 0, 0, 0, 0, loc)
			buckets = append(buckets, bucket{m.String() + " " + strconv.Itoa(y), from, from.AddDate(0, 1, 0),
				[]string{yp, strconv.Itoa(y), mp, strconv.Itoa(int(m)), dp, ""}})
		}
	}
	days := func(y int, m time.Month) {
		for from := time.Date(y, m, 1, 0, 0, 0, 0, loc); from.Month() == m; from = from.AddDate(0, 0, 1) {
			buckets = append(buckets, bucket{m.String() + " " + strconv.Itoa(from.Day()), from, from.AddDate(0, 0, 1),
				[]string{yp, strconv.Itoa(y), mp, strconv.Itoa(int(m)), dp, strconv.Itoa(from.Day())}})
		}
	}
	all := p.url(base, yp, "", mp, "", dp, "")
	switch {
	case d.day > 0:
		nav.Back = &views.Link{Label: time.Month(d.month).String() + " " + strconv.Itoa(d.year), URL: p.url(base, dp, "")}
		nav.Current = fmt.Sprintf("%s %d, %d", time.Month(d.month), d.day, d.year)
		return nav, nil
	case d.month > 0:
		nav.Back = &views.Link{Label: strconv.Itoa(d.year), URL: p.url(base, mp, "", dp, "")}
		nav.Current = time.Month(d.month).String() + " " + strconv.Itoa(d.year)
		days(d.year, time.Month(d.month))
	case d.year > 0:
		nav.Back = &views.Link{Label: "All dates", URL: all}
		nav.Current = strconv.Itoa(d.year)
		months(d.year)
	default:
		lo, hi, ok, err := r.dateRange(ctx, f, where)
		if err != nil || !ok {
			return nil, err
		}
		lo, hi = lo.In(loc), hi.In(loc)
		switch {
		case lo.Year() != hi.Year():
			years(max(lo.Year(), hi.Year()-maxDrillYears+1), hi.Year())
		case lo.Month() != hi.Month():
			months(lo.Year())
		default:
			days(lo.Year(), lo.Month())
		}
	}
	has, err := r.probe(ctx, f, where, buckets)
	if err != nil {
		return nil, err
	}
	for i, b := range buckets {
		if has[i] {
			nav.Links = append(nav.Links, views.Link{Label: b.label, URL: p.url(base, b.kv...)})
		}
	}
	return nav, nil
}

// dateRange returns the first and last value of the field among the rows
// matching where; ok is false when there are none.
func (r *Resource[T]) dateRange(ctx context.Context, f *Field[T], where []Predicate) (lo, hi time.Time, ok bool, err error) {
	drv := r.Driver(ctx)
	sel, err := r.selector(ctx, drv.Dialect(), where)
	if err != nil {
		return lo, hi, false, err
	}
	sel.Select(sql.Min(sel.C(f.Column)), sql.Max(sel.C(f.Column)))
	query, args := sel.Query()
	var a, b any
	if err := queryRow(ctx, drv, query, args, &a, &b); err != nil {
		return lo, hi, false, fmt.Errorf("date range of %s.%s: %w", r.Table, f.Column, err)
	}
	if a == nil || b == nil {
		return lo, hi, false, nil
	}
	if lo, err = dbTime(a); err != nil {
		return lo, hi, false, err
	}
	hi, err = dbTime(b)
	return lo, hi, err == nil, err
}

// probe reports, for each bucket, whether a row matching where falls in
// it: one statement of EXISTS probes on ranges of the column.
func (r *Resource[T]) probe(ctx context.Context, f *Field[T], where []Predicate, buckets []bucket) ([]bool, error) {
	if len(buckets) == 0 {
		return nil, nil
	}
	drv := r.Driver(ctx)
	exprs := make([]sql.Querier, len(buckets))
	for i, b := range buckets {
		sel, err := r.selector(ctx, drv.Dialect(), where)
		if err != nil {
			return nil, err
		}
		col := sel.C(f.Column)
		sel.SelectExpr(sql.Expr("1")).Where(sql.And(sql.GTE(col, b.from), sql.LT(col, b.to))).Limit(1)
		exprs[i] = sql.Exists(sel)
	}
	query, args := sql.Dialect(drv.Dialect()).SelectExpr(exprs...).Query()
	has := make([]bool, len(buckets))
	dest := make([]any, len(buckets))
	for i := range has {
		dest[i] = &has[i]
	}
	if err := queryRow(ctx, drv, query, args, dest...); err != nil {
		return nil, fmt.Errorf("date drill-down of %s.%s: %w", r.Table, f.Column, err)
	}
	return has, nil
}

// dbTime converts a time read without its column's type, as SQLite
// returns the result of MIN on a time column: a time or its text.
func dbTime(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return v, nil
	case []byte:
		return dbTime(string(v))
	case string:
		for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02"} {
			if t, err := time.Parse(layout, v); err == nil {
				return t, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("read a time from %T %v", v, v)
}
