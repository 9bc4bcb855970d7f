package codegen

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/entsql"
	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// driverTemplate adds AdminDriver to the generated ent client: entadmin runs
// through it the statements ent does not model, such as the planner's row
// estimates and the date drill-down's probes.
var driverTemplate = gen.MustParse(gen.NewTemplate("entadmin-driver").Parse(`
{{ define "config/additional/entadmin" }}
// AdminDriver returns the client's driver (inside a transaction, the
// transaction's). entadmin runs statements that ent does not model through
// it, such as the query planner's row estimates.
func (c *config) AdminDriver() dialect.Driver { return c.driver }
{{ end }}
`))

// clientImportTemplate imports entgo.io/ent by name into the files generated
// from the whole graph, such as client.go, whose templates use ent's types
// without importing them. Left to goimports, the import is found by a search
// that may settle on another package named ent exporting the same names (a
// generated ent package aliases Hook, Mutation and the like), depending on
// what its caches hold; named here, the output is the same on every run.
// goimports drops the import where it is unused or already present.
var clientImportTemplate = gen.MustParse(gen.NewTemplate("entadmin-client-import").Parse(`
{{ define "import/additional/entadmin" }}
{{- if hasField $ "Nodes" }}
	"entgo.io/ent"
{{- end }}
{{ end }}
`))

// Templates implements entc.Extension: it adds AdminDriver to the client,
// names the client's import of entgo.io/ent, and adds AdminAll to the
// query builders.
func (e *Extension) Templates() []*gen.Template {
	return []*gen.Template{driverTemplate, clientImportTemplate, adminAllTemplate}
}

// CountConst is the entadmin.CountMode constant of the ListCount
// annotation, or "" for the default.
func (r *resource) CountConst() string {
	switch r.Ann.Count {
	case admin.CountExact:
		return "CountExact"
	case admin.CountEstimated:
		return "CountEstimated"
	case admin.CountNone:
		return "CountNone"
	}
	return ""
}

// linkListSpeed checks the DateHierarchy annotation.
func (r *resource) linkListSpeed(p *problems) {
	name := r.Ann.DateHierarchy
	if name == "" {
		return
	}
	f := r.field(name)
	switch {
	case f == nil:
		p.add("DateHierarchy", "unknown field %q", name)
	case f.Field == nil || f.Field.Type.Type != field.TypeTime:
		p.add("DateHierarchy", "%s %q is not a time field", f.what(), name)
	}
}

// indexWarnings returns the columns the list sorts, filters or drills down
// by without an index, and the search fields without a trigram index for
// PostgreSQL, each as a warning naming the place, the annotation and the
// index to add.
func (r *resource) indexWarnings() []string {
	if r.Skip {
		return nil
	}
	var out []string
	where := r.T.Name
	if pos := r.T.Pos(); pos != "" {
		where = pos + ": " + where
	}
	need := func(option, name string) {
		f := r.field(name)
		if f == nil {
			return
		}
		col, fieldName := f.column()
		if col == "" || r.indexed(col) {
			return
		}
		// An edge without an edge field is indexed by its name: ent knows
		// no field named after its foreign key.
		index := fmt.Sprintf("index.Fields(%q)", fieldName)
		if f.Field == nil && f.Edge.Field() == nil {
			index = fmt.Sprintf("index.Edges(%q)", f.Edge.Name)
		}
		out = append(out, fmt.Sprintf("%s: admin.%s: %s %q has no index, so the list scans the table; add %s to %s.Indexes()",
			where, option, f.what(), name, index, r.T.Name))
	}
	if len(r.Ordering) > 0 {
		need("Ordering", strings.TrimPrefix(r.Ordering[0], "-"))
	}
	for _, name := range r.Ann.ListFilter {
		need("ListFilter", name)
	}
	if r.Ann.DateHierarchy != "" {
		need("DateHierarchy", r.Ann.DateHierarchy)
	}
	out = append(out, r.edgeFilterWarnings(where)...)
	for _, name := range r.Ann.SearchFields {
		if strings.IndexByte("^=@", name[0]) >= 0 {
			continue // prefix, exact and full-text searches need other indexes
		}
		f := r.field(name)
		if f == nil || f.Field == nil || r.trigramIndexed(f.Field.StorageKey()) {
			continue
		}
		out = append(out, fmt.Sprintf("%s: admin.SearchFields: field %q has no trigram index, so a search scans the table on PostgreSQL; after CREATE EXTENSION pg_trgm, add index.Fields(%q).Annotations(entsql.IndexTypes(map[string]string{dialect.Postgres: \"GIN\"}), entsql.OpClass(\"gin_trgm_ops\")) to %s.Indexes()",
			where, name, name, r.T.Name))
	}
	return out
}

