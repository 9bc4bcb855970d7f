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

// counter counts a list's rows with what a dialect offers beyond
// COUNT(*).
type counter interface {
	// count counts the rows of sel, a SELECT on the resource's table with
	// its predicates, as mode (CountAuto or CountEstimated) says; ok is false
	// when the caller should count exactly itself.
	count(ctx context.Context, drv dialect.Driver, table string, sel *sql.Selector, filtered bool, mode CountMode) (t total, ok bool, err error)
}

// counterFor returns the counter of a dialect: PostgreSQL's planner
// statistics, or the portable fallback, which counts exactly.
func counterFor(d string) counter {
	if d == dialect.Postgres {
		return postgresCounter{}
	}
	return exactCounter{}
}

// exactCounter is the portable fallback: no estimates.
type exactCounter struct{}

func (exactCounter) count(context.Context, dialect.Driver, string, *sql.Selector, bool, CountMode) (total, bool, error) {
	return total{}, false, nil
}

// postgresCounter reads PostgreSQL's planner statistics: for the whole
// table, reltuples scaled to the table's current size, as the planner does;
// for a filtered list, the row estimate of EXPLAIN of the same query. In
// CountAuto mode, one statement estimates the table and, when it is small,
// counts the rows exactly.
type postgresCounter struct{}

// pgTableEstimate is the planner's estimate of a table's rows, -1 when the
// table was never analyzed; %s is the table name as a string literal.
const pgTableEstimate = `COALESCE((SELECT CASE WHEN c.reltuples < 0 OR c.relpages = 0 THEN -1
	ELSE (c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int))::bigint END
	FROM pg_class c WHERE c.oid = to_regclass(%s)), -1)`

func (postgresCounter) count(ctx context.Context, drv dialect.Driver, table string, sel *sql.Selector, filtered bool, mode CountMode) (total, bool, error) {
	est := fmt.Sprintf(pgTableEstimate, "'"+strings.ReplaceAll(table, "'", "''")+"'")
	var n int64
	if mode == CountAuto {
		query, args := sel.Query()
		var exact *int64
		q := fmt.Sprintf("SELECT e.n, CASE WHEN e.n < %d THEN (SELECT count(*) FROM (%s) AS s) END FROM (SELECT %s AS n) AS e", ExactCountBelow, query, est)
		if err := queryRow(ctx, drv, q, args, &n, &exact); err != nil {
			return total{}, false, fmt.Errorf("count rows of %s: %w", table, err)
		}
		if exact != nil {
			return total{n: int(*exact), known: true, exact: true}, true, nil
		}
	} else if err := queryRow(ctx, drv, "SELECT "+est, nil, &n); err != nil {
		return total{}, false, fmt.Errorf("estimate rows of %s: %w", table, err)
	}
	if !filtered {
		return total{n: int(n), known: true}, n >= 0, nil
	}
	query, ok := pgInline(sel.Query())
	if !ok {
		return total{}, false, nil // arguments of an unknown type: count exactly
	}
	var plan []byte
	if err := queryRow(ctx, drv, "EXPLAIN (FORMAT JSON) "+query, nil, &plan); err != nil {
		return total{}, false, fmt.Errorf("explain the list of %s: %w", table, err)
	}
	var out []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal(plan, &out); err != nil || len(out) == 0 {
		return total{}, false, fmt.Errorf("read the plan of the list of %s: %v", table, err)
	}
	rows := int(out[0].Plan.Rows)
	if mode == CountAuto && rows < ExactCountBelow {
		return total{}, false, nil // few rows: counting them is cheap
	}
	return total{n: rows, known: true}, true, nil
}

// queryRow runs a query of one row through an ent driver and scans it.
func queryRow(ctx context.Context, drv dialect.Driver, query string, args []any, dest ...any) error {
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
	sel := sql.Dialect(d).Select("*").From(sql.Table(r.Table))
	scope, err := r.RowScope(ctx)
	if err != nil {
		return nil, err
	}
	if scope != nil {
		scope(sel)
	}
	for _, p := range where {
		p(sel)
	}
	return sel, nil
}

// countRows counts the rows matching where as the resource's CountMode
// says.
func (r *Resource[T]) countRows(ctx context.Context, where []Predicate) (total, error) {
	mode := r.CountMode
	if mode == CountNone {
		return total{}, nil
	}
	if mode != CountExact && r.Driver != nil && r.Table != "" {
		drv := r.Driver(ctx)
		sel, err := r.selector(ctx, drv.Dialect(), where)
		if err != nil {
			return total{}, err
		}
		filtered := len(where) > 0 || sel.P() != nil
		t, ok, err := counterFor(drv.Dialect()).count(ctx, drv, r.Table, sel, filtered, mode)
		if err != nil || ok {
			return t, err
		}
	}
	n, err := r.Count(ctx, where)
	return total{n: n, known: true, exact: true}, err
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
