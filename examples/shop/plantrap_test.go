package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/rbac"
)

// TestASearchsDateBoundsAreReadFromItsMatchesNotByWalkingTheDateIndex
// explains, on PostgreSQL with sequential scans off, the statement that
// reads the date drill-down's bounds for a search of the product list, as
// a superuser and as a staff user who may only view products, and checks
// that MIN and MAX of created_at are aggregated from the search's matches:
// no Limit walks an index of created_at with the search as a filter, which
// for a term that matches nothing reads every row of the table.
func TestASearchsDateBoundsAreReadFromItsMatchesNotByWalkingTheDateIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, srv := startSeeded(t, 300, nil)

	staff := newStaff(t, a, "dora")
	if err := a.enforcer.Grant(ctx, rbac.UserSubject(staff), "product", "view"); err != nil {
		t.Fatal(err)
	}
	root, _ := superuser(t, a, srv.URL+"/admin")
	users := []struct {
		name string
		b    *browserless
	}{
		{"the superuser", root},
		{"a staff user who may only view products", login(t, srv.URL+"/admin", "dora", "pw of dora")},
	}

	dateIndexes := indexesOn(t, a, "products", "created_at")
	if len(dateIndexes) == 0 {
		t.Fatal("no index of products is keyed on created_at: nothing to guard")
	}
	// On 300 rows only a term that matches some rows is planned as an
	// index walk without the fence; at scale, one that matches none too.
	terms := []struct {
		q       string
		matches bool
	}{{"zzqxj", false}, {"oak", true}}
	for _, term := range terms {
		n := a.db.client.Product.Query().Where(product.Or(product.NameContainsFold(term.q), product.BrandContainsFold(term.q))).CountX(ctx)
		if (n > 0) != term.matches {
			t.Fatalf("%d products match %q: the seed changed", n, term.q)
		}
	}

	for _, u := range users {
		for _, term := range terms {
			path := "/product/?q=" + term.q
			// The request reads the database, not what another cached.
			if err := a.cache.Invalidate(ctx, "products"); err != nil {
				t.Fatal(err)
			}
			a.db.counter.Reset()
			a.db.counter.Record(true)
			status, _ := u.b.do(http.MethodGet, path, nil)
			a.db.counter.Record(false)
			if status != http.StatusOK {
				t.Errorf("%s as %s: status %d", path, u.name, status)
				continue
			}
			// The statement that reads the bounds, whatever their shape.
			var stmt string
			var args []any
			for i, s := range a.db.counter.Statements() {
				if strings.Contains(s, "entadmin_dates") {
					stmt, args = s, a.db.counter.Arguments()[i]
				}
			}
			if stmt == "" {
				t.Errorf("%s as %s: no statement read the date bounds", path, u.name)
				continue
			}
			if !strings.Contains(stmt, "entadmin_fence") {
				lo := stmt[max(strings.Index(stmt, "MIN("), 0):]
				t.Errorf("%s as %s: the date bounds are not read behind entadmin_fence: …%.200s…", path, u.name, lo)
			}
			plan := explain(t, a, stmt, args)
			for _, w := range plan.walks(dateIndexes, false) {
				t.Errorf("%s as %s: the date bounds walk the date index with the search as a filter: %s", path, u.name, w)
			}
			// The plan drops the fence's Subquery Scan: the fence shows as
			// MIN and MAX aggregated from the matches, not read by a Limit.
			var missing []string
			for _, agg := range []string{"min", "max"} {
				if !plan.aggregatesMatches(agg, "created_at") {
					missing = append(missing, agg+"(created_at)")
				}
			}
			if len(missing) > 0 {
				t.Errorf("%s as %s: no Aggregate reads %s from the search's matches; the plan:\n%s",
					path, u.name, strings.Join(missing, " or "), plan)
			}
		}
	}
}

// planNode is a node of EXPLAIN (VERBOSE, FORMAT JSON).
type planNode struct {
	NodeType     string      `json:"Node Type"`
	Direction    string      `json:"Scan Direction"`
	IndexName    string      `json:"Index Name"`
	RelationName string      `json:"Relation Name"`
	Output       []string    `json:"Output"`
	IndexCond    string      `json:"Index Cond"`
	RecheckCond  string      `json:"Recheck Cond"`
	Filter       string      `json:"Filter"`
	Plans        []*planNode `json:"Plans"`
}

