package store

import (
	stdsql "database/sql"
	"reflect"

	"entgo.io/ent/dialect/sql"
)

// GroupCounts receives the rows of a count grouped by one column, as
// generated GroupCount functions scan them.
type GroupCounts struct {
	column string
	rows   reflect.Value // a pointer to a slice of {value, count} structs
}

// GroupRows returns a receiver for the rows of a count grouped by column.
func GroupRows(column string) *GroupCounts {
	row := reflect.StructOf([]reflect.StructField{
		{Name: "Value", Type: reflect.TypeFor[stdsql.NullString](), Tag: reflect.StructTag(`sql:"` + column + `"`)},
		{Name: "Count", Type: reflect.TypeFor[int](), Tag: `sql:"count"`},
	})
	return &GroupCounts{column: column, rows: reflect.New(reflect.SliceOf(row))}
}

// Dest is what the query scans into.
func (g *GroupCounts) Dest() any { return g.rows.Interface() }

// Counts returns the count of each value, in its text form (NULL as "").
func (g *GroupCounts) Counts() map[string]int {
	rows := g.rows.Elem()
	out := make(map[string]int, rows.Len())
	for i := range rows.Len() {
		row := rows.Index(i)
		v := row.Field(0).Interface().(stdsql.NullString)
		out[v.String] += int(row.Field(1).Int())
	}
	return out
}

// CountAggregate counts the rows of each group, as the column "count".
func CountAggregate(s *sql.Selector) string { return sql.As(sql.Count("*"), "count") }
