package store

// EdgeDiff is the change of a many-to-many edge that a form makes: the
// related ids to add and to remove, each of the related id's Go type. A
// many-to-many Field's Set receives it and applies it to the entity's own
// mutation (Add<Edge>IDs, Remove<Edge>IDs), so the edge is saved with the
// entity, in its transaction.
type EdgeDiff struct {
	Add    []any
	Remove []any
}

// Typed converts decoded ids to their Go type, e.g. Typed[int](ids).
func Typed[T any](vs []any) []T {
	out := make([]T, len(vs))
	for i, v := range vs {
		out[i] = v.(T)
	}
	return out
}
