package entadmin

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"time"

	"entgo.io/ent"
)

// entries builds the audit entries of a mutation that has run: one for a
// create or a change of one row, one per row for bulk updates and deletes.
// An update that changes no value the audit log records makes no entry.
// saved is the entity a create or an update of one row returned; rows are
// the rows as they were before an update or delete.
func (r *Resource[T]) entries(m ent.Mutation, saved T, rows []T) []*AuditEntry {
	op := m.Op()
	switch {
	case op.Is(ent.OpCreate):
		e := &AuditEntry{Action: AuditAdd, Resource: r.Slug, ObjectID: r.ID(saved), ObjectRepr: r.Display(saved), Changes: map[string]Change{}}
		values := r.Values(saved)
		for _, name := range m.Fields() {
			if slices.Contains(r.Unaudited, name) {
				continue
			}
			if r.opaque(name) {
				e.Changes[name] = Change{Hidden: true}
			} else if v := normalize(r.unsetKey(name, values[name])); v != nil {
				e.Changes[name] = Change{New: v}
			}
		}
		r.edgeChanges(m, e.Changes)
		return []*AuditEntry{e}
	case op.Is(ent.OpUpdateOne):
		if len(rows) == 0 {
			return nil
		}
		e := &AuditEntry{Action: AuditChange, Resource: r.Slug, ObjectID: r.ID(saved), ObjectRepr: r.Display(saved)}
		e.Changes = r.diff(m, r.Values(rows[0]), func(name string) any { return r.Values(saved)[name] })
		if len(e.Changes) == 0 {
			return nil
		}
		return []*AuditEntry{e}
	case op.Is(ent.OpUpdate):
		out := make([]*AuditEntry, 0, len(rows))
		for _, row := range rows {
			old := r.Values(row)
			e := &AuditEntry{Action: AuditChange, Resource: r.Slug, ObjectID: r.ID(row), ObjectRepr: r.Display(row)}
			e.Changes = r.diff(m, old, func(name string) any {
				if v, ok := m.Field(name); ok {
					return v
				}
				if d, ok := m.AddedField(name); ok {
					return add(old[name], d)
				}
				return nil // cleared
			})
			if len(e.Changes) == 0 {
				continue
			}
			out = append(out, e)
		}
		return out
	default: // deletes: the last state
		out := make([]*AuditEntry, 0, len(rows))
		for _, row := range rows {
			e := &AuditEntry{Action: AuditDelete, Resource: r.Slug, ObjectID: r.ID(row), ObjectRepr: r.Display(row), Changes: map[string]Change{}}
			for name, v := range r.Values(row) {
				if v = normalize(r.unsetKey(name, v)); v != nil {
					e.Changes[name] = Change{Old: v}
				}
			}
			out = append(out, e)
		}
		return out
	}
}

// diff compares the old values of the fields an update touches with their
// new ones; unchanged fields are left out.
func (r *Resource[T]) diff(m ent.Mutation, old map[string]any, newValue func(string) any) map[string]Change {
	changes := map[string]Change{}
	touched := slices.Concat(m.Fields(), m.ClearedFields(), m.AddedFields())
	for _, name := range touched {
		if _, done := changes[name]; done || slices.Contains(r.Unaudited, name) {
			continue
		}
		if r.opaque(name) {
			changes[name] = Change{Hidden: true}
			continue
		}
		o, n := normalize(r.unsetKey(name, old[name])), normalize(r.unsetKey(name, newValue(name)))
		if !sameJSON(o, n) {
			changes[name] = Change{Old: o, New: n}
		}
	}
	r.edgeChanges(m, changes)
	return changes
}

// edgeChanges records the ids added to and removed from edges; edges whose
// foreign key is a field are recorded as that field.
func (r *Resource[T]) edgeChanges(m ent.Mutation, changes map[string]Change) {
	for _, edge := range m.AddedEdges() {
		if ids := m.AddedIDs(edge); r.recordsEdge(edge, ids) {
			c := changes[edge]
			c.Added = slices.Clone(ids)
			changes[edge] = c
		}
	}
	for _, edge := range m.RemovedEdges() {
		if ids := m.RemovedIDs(edge); r.recordsEdge(edge, ids) {
			c := changes[edge]
			c.Removed = slices.Clone(ids)
			changes[edge] = c
		}
	}
	for _, edge := range m.ClearedEdges() {
		if !slices.Contains(r.FieldEdges, edge) {
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
func (r *Resource[T]) recordsEdge(edge string, ids []ent.Value) bool {
	return len(ids) > 0 && !slices.Contains(r.FieldEdges, edge)
}

// unsetKey returns nil for the zero value of a foreign key (ent's value of
// a cleared edge whose key is not nillable), and v otherwise.
func (r *Resource[T]) unsetKey(name string, v any) any {
	if v == nil || !reflect.ValueOf(v).IsZero() {
		return v
	}
	for _, f := range r.Fields {
		if f.Kind == KindEdge && f.Column == name {
			return nil
		}
	}
	return v
}

// opaque reports whether the audit log records the field without values.
func (r *Resource[T]) opaque(name string) bool {
	return slices.Contains(r.Opaque, name)
}

// normalize makes equal values compare equal: times in UTC, nil pointers,
// maps and slices as nil.
func normalize(v any) any {
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