// edgeFilterWarnings returns, for an ordered list, the unique edges with
// an edge field (ent indexes list fields before edges) it filters by
// without an index of the foreign key followed by the ordering column: a page of one related entity's rows is then read in order from
// that index, instead of reading and sorting all of them (and the count
// and the date drill-down's probes of the filtered list read it too).
func (r *resource) edgeFilterWarnings(where string) []string {
	if len(r.Ordering) == 0 {
		return nil
	}
	order := r.field(strings.TrimPrefix(r.Ordering[0], "-"))
	if order == nil || order.Field == nil {
		return nil
	}
	oc, orderField := order.column()
	var out []string
	for _, name := range r.Ann.ListFilter {
		f := r.field(name)
		if f == nil || f.Edge == nil || !f.Edge.Unique || f.Edge.Field() == nil {
			continue
		}
		fk, fkField := f.column()
		if fk == "" || fk == oc || r.indexedPair(fk, oc) {
			continue
		}
		out = append(out, fmt.Sprintf("%s: admin.ListFilter: edge %q filters a list ordered by %q, so a filtered page reads and sorts every row of the chosen %s; add index.Fields(%q, %q) to %s.Indexes()",
			where, name, orderField, f.Edge.Type.Name, fkField, orderField, r.T.Name))
	}
	return out
}

// indexedPair reports whether an index of the type starts with the two
// columns.
func (r *resource) indexedPair(first, second string) bool {
	for _, idx := range r.T.Indexes {
		if len(idx.Columns) > 1 && idx.Columns[0] == first && idx.Columns[1] == second {
			return true
		}
	}
	return false
}

// column returns the SQL column of a field or unique edge, and the name of
// the field to index it by.
func (f *adminField) column() (column, field string) {
	if f.Field != nil {
		return f.Field.StorageKey(), f.Field.Name
	}
	if ef := f.Edge.Field(); ef != nil {
		return ef.StorageKey(), ef.Name
	}
	return f.Edge.Rel.Column(), f.Edge.Rel.Column()
}

// indexed reports whether an index of the type starts with the column.
func (r *resource) indexed(col string) bool {
	if col == r.T.ID.StorageKey() {
		return true
	}
	for _, f := range r.T.Fields {
		if f.StorageKey() == col && f.Unique {
			return true
		}
	}
	for _, idx := range r.T.Indexes {
		if len(idx.Columns) > 0 && idx.Columns[0] == col {
			return true
		}
	}
	return false
}

// trigramIndexed reports whether the column has a GIN index with a trigram
// operator class on PostgreSQL.
func (r *resource) trigramIndexed(col string) bool {
	for _, idx := range r.T.Indexes {
		if len(idx.Columns) != 1 || idx.Columns[0] != col {
			continue
		}
		ant := &entsql.IndexAnnotation{}
		if raw, ok := idx.Annotations[ant.Name()]; ok {
			b, err := json.Marshal(raw)
			if err != nil || json.Unmarshal(b, ant) != nil {
				continue
			}
			typ := ant.Type
			if t := ant.Types[dialect.Postgres]; t != "" {
				typ = t
			}
			if strings.EqualFold(typ, "GIN") && strings.Contains(ant.OpClass, "trgm") {
				return true
			}
		}
	}
	return false
}

// warnIndexes writes the index warnings of every resource to w.
func warnIndexes(w io.Writer, resources []*resource) {
	for _, r := range resources {
		for _, msg := range r.indexWarnings() {
			fmt.Fprintln(w, "entadmin: warning:", msg)
		}
	}
}
