package store

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// Join loads a unique edge of a list's rows in the rows' own statement: a
// LEFT JOIN of the related table, within the related resource's row scope,
// that selects each related row as one JSON object, which Joined decodes
// into the related entity. Generated List functions use it, on PostgreSQL,
// instead of ent's eager loading (a statement per edge) for unique edges
// whose foreign key is in the list's table and whose related type has no
// privacy policy or interceptors in its schema; the related entity has
// every field but sensitive ones.
type Join struct {
	Table string // the related table
	ID    string // its id column
	FK    string // the column of the list's table that holds the id
	As    string // the name of the selected JSON column, and of the joined table
	// Keys are the JSON names of the related entity's fields (the struct
	// tags ent generates), Columns their columns.
	Keys, Columns []string
	// Scope is the related resource's RowScope, nil when the related type
	// is not in the admin.
	Scope func(context.Context) (Predicate, error)

	// Many selects the rows of a many-to-many edge instead, as one JSON
	// array per row, in the order of the Order columns, which JoinedAll
	// decodes: a subquery through the join table Through, whose column
	// ThroughOwner holds the list's id (the column OwnerID) and
	// ThroughTarget the related id. FK is unused.
	Many                                          bool
	OwnerID, Through, ThroughOwner, ThroughTarget string
	Order                                         []string

	sql *joinSQL // the join's text, set by PrepareJoins
}

// joinSQL is the PostgreSQL text of a Join outside any row scope, which
// JoinEdges writes as it is instead of building it for every query: for a
// unique edge, the LEFT JOIN's subquery (with its alias), the right side
// of its ON clause and the selected column; for a many-to-many one, the
// selected expression around the list's id column.
type joinSQL struct {
	table, on, column string
	head, tail        string
	loads             sync.Map // dialect -> *loadColumns, for LoadMany
}

// loadColumns are the qualified, quoted columns of LoadMany's statement
// in a dialect: the join table's owner and target columns, the related
// table's id, selected and order columns.
type loadColumns struct {
	owner, target, id string
	columns, order    []string
}

// loadColumnsOf returns the columns of LoadMany's statement for j in the
// dialect d, prepared once when j was.
func loadColumnsOf(d string, j Join) *loadColumns {
	if j.sql != nil {
		if v, ok := j.sql.loads.Load(d); ok {
			return v.(*loadColumns)
		}
	}
	t, through := sql.Dialect(d).Table(j.Table), sql.Dialect(d).Table(j.Through)
	sql.Dialect(d).Select().From(t).Join(through) // aliases through, as LoadMany's statement does
	lc := &loadColumns{
		owner:   through.C(j.ThroughOwner),
		target:  through.C(j.ThroughTarget),
		id:      t.C(j.ID),
		columns: t.Columns(j.Columns...),
		order:   t.Columns(j.Order...),
	}
	if j.sql != nil {
		j.sql.loads.Store(d, lc)
	}
	return lc
}

// ownerSentinel stands for the list's id column in a many-to-many Join's
// text while PrepareJoins builds it.
const ownerSentinel = `"entadmin owner column"`

// PrepareJoins returns the joins with the text of their statements
// prepared, so that JoinEdges need not build it again for every query
// where the related resource has no row scope; generated resources call
// it once.
func PrepareJoins(joins ...Join) []Join {
	for i := range joins {
		joins[i].sql = prepareJoin(joins[i])
	}
	return joins
}

// prepareJoin builds j's text with ent's builder, as JoinEdges does
// without a row scope, and keeps its parts.
func prepareJoin(j Join) *joinSQL {
	pg := sql.Dialect(dialect.Postgres)
	if !j.Many {
		sub := oneSubquery(j, nil)
		joined := pg.Select().From(sql.Table("list"))
		joined.LeftJoin(sub)
		return &joinSQL{
			table:  afterPrefix(joined, `SELECT * FROM "list" LEFT JOIN `),
			on:     sub.C(j.As + "_id"),
			column: afterPrefix(pg.Select().AppendSelectAs(sub.C(j.As), j.As), "SELECT "),
		}
	}
	text := afterPrefix(pg.Select().AppendSelectExprAs(manySubquery(j, ownerSentinel, nil), j.As), "SELECT ")
	at := strings.Index(text, ownerSentinel)
	if at < 0 || strings.Count(text, ownerSentinel) != 1 {
		panic("entadmin: the text of the join " + j.As + " has no single owner column")
	}
	return &joinSQL{head: text[:at], tail: text[at+len(ownerSentinel):]}
}

