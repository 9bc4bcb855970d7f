package entadmin

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// CountMode is how a list counts its rows.
type CountMode uint8

// The ways of counting a list's rows.
const (
	// CountAuto estimates first and counts exactly when the estimate is
	// under ExactCountBelow rows: exact on small tables, fast on big ones.
	CountAuto CountMode = iota
	// CountExact runs COUNT(*) on every page.
	CountExact
	// CountEstimated shows the database's estimate; PostgreSQL's planner
	// statistics cost no scan. Databases without estimates count exactly.
	CountEstimated
	// CountNone shows no total; the list pages with Previous and Next.
	CountNone
)

// ExactCountBelow is the estimate under which CountAuto counts exactly.
const ExactCountBelow = 10000

// total is what a list knows of its number of rows.
type total struct {
	n     int
	known bool // false with CountNone
	exact bool // false for an estimate
}

// counts is what one count of a list found: its total, the unfiltered
// total when asked for, and whether the scalars asked for were read in the
// same statement.
type counts struct {
	total, full total
	scalars     bool
}

// counter counts a list's rows with what a dialect offers beyond
// COUNT(*).
type counter interface {
	// count counts the rows of sel, a SELECT on the resource's table with
	// its predicates, as mode (CountAuto or CountEstimated) says, and of
	// full, the same without the list's predicates, when it is not nil; it
	// reads the scalars in the same statement. ok is false when the caller
	// should count exactly itself. The statement is kept in memo under key
	// (none when empty), which names its inputs.
	count(ctx context.Context, drv dialect.Driver, table string, sel, full func() *sql.Selector, filtered bool, mode CountMode, sc *scalars, memo *stmtMemo, key string) (c counts, ok bool, err error)
}

// counterFor returns the counter of a dialect: PostgreSQL's planner
// statistics, or the portable fallback, which counts exactly.
func counterFor(d string) counter {
	if d == dialect.Postgres {
		return postgresCounter{}
	}
	return exactCounter{}
}

// exactCounter is the portable fallback: no estimates, exact counts with
// the scalars in one statement. It counts with COUNT(*), which SQLite
// answers from the table's b-tree pages where COUNT(id) reads every row.
type exactCounter struct{}

func (exactCounter) count(ctx context.Context, drv dialect.Driver, table string, sel, full func() *sql.Selector, _ bool, _ CountMode, sc *scalars, memo *stmtMemo, key string) (counts, bool, error) {
	var n, fullN int64
	query, args := memo.statement(key, drv.Dialect(), func(b *sql.Builder) {
		b.WriteString("SELECT (SELECT count(*) FROM ")
		subquery(b, sel(), "s")
		b.WriteString(")")
		if full != nil {
			b.WriteString(", (SELECT count(*) FROM ")
			subquery(b, full(), "s")
			b.WriteString(")")
		}
		sc.columns(b)
		sc.fromItems(b, " FROM ")
	})
	dest := []any{&n}
	if full != nil {
		dest = append(dest, &fullN)
	}
	if err := queryRow(ctx, drv, query, args, append(dest, sc.dests()...)...); err != nil {
		return counts{}, false, fmt.Errorf("count rows of %s: %w", table, err)
	}
	c := counts{total: total{n: int(n), known: true, exact: true}, scalars: true}
	if full != nil {
		c.full = total{n: int(fullN), known: true, exact: true}
	}
	return c, true, nil
}

// postgresCounter reads PostgreSQL's planner statistics: for the whole
// table, reltuples scaled to the table's current size, as the planner does;
// for a filtered list, the row estimate of EXPLAIN of the same query. In
// CountAuto mode, one statement estimates the table and counts exactly
// what is cheap to count: a small table whole, and a filtered list up to
// ExactCountBelow rows (beyond them, EXPLAIN estimates it).
type postgresCounter struct{}

// pgTableEstimate is the planner's estimate of a table's rows, -1 when the
// table was never analyzed; %s is the table name as a string literal.
const pgTableEstimate = `COALESCE((SELECT CASE WHEN c.reltuples < 0 OR c.relpages = 0 THEN -1
	ELSE (c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int))::bigint END
	FROM pg_class c WHERE c.oid = to_regclass(%s)), -1)`

