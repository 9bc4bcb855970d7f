package store

import (
	"fmt"

	"entgo.io/ent/dialect/sql"
	"entgo.io/ent/dialect/sql/sqlgraph"
)

// ExtraColumns reads, for the AdminAll method entadmin generates on ent's
// query builders, the columns of a statement that the entity does not
// have, such as the edges Join selects. Left to ent, each would be kept in
// the node's selected values, after a look at the statement's column types
// for every row and column (database/sql builds them anew at each call);
// here they are scanned as bytes, kept in one buffer, and handed out by
// Each once the rows are read. The entity's own columns are scanned into
// the destinations ent makes for the first row, reused for the next rows
// when all are of database/sql's types (the Null types and []byte), whose
// values ent copies into the node; others are made anew for every row, as
// ent does. The zero value is ready for one statement.
type ExtraColumns struct {
	ready  bool
	reuse  []any    // the destinations of every row, when they may be reused
	at     []int    // the indexes of the extra columns among the statement's
	names  []string // their names
	own    []string // the names of the entity's columns
	values []any    // the entity's values of the row being read
	raw    []rawColumn
	buf    []byte
	spans  []span // each row's extra values in buf, row after row
}

// span is where a value is in ExtraColumns' buffer; start is -1 for NULL.
type span struct{ start, end int }

// rawColumn scans a column as its bytes; they are valid until the next row.
type rawColumn struct {
	b    []byte
	null bool
	own  []byte // a buffer for a value read as a string
}

// Scan implements sql.Scanner.
func (r *rawColumn) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		r.b, r.null = nil, true
	case []byte:
		r.b, r.null = v, false
	case string:
		r.own = append(r.own[:0], v...)
		r.b, r.null = r.own, false
	default:
		return fmt.Errorf("entadmin: an extra column read as %T", src)
	}
	return nil
}

// Hook sets spec to scan its statement's extra columns into x; the
// entity's own columns are scanned and assigned as before.
func (x *ExtraColumns) Hook(spec *sqlgraph.QuerySpec) {
	scan, assign := spec.ScanValues, spec.Assign
	spec.ScanValues = func(columns []string) ([]any, error) {
		if x.reuse != nil {
			return x.reuse, nil
		}
		values, err := scan(columns)
		if err != nil {
			return nil, err
		}
		if !x.ready {
			x.ready = true
			reusable := true
			for i, v := range values {
				switch v.(type) {
				case *sql.UnknownType:
					x.at = append(x.at, i)
					x.names = append(x.names, columns[i])
					continue
				case *sql.NullInt64, *sql.NullString, *sql.NullFloat64, *sql.NullBool, *sql.NullTime, *[]byte:
				default:
					reusable = false
				}
				x.own = append(x.own, columns[i])
			}
			x.raw = make([]rawColumn, len(x.at))
			if reusable {
				x.reuse = values
			}
		}
		for k, i := range x.at {
			values[i] = &x.raw[k]
		}
		return values, nil
	}
	spec.Assign = func(columns []string, values []any) error {
		if len(x.at) == 0 {
			return assign(columns, values)
		}
		if x.spans == nil && spec.Limit > 0 {
			// Room for a page of rows like the first.
			size := 0
			for k := range x.raw {
				size += len(x.raw[k].b)
			}
			x.spans = make([]span, 0, spec.Limit*len(x.at))
			x.buf = make([]byte, 0, spec.Limit*size*5/4)
		}
		for k := range x.raw {
			r := &x.raw[k]
			if r.null {
				x.spans = append(x.spans, span{-1, -1})
				continue
			}
			start := len(x.buf)
			x.buf = append(x.buf, r.b...)
			x.spans = append(x.spans, span{start, len(x.buf)})
		}
		x.values = x.values[:0]
		next := 0
		for i, v := range values {
			if next < len(x.at) && x.at[next] == i {
				next++
				continue
			}
			x.values = append(x.values, v)
		}
		return assign(x.own, x.values)
	}
}

// Each calls f with each extra value of each row read, in order: the
// row's index, the column's name and its bytes, nil for NULL.
func (x *ExtraColumns) Each(f func(row int, column string, value []byte) error) error {
	for j, s := range x.spans {
		row, k := j/len(x.names), j%len(x.names)
		var v []byte
		if s.start >= 0 {
			v = x.buf[s.start:s.end:s.end]
			if v == nil {
				v = []byte{}
			}
		}
		if err := f(row, x.names[k], v); err != nil {
			return err
		}
	}
	return nil
}
