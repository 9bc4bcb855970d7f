// Package auditdiff computes what the audit log records of a write that
// has run: per row, the fields and edges the ent mutation changed, with
// their old and new values. The write hook (package write) calls it, through
// the admin runtime, inside the write's transaction; the runtime adds who,
// when and from where, and the audit log stores the entries.
//
// It depends on ent alone: the runtime imports it without linking casbin
// or entadmin's own models.
package auditdiff

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"time"

	"entgo.io/ent"
)

// Change is the change of one field, or of one edge, in the audit log.
// Values are JSON-typed (numbers, strings, booleans); a missing value
// means unset.
type Change struct {
	Old any `json:"old,omitempty"`
	New any `json:"new,omitempty"`
	// Hidden marks a field whose values are never recorded (sensitive
	// fields): only that it changed.
	Hidden bool `json:"hidden,omitempty"`
	// Added, Removed and Cleared describe a change of an edge to many: the
	// ids added and removed, or all of them removed.
	Added   []ent.Value `json:"added,omitempty"`
	Removed []ent.Value `json:"removed,omitempty"`
	Cleared bool        `json:"cleared,omitempty"`
}

// Schema tells what the audit log records of one ent type. T is the ent
// entity, e.g. *ent.Product.
type Schema[T any] struct {
	// Values returns every recorded field's value by ent field name.
	Values func(T) map[string]any
	// Opaque lists the fields recorded without their values.
	Opaque []string
	// Unaudited lists the fields left out: a write that changes only them
	// makes no entry.
	Unaudited []string
	// FieldEdges lists the edges whose foreign key is a field, which is
	// recorded instead.
	FieldEdges []string
	// Key reports whether a field is the foreign key of a unique edge, whose
	// zero value means that the edge is not set.
	Key func(field string) bool
}

// Entry is the diff of one row.
type Entry[T any] struct {
	// Row is the entity the entry is about: the saved one for a create or a
	// change of one row, the row as it was for a bulk update or a delete.
	Row T
	// Changes holds per changed field or edge its old and new values: for
	// a create only the new ones, for a delete the last state.
	Changes map[string]Change
}

// Entries returns the diffs of a mutation that has run: one for a create
// or a change of one row, one per row for bulk updates and deletes. An
// update that changes no recorded value makes no entry. saved is the
// entity a create or an update of one row returned; rows are the rows as
// they were before an update or delete.
func (s *Schema[T]) Entries(m ent.Mutation, saved T, rows []T) []Entry[T] {
	op := m.Op()
	switch {
	case op.Is(ent.OpCreate):
		changes := map[string]Change{}
		values := s.Values(saved)
		for _, name := range m.Fields() {
			if slices.Contains(s.Unaudited, name) {
				continue
			}
			if slices.Contains(s.Opaque, name) {
				changes[name] = Change{Hidden: true}
			} else if v := Normalize(s.unsetKey(name, values[name])); v != nil {
				changes[name] = Change{New: v}
			}
		}
		s.edgeChanges(m, changes)
		return []Entry[T]{{Row: saved, Changes: changes}}
	case op.Is(ent.OpUpdateOne):
		if len(rows) == 0 {
			return nil
		}
		changes := s.diff(m, s.Values(rows[0]), func(name string) any { return s.Values(saved)[name] })
		if len(changes) == 0 {
			return nil
		}
		return []Entry[T]{{Row: saved, Changes: changes}}
	case op.Is(ent.OpUpdate):
		out := make([]Entry[T], 0, len(rows))
		for _, row := range rows {
			old := s.Values(row)
			changes := s.diff(m, old, func(name string) any {
				if v, ok := m.Field(name); ok {
					return v
				}
				if d, ok := m.AddedField(name); ok {
					return add(old[name], d)
				}
				return nil // cleared
			})
			if len(changes) == 0 {
				continue
			}
			out = append(out, Entry[T]{Row: row, Changes: changes})
		}
		return out
	default: // deletes: the last state
		out := make([]Entry[T], 0, len(rows))
		for _, row := range rows {
			changes := map[string]Change{}
			for name, v := range s.Values(row) {
				if v = Normalize(s.unsetKey(name, v)); v != nil {
					changes[name] = Change{Old: v}
				}
			}
			out = append(out, Entry[T]{Row: row, Changes: changes})
		}
		return out
	}
}