// afterPrefix returns the text of the statement s after prefix, which it
// must start with.
func afterPrefix(s *sql.Selector, prefix string) string {
	text, args := s.Query()
	if !strings.HasPrefix(text, prefix) || len(args) > 0 || s.Err() != nil {
		panic("entadmin: unexpected join text " + text)
	}
	return text[len(prefix):]
}

// JoinRowsMax is the most rows a query joins its edges for: a page. Beyond
// it, as in a CSV export's batches, ent's eager loading (one batched
// statement per edge) reads faster than a subquery per row.
const JoinRowsMax = 200

// JoinEdges returns a predicate that joins the edges into a list's query of
// at most limit rows, or nil when the dialect has no JSON objects here
// (only PostgreSQL is supported) or limit is 0 or beyond JoinRowsMax: then
// the caller eager-loads them, many-to-many ones with LoadMany. The text of
// joins that PrepareJoins prepared is written as it is where the related
// resource has no row scope.
func JoinEdges(ctx context.Context, d string, limit int, joins ...Join) (Predicate, error) {
	if d != dialect.Postgres || len(joins) == 0 || limit <= 0 || limit > JoinRowsMax {
		return nil, nil
	}
	subs := make([]*sql.Selector, len(joins))
	scopes := make([]Predicate, len(joins))
	for i, j := range joins {
		if j.Scope != nil {
			scope, err := j.Scope(ctx)
			if err != nil {
				return nil, err
			}
			scopes[i] = scope
		}
		if !j.Many && (scopes[i] != nil || j.sql == nil) {
			subs[i] = oneSubquery(j, scopes[i])
		}
		// Many-to-many ones are built for each query: they refer to the
		// list's table.
	}
	return func(s *sql.Selector) {
		for i, j := range joins {
			switch {
			case !j.Many && subs[i] == nil:
				s.LeftJoin(sql.Table(j.sql.table).Unquote()).On(s.C(j.FK), j.sql.on)
				s.AppendSelectExpr(sql.Expr(j.sql.column))
			case !j.Many:
				s.LeftJoin(subs[i]).On(s.C(j.FK), subs[i].C(j.As+"_id"))
				s.AppendSelectAs(subs[i].C(j.As), j.As)
			case scopes[i] == nil && j.sql != nil:
				s.AppendSelectExpr(sql.Expr(j.sql.head + s.C(j.OwnerID) + j.sql.tail))
			default:
				s.AppendSelectExprAs(manySubquery(j, s.C(j.OwnerID), scopes[i]), j.As)
			}
		}
	}, nil
}

// oneSubquery returns the subquery of a unique edge's LEFT JOIN, within
// the row scope when it is not nil.
func oneSubquery(j Join, scope Predicate) *sql.Selector {
	t := sql.Table(j.Table)
	sub := sql.Dialect(dialect.Postgres).Select().From(t)
	sub.Select(sql.As(t.C(j.ID), j.As+"_id")).AppendSelectExprAs(jsonObject(t, j), j.As)
	if scope != nil {
		scope(sub)
	}
	return sub.As(j.As)
}

// manySubquery returns the expression that selects the JSON array of a
// many-to-many edge for the row whose id is in the column owner, within
// the row scope when it is not nil.
func manySubquery(j Join, owner string, scope Predicate) sql.Querier {
	t, through := sql.Table(j.Table), sql.Table(j.Through)
	sub := sql.Dialect(dialect.Postgres).Select().From(t)
	sub.Join(through).On(t.C(j.ID), through.C(j.ThroughTarget))
	sub.Where(sql.ColumnsEQ(through.C(j.ThroughOwner), owner))
	if scope != nil {
		scope(sub)
	}
	obj := jsonObject(t, j)
	sub.SelectExpr(sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("json_agg(").Join(obj).WriteString(" ORDER BY ")
		for k, c := range j.Order {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.C(c))
		}
		b.WriteString(")")
	}))
	return sql.ExprFunc(func(b *sql.Builder) { b.Wrap(func(b *sql.Builder) { b.Join(sub) }) })
}

// jsonObject writes the JSON object of a row of the joined table t.
func jsonObject(t *sql.SelectTable, j Join) sql.Querier {
	return sql.ExprFunc(func(b *sql.Builder) {
		b.WriteString("json_build_object(")
		for k, key := range j.Keys {
			if k > 0 {
				b.WriteString(", ")
			}
			b.WriteString("'" + strings.ReplaceAll(key, "'", "''") + "', " + t.C(j.Columns[k]))
		}
		b.WriteString(")")
	})
}