func (postgresCounter) count(ctx context.Context, drv dialect.Driver, table string, sel, full func() *sql.Selector, filtered bool, mode CountMode, sc *scalars, memo *stmtMemo, key string) (counts, bool, error) {
	var (
		n                  int64
		exact, fullExact   *int64
		c                  counts
		auto               = mode == CountAuto
		countAll, countTop = auto && !filtered, auto && filtered
	)
	query, args := memo.statement(key, dialect.Postgres, func(b *sql.Builder) {
		b.WriteString("SELECT e.n")
		if countAll {
			// A small table is counted whole.
			b.WriteString(fmt.Sprintf(", CASE WHEN e.n < %d THEN (SELECT count(*) FROM ", ExactCountBelow))
			subquery(b, sel(), "s")
			b.WriteString(") END")
		}
		if countTop {
			// A filtered list is counted up to one row more than the
			// exact counts shown.
			b.WriteString(", (SELECT count(*) FROM ")
			subquery(b, sel().SelectExpr(sql.Expr("1")).Limit(ExactCountBelow+1), "s")
			b.WriteString(")")
		}
		if auto && full != nil {
			b.WriteString(fmt.Sprintf(", CASE WHEN e.n < %d THEN (SELECT count(*) FROM ", ExactCountBelow))
			subquery(b, full(), "s")
			b.WriteString(") END")
		}
		sc.columns(b)
		est := fmt.Sprintf(pgTableEstimate, "'"+strings.ReplaceAll(table, "'", "''")+"'")
		b.WriteString(" FROM (SELECT " + est + " AS n) AS e")
		sc.fromItems(b, ", ")
	})
	dest := []any{&n}
	if auto {
		dest = append(dest, &exact)
	}
	if auto && full != nil {
		dest = append(dest, &fullExact)
	}
	if err := queryRow(ctx, drv, query, args, append(dest, sc.dests()...)...); err != nil {
		return c, false, fmt.Errorf("count rows of %s: %w", table, err)
	}
	c.scalars = true
	if full != nil {
		c.full = total{n: int(n), known: n >= 0}
		if fullExact != nil {
			c.full = total{n: int(*fullExact), known: true, exact: true}
		}
	}
	switch {
	case exact != nil && (!countTop || *exact <= ExactCountBelow):
		c.total = total{n: int(*exact), known: true, exact: true}
		return c, true, nil
	case !filtered:
		c.total = total{n: int(n), known: true}
		return c, n >= 0, nil
	}
	query, ok := pgInline(sel().Query())
	if !ok {
		return c, false, nil // arguments of an unknown type: count exactly
	}
	var plan []byte
	if err := queryRow(ctx, drv, "EXPLAIN (FORMAT JSON) "+query, nil, &plan); err != nil {
		return c, false, fmt.Errorf("explain the list of %s: %w", table, err)
	}
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal(plan, &out); err != nil || len(out) == 0 {
		return c, false, fmt.Errorf("read the plan of the list of %s: %v", table, err)
	}
	rows := int(out[0].Plan.Rows)
	if countTop {
		// Counted beyond the exact counts: the estimate cannot be lower.
		rows = max(rows, ExactCountBelow+1)
	}
	c.total = total{n: rows, known: true}
	return c, true, nil
}

// subquery writes q in parentheses with an alias, as a FROM item.
func subquery(b *sql.Builder, q sql.Querier, alias string) {
	b.Wrap(func(b *sql.Builder) { b.Join(q) })
	b.WriteString(" AS " + alias)
}

// statement builds a statement of dialect d that fn writes, numbering the
// arguments of the queries it joins in.
func statement(d string, fn func(b *sql.Builder)) (string, []any) {
	b := sql.Dialect(d).Select() // a builder of the dialect
	e := sql.ExprFunc(fn)
	e.(interface{ SetDialect(string) }).SetDialect(b.Dialect())
	return e.Query()
}

// queryRow runs a query of one row through an ent driver and scans it,
// through the cache when ctx says so (see Resource.cachingRows).
func queryRow(ctx context.Context, drv dialect.Driver, query string, args []any, dest ...any) error {
	if rc, ok := ctx.Value(rowCacheKey{}).(*rowCache); ok {
		var texts []string // each value's JSON
		loaded := false
		err := rc.sc.fetch(ctx, drv, rc.table, query, args, &texts, func(ctx context.Context) error {
			if err := queryRow(context.WithValue(ctx, rowCacheKey{}, nil), drv, query, args, dest...); err != nil {
				return err
			}
			loaded = true
			var err error
			texts, err = rowTexts(dest)
			return err
		})
		if err != nil || loaded {
			return err
		}
		return scanTexts(texts, dest)
	}
	var rows sql.Rows
	if err := drv.Query(ctx, query, args, &rows); err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return fmt.Errorf("no rows")
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}