// explain returns the plan of stmt with args, with sequential scans off,
// so that even a small table is read by an index when one can serve.
func explain(t *testing.T, a *app, stmt string, args []any) *planNode {
	t.Helper()
	ctx := context.Background()
	tx, err := a.db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SET LOCAL enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	var out []byte
	if err := tx.QueryRow(ctx, "EXPLAIN (VERBOSE, FORMAT JSON) "+stmt, args...).Scan(&out); err != nil {
		t.Fatalf("explain %.300s…: %v", stmt, err)
	}
	var plans []struct{ Plan *planNode }
	if err := json.Unmarshal(out, &plans); err != nil || len(plans) != 1 || plans[0].Plan == nil {
		t.Fatalf("explain: %v: %.500s", err, out)
	}
	return plans[0].Plan
}

// indexesOn returns the names of the indexes of table with column among
// their keys.
func indexesOn(t *testing.T, a *app, table, column string) map[string]bool {
	t.Helper()
	rows, err := a.db.pool.Query(context.Background(), `SELECT i.relname FROM pg_index x
		JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_attribute c ON c.attrelid = x.indrelid AND c.attnum = ANY ((x.indkey::int2[])[0:x.indnkeyatts-1])
		WHERE x.indrelid = to_regclass($1) AND c.attname = $2`, table, column)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	names := map[string]bool{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names[name] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return names
}

// walks returns the index scans under a Limit, at or below n, that read one
// of indexes with a search (ILIKE) as their filter.
func (n *planNode) walks(indexes map[string]bool, limited bool) []string {
	var found []string
	if limited && (n.NodeType == "Index Scan" || n.NodeType == "Index Only Scan") &&
		indexes[n.IndexName] && strings.Contains(n.Filter, "~~*") {
		scan := n.NodeType
		if n.Direction == "Backward" {
			scan += " Backward"
		}
		found = append(found, fmt.Sprintf("Limit → %s using %s on %s, Filter: %s",
			scan, n.IndexName, n.RelationName, n.Filter))
	}
	limited = limited || n.NodeType == "Limit"
	for _, c := range n.Plans {
		found = append(found, c.walks(indexes, limited)...)
	}
	return found
}

// aggregatesMatches reports whether, at or below n, an Aggregate computes
// fn(…column) over a scan whose condition is a search (ILIKE).
func (n *planNode) aggregatesMatches(fn, column string) bool {
	if n.NodeType == "Aggregate" && len(n.Output) == 1 &&
		strings.HasPrefix(n.Output[0], fn+"(") && strings.Contains(n.Output[0], column) {
		for _, c := range n.Plans {
			if c.searches() {
				return true
			}
		}
	}
	for _, c := range n.Plans {
		if c.aggregatesMatches(fn, column) {
			return true
		}
	}
	return false
}

// searches reports whether a node at or below n reads by a search (ILIKE).
func (n *planNode) searches() bool {
	for _, cond := range []string{n.IndexCond, n.RecheckCond, n.Filter} {
		if strings.Contains(cond, "~~*") {
			return true
		}
	}
	for _, c := range n.Plans {
		if c.searches() {
			return true
		}
	}
	return false
}

// String draws the plan at and below n, one node a line.
func (n *planNode) String() string {
	var b strings.Builder
	var draw func(n *planNode, depth int)
	draw = func(n *planNode, depth int) {
		fmt.Fprintf(&b, "%s-> %s", strings.Repeat("  ", depth), n.NodeType)
		if n.Direction == "Backward" {
			b.WriteString(" Backward")
		}
		if n.IndexName != "" {
			fmt.Fprintf(&b, " using %s", n.IndexName)
		}
		if n.RelationName != "" {
			fmt.Fprintf(&b, " on %s", n.RelationName)
		}
		if n.NodeType == "Aggregate" && len(n.Output) > 0 {
			fmt.Fprintf(&b, " [%s]", strings.Join(n.Output, ", "))
		}
		if n.Filter != "" {
			fmt.Fprintf(&b, " Filter: %s", n.Filter)
		}
		b.WriteByte('\n')
		for _, c := range n.Plans {
			draw(c, depth+1)
		}
	}
	draw(n, 0)
	return b.String()
}
