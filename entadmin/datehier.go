package entadmin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"entgo.io/ent/dialect"
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

// candidateYears is how many years, up to next year, the top of a date
// drill-down probes before it knows the range of the data (with the months
// of this year); a range beyond them, or data of one month only, costs a
// second statement. Every probe costs planning time, even unrun.
const candidateYears = 6

// datePlan is the date drill-down of one list page, in two steps: plan asks
// for the scalars it needs (read with the list's count when the database
// allows), nav builds the drill-down from them.
type datePlan[T any] struct {
	f       *Field[T]
	where   []Predicate // the list's predicates but the drill-down's own
	nav     *views.DateNav
	sc      scalars
	buckets []bucket // the periods of a selected year or month
	has     []bool   // whether each bucket has rows
	top     bool     // nothing is selected
	lo, hi  any      // the range of the data, at the top
	cands   []bucket // the periods probed at the top before the range is known
	candHas []*bool  // nil when not probed
}

// scalars returns the scalars the count reads for the drill-down, nil
// without one.
func (d *datePlan[T]) scalars() *scalars {
	if d == nil {
		return nil
	}
	return &d.sc
}

// planDates plans the drill-down above the list: the periods of the next
// level that have rows matching the list's other predicates. It finds them
// with range predicates on the field's column, which its index serves: one
// EXISTS probe per period, and at the top the first and last value, with
// probes of the recent years and of this year's months that run only when
// they fall in that range, so that one statement usually answers. It never
// scans for distinct values. The plan is nil when the list has no
// drill-down.
func (r *Resource[T]) planDates(req *http.Request, p *listParams[T], base string) (*datePlan[T], error) {
	f := r.drillField(req)
	if f == nil {
		return nil, nil
	}
	ctx := req.Context()
	d := r.Driver(ctx).Dialect()
	loc := r.m.site.location
	yp, mp, dp := drillParams(f.Name)
	where := p.where
	if p.drill.pred != nil {
		where = slices.Delete(slices.Clone(where), p.drill.at, p.drill.at+1)
	}
	dr := &datePlan[T]{f: f, where: where, nav: &views.DateNav{Label: "By " + f.Label}}
	scope, err := r.RowScope(ctx)
	if err != nil {
		return nil, err
	}
	dv := p.drill
	now := time.Now().In(loc)
	// The shape of the scalars: every input of the statements below.
	if ws, ok := shapeOf(r.scopedSelector(d, scope, where).Query()); ok {
		if p.drill.pred == nil {
			dr.sc.list = ws // the list's own predicates
		}
		dr.sc.shape = fmt.Sprintf("dates\x00%s\x00%d-%d-%d\x00%t\x00%d\x00%s\x00%s",
			f.Column, dv.year, dv.month, dv.day, p.searchP != nil, now.Year(), loc, ws)
	}
	// The probes are built when the statement is, which a memo of its
	// shape skips.
	exists := func(b2 *sql.Builder, b bucket) {
		sel := r.scopedSelector(d, scope, where)
		col := sel.C(f.Column)
		sel.SelectExpr(sql.Expr("1")).Where(sql.And(sql.GTE(col, b.from), sql.LT(col, b.to))).Limit(1)
		b2.Join(sql.Exists(sel))
	}
	switch {
	case dv.day > 0:
		dr.nav.Back = &views.Link{Label: time.Month(dv.month).String() + " " + strconv.Itoa(dv.year), URL: p.url(base, dp, "")}
		dr.nav.Current = fmt.Sprintf("%s %d, %d", time.Month(dv.month), dv.day, dv.year)
		return dr, nil
	case dv.month > 0:
		dr.nav.Back = &views.Link{Label: strconv.Itoa(dv.year), URL: p.url(base, mp, "", dp, "")}
		dr.nav.Current = time.Month(dv.month).String() + " " + strconv.Itoa(dv.year)
		dr.buckets = r.periods(periodsKey{f.Name, 'd', dv.year, dv.month, loc})
	case dv.year > 0:
		dr.nav.Back = &views.Link{Label: "All dates", URL: p.url(base, yp, "", mp, "", dp, "")}
		dr.nav.Current = strconv.Itoa(dv.year)
		dr.buckets = r.periods(periodsKey{f.Name, 'm', dv.year, 0, loc})
	default:
		// MIN and MAX in subqueries of their own, which an index answers
		// by one lookup each: SQLite reads every row for both in one.
		dr.sc.from = append(dr.sc.from, sql.ExprFunc(func(b *sql.Builder) {
			b.WriteString("(SELECT ")
			for i, agg := range []string{"MIN", "MAX"} {
				sel := r.scopedSelector(d, scope, where)
				if p.searchP != nil && d == dialect.Postgres {
					// Behind a fence, so that the bound is read from the
					// search's matches: PostgreSQL would otherwise walk the
					// column's index until a row matches, which for a term
					// it guesses common but that matches nothing is every
					// row of the table.
					sel.Select(sql.As(sel.C(f.Column), "v"))
					b.WriteString("(SELECT " + agg + "(entadmin_fence.v) FROM (").Join(sel).WriteString(" OFFSET 0) AS entadmin_fence)")
				} else {
					b.Wrap(func(b *sql.Builder) { b.Join(sel.Select(agg + "(" + sel.C(f.Column) + ")")) })
				}
				b.WriteString([]string{" AS lo, ", " AS hi) AS entadmin_dates"}[i])
			}
		}))
		dr.sc.add(sql.Raw("entadmin_dates.lo"), &dr.lo)
		dr.sc.add(sql.Raw("entadmin_dates.hi"), &dr.hi)
		dr.top = true
		if p.searchP != nil {
			// A search's predicates cost much planning in every probe:
			// the periods are probed once the range is known.
			return dr, nil
		}
		years := r.periods(periodsKey{f.Name, 'y', now.Year() - candidateYears + 2, now.Year() + 1, loc})
		months := r.periods(periodsKey{f.Name, 'm', now.Year(), 0, loc})
		dr.cands = slices.Concat(years, months)
		dr.candHas = make([]*bool, len(dr.cands))
		dest := make([]any, len(dr.cands))
		for i := range dr.candHas {
			dest[i] = &dr.candHas[i]
		}
		dr.sc.add(sql.ExprFunc(func(b2 *sql.Builder) {
			for i, b := range dr.cands {
				if i > 0 {
					b2.WriteString(", ")
				}
				// A probe runs only for a period within the data's range
				// (else false); a month's, only when the data is all of
				// this year (else NULL: not probed).
				within := i >= len(years)
				if within {
					b2.WriteString("CASE WHEN entadmin_dates.lo >= ").Arg(months[0].from).WriteString(" AND entadmin_dates.hi < ").Arg(months[len(months)-1].to).WriteString(" THEN ")
				}
				b2.WriteString("CASE WHEN entadmin_dates.lo < ").Arg(b.to).WriteString(" AND entadmin_dates.hi >= ").Arg(b.from)
				b2.WriteString(" THEN ")
				exists(b2, b)
				b2.WriteString(" ELSE false END")
				if within {
					b2.WriteString(" END")
				}
			}
		}), dest...)
		return dr, nil
	}
	dr.has = make([]bool, len(dr.buckets))
	dest := make([]any, len(dr.buckets))
	for i := range dr.has {
		dest[i] = &dr.has[i]
	}
	dr.sc.add(sql.ExprFunc(func(b2 *sql.Builder) {
		for i, b := range dr.buckets {
			if i > 0 {
				b2.WriteString(", ")
			}
			exists(b2, b)
		}
	}), dest...)
	return dr, nil
}