// Joined decodes the entity a Join selected, from the column's JSON (nil
// for SQL NULL); nil when the row has none.
func Joined[E any](b []byte) (*E, error) {
	if b == nil {
		return nil, nil
	}
	r := jsonReader{b: b}
	if null, err := r.null(); null || err != nil {
		return nil, err
	}
	e := new(E)
	if err := r.object(reflect.ValueOf(e).Elem(), fieldsOf(reflect.TypeFor[E]())); err != nil {
		return nil, err
	}
	return e, r.end()
}

// null reads a JSON null that is the whole of r's input, and reports
// whether it found one.
func (r *jsonReader) null() (bool, error) {
	if r.space() != 'n' {
		return false, nil
	}
	_, _, err := r.value()
	if err == nil {
		err = r.end()
	}
	return true, err
}

// JoinedAll decodes the entities of a many-to-many Join, from the
// column's JSON array (nil for SQL NULL); nil when the row has none.
func JoinedAll[E any](b []byte) ([]*E, error) {
	if b == nil {
		return nil, nil
	}
	r := jsonReader{b: b}
	if null, err := r.null(); null || err != nil {
		return nil, err
	}
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	fs := fieldsOf(reflect.TypeFor[E]())
	// One array holds the entities: two allocations for the list rather
	// than one per entity.
	block, es := make([]E, n), make([]*E, n)
	r.consume('[')
	for i := range block {
		if i > 0 && !r.consume(',') {
			return nil, errJoinedJSON
		}
		if r.space() == 'n' {
			if _, _, err := r.value(); err != nil {
				return nil, err
			}
			continue // a null element, as encoding/json reads it
		}
		if err := r.object(reflect.ValueOf(&block[i]).Elem(), fs); err != nil {
			return nil, err
		}
		es[i] = &block[i]
	}
	if !r.consume(']') {
		return nil, errJoinedJSON
	}
	return es, r.end()
}

// LoadMany reads the related rows of the many-to-many Join j for the
// owners, the list's ids, in one statement through the join table, within
// j's Scope and in j's Order: generated List functions use it where
// JoinEdges does not join, instead of ent's eager loading, which reads
// and builds more per row. It selects the owner's id and j's Columns,
// scanned into the destinations dest appends to d for a new entity (which
// must take NULL, as pointers do), and returns the entities of each owner
// at its index in owners.
func LoadMany[O comparable, E any](ctx context.Context, drv dialect.Driver, j Join, owners []O, dest func(e *E, d []any) []any) ([][]*E, error) {
	if len(owners) == 0 {
		return nil, nil
	}
	lc := loadColumnsOf(drv.Dialect(), j)
	s := sql.Dialect(drv.Dialect()).Select().From(sql.Table(j.Table))
	s.Join(sql.Table(j.Through)).On(lc.id, lc.target)
	s.Select(lc.owner).AppendSelect(lc.columns...)
	ids := make([]any, len(owners))
	index := make(map[O]int, len(owners))
	for i, o := range owners {
		ids[i] = o
		if _, ok := index[o]; !ok {
			index[o] = i
		}
	}
	s.Where(sql.In(lc.owner, ids...))
	if j.Scope != nil {
		scope, err := j.Scope(ctx)
		if err != nil {
			return nil, err
		}
		if scope != nil {
			scope(s)
		}
	}
	s.OrderBy(lc.order...)
	query, args := s.Query()
	var rows sql.Rows
	if err := drv.Query(ctx, query, args, &rows); err != nil {
		return nil, err
	}
	defer rows.Close()
	// The entities come in blocks, and each owner's slice is a part of
	// one array: a few allocations for the page rather than a few a row.
	type found struct {
		at int
		e  *E
	}
	var (
		all   []found
		block []E
		owner O
	)
	counts := make([]int, len(owners))
	vals := make([]any, 1, 1+len(j.Columns))
	vals[0] = &owner
	for rows.Next() {
		if len(block) == 0 {
			block = make([]E, len(owners))
		}
		e := &block[0]
		block = block[1:]
		if err := rows.Scan(dest(e, vals[:1])...); err != nil {
			return nil, err
		}
		at, ok := index[owner]
		if !ok {
			return nil, fmt.Errorf("entadmin: %s of an owner not asked for", j.As)
		}
		counts[at]++
		all = append(all, found{at, e})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([][]*E, len(owners))
	es := make([]*E, len(all))
	for at, n := range counts {
		out[at], es = es[:0:n], es[n:]
	}
	for _, f := range all {
		out[f.at] = append(out[f.at], f.e)
	}
	return out, nil
}
