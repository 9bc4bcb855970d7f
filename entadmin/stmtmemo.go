package entadmin

import (
	"sync"
	"time"

	"entgo.io/ent/dialect/sql"
)

// maxMemoEntries bounds the values a memo keeps; when full, it starts
// over.
const maxMemoEntries = 512

// memo keeps values computed from a key, such as statements the list
// builds on every request by their shape (see stmtMemo). Its zero value is
// empty.
type memo[K comparable, V any] struct {
	mu   sync.RWMutex
	vals map[K]V
}

// lookup returns the value kept under key, if any. Callers on hot paths
// look up before get, so that they make fn's closure only on a miss.
func (m *memo[K, V]) lookup(key K) (V, bool) {
	m.mu.RLock()
	v, ok := m.vals[key]
	m.mu.RUnlock()
	return v, ok
}

// get returns the value of key, calling fn to compute it the first time.
// The zero key is never kept. Values are shared: callers must not change
// them.
func (m *memo[K, V]) get(key K, fn func() V) V {
	var zero K
	if key == zero {
		return fn()
	}
	if v, ok := m.lookup(key); ok {
		return v
	}
	v := fn()
	m.mu.Lock()
	if m.vals == nil || len(m.vals) >= maxMemoEntries {
		m.vals = map[K]V{}
	}
	m.vals[key] = v
	m.mu.Unlock()
	return v
}

// stmtMemo keeps statements the list builds on every request, such as the
// count with the date drill-down's probes, by their shape: a key that
// names every input written into the statement (the SQL of the list's
// predicates and row scope with their arguments, the periods probed).
// Building them with ent's builder costs more than running them when their
// result is cached.
type stmtMemo struct{ memo[string, builtStatement] }

// builtStatement is a statement's text and arguments.
type builtStatement struct {
	query string
	args  []any
}

// statement is the package's statement function, kept under key.
func (m *stmtMemo) statement(key, d string, fn func(b *sql.Builder)) (string, []any) {
	if m == nil {
		return statement(d, fn)
	}
	if s, ok := m.lookup(key); ok {
		return s.query, s.args
	}
	s := m.get(key, func() builtStatement {
		query, args := statement(d, fn)
		return builtStatement{query, args}
	})
	return s.query, s.args
}

// shapeOf returns a key part for a query and its arguments: the query,
// then each argument as cacheKey writes it, its type and value. ok is false
// for arguments of other types than strings, integers, floats, booleans
// and times.
func shapeOf(query string, args []any) (string, bool) {
	b := make([]byte, 0, len(query)+24*len(args))
	b = append(b, query...)
	for _, a := range args {
		switch a.(type) {
		case string, int, int64, float64, bool, time.Time:
		default:
			return "", false
		}
		b, _ = appendArg(append(b, 0), a)
	}
	return string(b), true
}