// periodsKey names a list of periods of a date drill-down: the field's,
// in loc, of unit 'y' (the years from a to b), 'm' (the months of year a)
// or 'd' (the days of month b of year a).
type periodsKey struct {
	field string
	unit  byte
	a, b  int
	loc   *time.Location
}

// periods returns the periods k names, made once and shared: callers must
// not change them.
func (r *Resource[T]) periods(k periodsKey) []bucket {
	if b, ok := r.m.periods.lookup(k); ok {
		return b
	}
	return r.m.periods.get(k, func() []bucket {
		switch k.unit {
		case 'y':
			return slices.Clip(yearBuckets(k.field, k.a, k.b, k.loc))
		case 'm':
			return slices.Clip(monthBuckets(k.field, k.a, k.loc))
		}
		return slices.Clip(dayBuckets(k.field, k.a, time.Month(k.b), k.loc))
	})
}

// yearBuckets returns the years from to to as periods.
func yearBuckets(field string, from, to int, loc *time.Location) []bucket {
	yp, mp, dp := drillParams(field)
	var out []bucket
	for y := from; y <= to; y++ {
		out = append(out, bucket{strconv.Itoa(y), time.Date(y, 1, 1, 0, 0, 0, 0, loc), time.Date(y+1, 1, 1, 0, 0, 0, 0, loc),
			[]string{yp, strconv.Itoa(y), mp, "", dp, ""}})
	}
	return out
}