// selector returns a SELECT on the resource's table with the predicates
// and the user's row scope, as ent builds the list's own query, for the
// statements ent does not model. The row scope is applied here because the
// client's interceptor does not see these statements.
func (r *Resource[T]) selector(ctx context.Context, d string, where []Predicate) (*sql.Selector, error) {
	scope, err := r.RowScope(ctx)
	if err != nil {
		return nil, err
	}
	return r.scopedSelector(d, scope, where), nil
}

// scopedSelector is selector with the row scope given.
func (r *Resource[T]) scopedSelector(d string, scope Predicate, where []Predicate) *sql.Selector {
	sel := sql.Dialect(d).Select("*").From(sql.Table(r.Table))
	if scope != nil {
		scope(sel)
	}
	for _, p := range where {
		p(sel)
	}
	return sel
}

// countRows counts the rows matching where as the resource's CountMode
// says and, when full is set, the rows of the unfiltered list, reading the
// scalars in the same statement when it can (sc.read tells).
func (r *Resource[T]) countRows(ctx context.Context, where []Predicate, full bool, sc *scalars) (counts, error) {
	mode := r.CountMode
	if mode == CountNone {
		return counts{}, nil
	}
	ctx = r.cachingRows(ctx)
	if mode != CountExact && r.Driver != nil && r.Table != "" {
		drv := r.Driver(ctx)
		var err error
		selector := func(where []Predicate) func() *sql.Selector {
			return func() *sql.Selector {
				sel, e := r.selector(ctx, drv.Dialect(), where)
				if e != nil {
					err = e
					return sql.Select() // the error is returned below
				}
				return sel
			}
		}
		sel := selector(where)
		var fullSel func() *sql.Selector
		if full {
			fullSel = selector(nil)
		}
		// The count's key needs the shape of the list's selector, which
		// the date drill-down may have written already.
		var first *sql.Selector
		filtered := len(where) > 0
		if !filtered || sc.listShape() == "" {
			first = sel()
			filtered = filtered || first.P() != nil
		}
		if err != nil {
			return counts{}, err
		}
		key := r.countKey(drv.Dialect(), mode, filtered, first, fullSel, sc)
		if err != nil { // building the unfiltered list's selector failed
			return counts{}, err
		}
		c, ok, cerr := counterFor(drv.Dialect()).count(ctx, drv, r.Table, sel, fullSel, filtered, mode, sc, &r.m.memo, key)
		if c.scalars && sc != nil {
			sc.read = true
		}
		if err == nil {
			err = cerr
		}
		if err != nil || ok {
			return c, err
		}
		n, err := r.Count(ctx, where)
		c.total = total{n: n, known: true, exact: true}
		return c, err
	}
	var c counts
	n, err := r.Count(ctx, where)
	if err != nil {
		return c, err
	}
	c.total = total{n: n, known: true, exact: true}
	if full {
		if n, err = r.Count(ctx, nil); err != nil {
			return c, err
		}
		c.full = total{n: n, known: true, exact: true}
	}
	return c, nil
}

// exactCountCached counts the rows matching where within the user's row
// scope exactly, through the site's cache: the statement, which holds the
// row scope, and the versions of the tables it names key the value, so a
// write through the client is never followed by a stale count. ok is false
// when the site has no cache or the resource does not use it.
func (r *Resource[T]) exactCountCached(ctx context.Context, where []Predicate) (n int, ok bool, err error) {
	if !r.cacheable() {
		return 0, false, nil
	}
	ctx = r.cachingRows(ctx)
	drv := r.Driver(ctx)
	sel, err := r.selector(ctx, drv.Dialect(), where)
	if err != nil {
		return 0, false, err
	}
	c, _, err := exactCounter{}.count(ctx, drv, r.Table, func() *sql.Selector { return sel }, nil, true, CountExact, nil, nil, "")
	return c.total.n, err == nil, err
}

// countKey returns the shape of the statement that counts the rows of
// sel (and of full, when not nil) with the scalars sc, for the memo: every
// input the counters write into it. It is empty when an input cannot be
// told by its text. sel may be nil when sc holds the list's shape.
func (r *Resource[T]) countKey(d string, mode CountMode, filtered bool, sel *sql.Selector, full func() *sql.Selector, sc *scalars) string {
	if !sc.memoizable() {
		return ""
	}
	where, ok := sc.listShape(), true
	if where == "" {
		if where, ok = shapeOf(sel.Query()); !ok {
			return ""
		}
	}
	key := fmt.Sprintf("count\x00%s\x00%s\x00%d\x00%t\x00%s\x00%s", d, r.Table, mode, filtered, sc.shapeKey(), where)
	if full != nil {
		all, ok := shapeOf(full().Query())
		if !ok {
			return ""
		}
		key += "\x00full\x00" + all
	}
	return key
}