// diff compares the old values of the fields an update touches with their
// new ones; unchanged fields are left out.
func (s *Schema[T]) diff(m ent.Mutation, old map[string]any, newValue func(string) any) map[string]Change {
	changes := map[string]Change{}
	touched := slices.Concat(m.Fields(), m.ClearedFields(), m.AddedFields())
	for _, name := range touched {
		if _, done := changes[name]; done || slices.Contains(s.Unaudited, name) {
			continue
		}
		if slices.Contains(s.Opaque, name) {
			changes[name] = Change{Hidden: true}
			continue
		}
		o, n := Normalize(s.unsetKey(name, old[name])), Normalize(s.unsetKey(name, newValue(name)))
		if !sameJSON(o, n) {
			changes[name] = Change{Old: o, New: n}
		}
	}
	s.edgeChanges(m, changes)
	return changes
}

// edgeChanges records the ids added to and removed from edges; edges whose
// foreign key is a field are recorded as that field.
func (s *Schema[T]) edgeChanges(m ent.Mutation, changes map[string]Change) {
	for _, edge := range m.AddedEdges() {
		if ids := m.AddedIDs(edge); s.recordsEdge(edge, ids) {
			c := changes[edge]
			c.Added = slices.Clone(ids)
			changes[edge] = c
		}
	}
	for _, edge := range m.RemovedEdges() {
		if ids := m.RemovedIDs(edge); s.recordsEdge(edge, ids) {
			c := changes[edge]
			c.Removed = slices.Clone(ids)
			changes[edge] = c
		}
	}
	for _, edge := range m.ClearedEdges() {
		if !slices.Contains(s.FieldEdges, edge) {
			c := changes[edge]
			c.Cleared = true
			changes[edge] = c
		}
	}
}

// recordsEdge reports whether ids added to or removed from the edge make a
// change of their own: some ids, on an edge whose foreign key is no field.
// A form that saves an edge unchanged adds and removes no ids, which ent
// still reports as a touched edge.
func (s *Schema[T]) recordsEdge(edge string, ids []ent.Value) bool {
	return len(ids) > 0 && !slices.Contains(s.FieldEdges, edge)
}

// unsetKey returns nil for the zero value of a foreign key (ent's value of
// a cleared edge whose key is not nillable), and v otherwise.
func (s *Schema[T]) unsetKey(name string, v any) any {
	if v == nil || !reflect.ValueOf(v).IsZero() || !s.Key(name) {
		return v
	}
	return nil
}

// Normalize makes equal values compare equal: times in UTC, nil pointers,
// maps and slices as nil. The admin's version hash uses it too, so that a
// row's version and its audit diff agree on what changed.
func Normalize(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.UTC()
	case *time.Time:
		if x == nil {
			return nil
		}
		return x.UTC()
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
		if rv.IsNil() {
			return nil
		}
	}
	return v
}

// sameJSON reports whether two values have the same JSON encoding.
func sameJSON(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	ja, erra := json.Marshal(a)
	jb, errb := json.Marshal(b)
	return erra == nil && errb == nil && bytes.Equal(ja, jb)
}

// add returns old + delta for numbers (ent's Add on a bulk update), as a
// float64 or an int64.
func add(old, delta any) any {
	f, okf := number(old)
	d, okd := number(delta)
	if !okf || !okd {
		return nil
	}
	if f == float64(int64(f)) && d == float64(int64(d)) {
		return int64(f) + int64(d)
	}
	return f + d
}

// number returns v as a float64 when it is a number.
func number(v any) (float64, bool) {
	rv := reflect.ValueOf(v)
	switch {
	case !rv.IsValid():
		return 0, false
	case rv.CanInt():
		return float64(rv.Int()), true
	case rv.CanUint():
		return float64(rv.Uint()), true
	case rv.CanFloat():
		return rv.Float(), true
	}
	return 0, false
}