// monthBuckets returns the months of year y as periods.
func monthBuckets(field string, y int, loc *time.Location) []bucket {
	yp, mp, dp := drillParams(field)
	var out []bucket
	for m := time.January; m <= time.December; m++ {
		from := time.Date(y, m, 1, 0, 0, 0, 0, loc)
		out = append(out, bucket{m.String() + " " + strconv.Itoa(y), from, from.AddDate(0, 1, 0),
			[]string{yp, strconv.Itoa(y), mp, strconv.Itoa(int(m)), dp, ""}})
	}
	return out
}

// dayBuckets returns the days of month m of year y as periods.
func dayBuckets(field string, y int, m time.Month, loc *time.Location) []bucket {
	yp, mp, dp := drillParams(field)
	var out []bucket
	for from := time.Date(y, m, 1, 0, 0, 0, 0, loc); from.Month() == m; from = from.AddDate(0, 0, 1) {
		out = append(out, bucket{m.String() + " " + strconv.Itoa(from.Day()), from, from.AddDate(0, 0, 1),
			[]string{yp, strconv.Itoa(y), mp, strconv.Itoa(int(m)), dp, strconv.Itoa(from.Day())}})
	}
	return out
}

// build returns the drill-down from the scalars read, reading them first
// if the count did not. At the top, periods the first probes did not cover
// are probed in a statement of their own. Both statements go through the
// site's cache, as the count does.
func (dr *datePlan[T]) build(ctx context.Context, r *Resource[T], p *listParams[T], base string) (*views.DateNav, error) {
	if dr == nil {
		return nil, nil
	}
	ctx = r.cachingRows(ctx)
	if err := dr.sc.run(ctx, r.Driver(ctx), &r.m.memo); err != nil {
		return nil, fmt.Errorf("date drill-down of %s.%s: %w", r.Table, dr.f.Column, err)
	}
	nav := dr.nav
	buckets, has := dr.buckets, dr.has
	if dr.top {
		if dr.lo == nil || dr.hi == nil {
			return nil, nil // no rows
		}
		lo, err := dbTime(dr.lo)
		if err != nil {
			return nil, err
		}
		hi, err := dbTime(dr.hi)
		if err != nil {
			return nil, err
		}
		loc := r.m.site.location
		lo, hi = lo.In(loc), hi.In(loc)
		switch {
		case lo.Year() != hi.Year():
			buckets = r.periods(periodsKey{dr.f.Name, 'y', max(lo.Year(), hi.Year()-maxDrillYears+1), hi.Year(), loc})
		case lo.Month() != hi.Month():
			buckets = r.periods(periodsKey{dr.f.Name, 'm', lo.Year(), 0, loc})
		default:
			buckets = r.periods(periodsKey{dr.f.Name, 'd', lo.Year(), int(lo.Month()), loc})
		}
		probed := map[[2]int64]*bool{}
		for i, c := range dr.cands {
			probed[[2]int64{c.from.Unix(), c.to.Unix()}] = dr.candHas[i]
		}
		has = make([]bool, len(buckets))
		for i, b := range buckets {
			v := probed[[2]int64{b.from.Unix(), b.to.Unix()}]
			if v == nil {
				has = nil
				break
			}
			has[i] = *v
		}
		if has == nil {
			if has, err = r.probe(ctx, dr.f, dr.where, buckets); err != nil {
				return nil, err
			}
		}
	}
	for i, b := range buckets {
		if has[i] {
			nav.Links = append(nav.Links, views.Link{Label: b.label, URL: p.url(base, b.kv...)})
		}
	}
	return nav, nil
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
