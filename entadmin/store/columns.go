package store

import (
	"slices"
	"sync"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqlgraph"
)

// qualified holds the columns QualifyColumns prepared, by dialect and
// table.
var qualified sync.Map // qualifiedKey -> *qualifiedColumns

type qualifiedKey struct{ dialect, table string }

// qualifiedColumns are a table's columns and their qualified, quoted names.
type qualifiedColumns struct{ columns, names []string }

// QualifyColumns gives the statement of spec, a query of its table's own
// rows, its columns already qualified with the table's name and quoted
// for the dialect d, as ent's selector writes them, so that they are not
// built again for every query; the statement's text does not change. The
// names are prepared once for each table and set of columns; the AdminAll
// method entadmin generates calls it.
func QualifyColumns(d string, spec *sqlgraph.QuerySpec) {
	if spec.From != nil || spec.Node.Schema != "" || len(spec.Node.Columns) == 0 {
		return
	}
	key := qualifiedKey{d, spec.Node.Table}
	if v, ok := qualified.Load(key); ok {
		if q := v.(*qualifiedColumns); slices.Equal(q.columns, spec.Node.Columns) {
			spec.Node.Columns = q.names
		}
		return // other columns: ent qualifies them
	}
	t := sql.Dialect(d).Table(spec.Node.Table)
	q := &qualifiedColumns{columns: slices.Clone(spec.Node.Columns), names: t.Columns(spec.Node.Columns...)}
	qualified.LoadOrStore(key, q)
	spec.Node.Columns = q.names
}
