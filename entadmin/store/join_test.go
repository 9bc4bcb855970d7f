package store

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqlgraph"
	"entgo.io/ent/schema/field"
)

// testJoins are a unique and a many-to-many edge of products, whose
// related rows are scoped by scope when it is not nil.
func testJoins(scope Predicate) []Join {
	scoped := func(context.Context) (Predicate, error) { return scope, nil }
	return []Join{{
		Table: "categories", ID: "id", As: "entadmin_category", FK: "category_id",
		Keys: []string{"id", "it's"}, Columns: []string{"id", "name"}, Scope: scoped,
	}, {
		Table: "tags", ID: "id", As: "entadmin_tags", Keys: []string{"id", "name"}, Columns: []string{"id", "name"},
		Many: true, OwnerID: "id", Through: "product_tags", ThroughOwner: "product_id", ThroughTarget: "tag_id",
		Order: []string{"name", "id"}, Scope: scoped,
	}}
}

// listStatement is the statement of a page of products with the joins.
func listStatement(t *testing.T, joins []Join) (string, []any) {
	t.Helper()
	join, err := JoinEdges(context.Background(), dialect.Postgres, 25, joins...)
	if err != nil || join == nil {
		t.Fatalf("JoinEdges = %v, %v", join, err)
	}
	s := sql.Dialect(dialect.Postgres).Select().From(sql.Table("products"))
	s.Select(s.C("id"))
	s.Where(sql.GT(s.C("price"), 5))
	join(s)
	return s.Query()
}

func TestPreparedJoinsWriteTheSameStatement(t *testing.T) {
	built, _ := listStatement(t, testJoins(nil))
	prepared, args := listStatement(t, PrepareJoins(testJoins(nil)...))
	if prepared != built {
		t.Errorf("prepared joins:\n%s\nbuilt:\n%s", prepared, built)
	}
	if len(args) != 1 || args[0] != 5 {
		t.Errorf("args = %v, want [5]", args)
	}
	for _, want := range []string{`LEFT JOIN (SELECT "categories"."id" AS "entadmin_category_id"`, `'it''s', "categories"."name"`, `WHERE "t1"."product_id" = "products"."id"`} {
		if !strings.Contains(prepared, want) {
			t.Errorf("statement %s lacks %s", prepared, want)
		}
	}
}

func TestPreparedJoinsKeepTheRowScope(t *testing.T) {
	scope := func(s *sql.Selector) { s.Where(sql.EQ(s.C("name"), "mine")) }
	built, _ := listStatement(t, testJoins(scope))
	prepared, args := listStatement(t, PrepareJoins(testJoins(scope)...))
	if prepared != built {
		t.Errorf("prepared joins:\n%s\nbuilt:\n%s", prepared, built)
	}
	for _, want := range []string{`FROM "categories" WHERE "categories"."name" = $`, `"t1"."product_id" = "products"."id" AND "tags"."name" = $`} {
		if !strings.Contains(prepared, want) {
			t.Errorf("statement %s lacks %s", prepared, want)
		}
	}
	if len(args) != 3 {
		t.Errorf("args = %v, want the price and a scope's value per join", args)
	}
}

func TestQualifyColumnsKeepsTheStatement(t *testing.T) {
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		for _, columns := range [][]string{{"id", "name"}, {"id", "name"}, {"id"}} {
			spec := sqlgraph.NewQuerySpec("widgets", columns, sqlgraph.NewFieldSpec("id", field.TypeInt))
			QualifyColumns(d, spec)
			s := sql.Dialect(d).Select().From(sql.Dialect(d).Table("widgets"))
			want, _ := s.Select(s.Columns(columns...)...).Query()
			s = sql.Dialect(d).Select().From(sql.Dialect(d).Table("widgets"))
			got, _ := s.Select(s.Columns(spec.Node.Columns...)...).Query()
			if got != want {
				t.Errorf("%s: %s, want %s", d, got, want)
			}
		}
	}
}

// capture is a driver that keeps the statement of its one query.
type capture struct {
	dialect.Driver
	name  string
	query string
	args  []any
}

func (c *capture) Dialect() string { return c.name }

func (c *capture) Query(_ context.Context, query string, args, _ any) error {
	c.query, c.args = query, args.([]any)
	return errors.New("captured")
}

func TestLoadManyWritesTheStatementOfItsBuilder(t *testing.T) {
	scope := func(s *sql.Selector) { s.Where(sql.EQ(s.C("name"), "mine")) }
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		for _, scope := range []Predicate{nil, scope} {
			j := testJoins(scope)[1]
			// The statement as built column by column.
			tags, through := sql.Table(j.Table), sql.Table(j.Through)
			s := sql.Dialect(d).Select().From(tags)
			s.Join(through).On(tags.C(j.ID), through.C(j.ThroughTarget))
			s.Select(through.C(j.ThroughOwner))
			for _, c := range j.Columns {
				s.AppendSelect(tags.C(c))
			}
			s.Where(sql.In(through.C(j.ThroughOwner), 7, 9))
			if scope != nil {
				scope(s)
			}
			for _, c := range j.Order {
				s.OrderBy(tags.C(c))
			}
			want, wantArgs := s.Query()
			for _, j := range []Join{j, PrepareJoins(j)[0], j} {
				for range 2 {
					drv := &capture{name: d}
					_, err := LoadMany(context.Background(), drv, j, []int{7, 9}, func(e *entity, d []any) []any { return d })
					if err == nil || drv.query != want || !reflect.DeepEqual(drv.args, wantArgs) {
						t.Errorf("%s: %s %v (%v), want %s %v", d, drv.query, drv.args, err, want, wantArgs)
					}
				}
			}
		}
	}
}