// pgPlaceholder is a PostgreSQL placeholder of the query builder.
var pgPlaceholder = regexp.MustCompile(`\$(\d+)`)

// pgInline writes the arguments of a query into it as typed literals, for
// EXPLAIN: PostgreSQL cannot always infer the types of parameters of an
// EXPLAIN, and the planner estimates better from the values. Strings are
// quoted by doubling their quotes (standard_conforming_strings, the
// default since PostgreSQL 9.1); ok is false for an argument of another
// type than strings, numbers, booleans and times, or a string with a NUL.
// The query's text comes from the builder, which writes every value as an
// argument, so placeholders never sit inside literals.
func pgInline(query string, args []any) (string, bool) {
	lits := make([]string, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case nil:
			lits[i] = "NULL"
		case string:
			if strings.ContainsRune(v, 0) {
				return "", false
			}
			lits[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
		case bool:
			lits[i] = strconv.FormatBool(v)
		case int:
			lits[i] = strconv.Itoa(v)
		case int64:
			lits[i] = strconv.FormatInt(v, 10)
		case float64:
			lits[i] = strconv.FormatFloat(v, 'g', -1, 64)
		case time.Time:
			lits[i] = "'" + v.Format(time.RFC3339Nano) + "'::timestamptz"
		default:
			return "", false
		}
	}
	ok := true
	out := pgPlaceholder.ReplaceAllStringFunc(query, func(m string) string {
		n, err := strconv.Atoi(m[1:])
		if err != nil || n < 1 || n > len(lits) {
			ok = false
			return m
		}
		return lits[n-1]
	})
	return out, ok
}

// scalars are values a list page reads besides its rows and counts, such
// as the date drill-down's range and probes: expressions over FROM items
// (queries with their aliases), read in the statement of the count when
// the database allows, else in a statement of their own. A nil *scalars
// has none.
type scalars struct {
	from  []sql.Querier
	exprs []sql.Querier
	dest  []any
	read  bool // dest holds the values
	// shape names every input of the expressions and FROM items (see
	// stmtMemo); empty when they cannot be memoized.
	shape string
	// list is the shape of the list's own selector (its predicates and
	// the row scope), when the scalars were planned on it: the count's
	// key, which needs it, is not built again. Empty when unknown.
	list string
}

// listShape returns the shape of the list's selector, if s knows it.
func (s *scalars) listShape() string {
	if s == nil {
		return ""
	}
	return s.list
}

// memoizable reports whether statements with s can be kept by their
// shape: s has a shape or writes nothing.
func (s *scalars) memoizable() bool {
	return s == nil || s.shape != "" || len(s.exprs) == 0 && len(s.from) == 0
}

// shapeKey returns the shape of s for a statement's key.
func (s *scalars) shapeKey() string {
	if s == nil {
		return ""
	}
	return s.shape
}

// add asks for the values of e, scanned into dest: one column, or several
// that e writes separated by commas.
func (s *scalars) add(e sql.Querier, dest ...any) {
	s.exprs = append(s.exprs, e)
	s.dest = append(s.dest, dest...)
}

// columns writes the expressions, each after a comma.
func (s *scalars) columns(b *sql.Builder) {
	if s == nil {
		return
	}
	for _, e := range s.exprs {
		b.WriteString(", ").Join(e)
	}
}

// fromItems writes the FROM items, each after sep.
func (s *scalars) fromItems(b *sql.Builder, sep string) {
	if s == nil {
		return
	}
	for i, f := range s.from {
		if i > 0 {
			sep = ", "
		}
		b.WriteString(sep).Join(f)
	}
}

// dests returns where the values are scanned to.
func (s *scalars) dests() []any {
	if s == nil {
		return nil
	}
	return s.dest
}

// run reads the values in a statement of their own, unless they are read
// already.
func (s *scalars) run(ctx context.Context, drv dialect.Driver, memo *stmtMemo) error {
	if s == nil || s.read || len(s.exprs) == 0 {
		return nil
	}
	key := ""
	if s.shape != "" {
		key = "scalars\x00" + drv.Dialect() + "\x00" + s.shape
	}
	query, args := memo.statement(key, drv.Dialect(), func(b *sql.Builder) {
		b.WriteString("SELECT ")
		for i, e := range s.exprs {
			if i > 0 {
				b.WriteString(", ")
			}
			b.Join(e)
		}
		s.fromItems(b, " FROM ")
	})
	if err := queryRow(ctx, drv, query, args, s.dest...); err != nil {
		return err
	}
	s.read = true
	return nil
}
