package entadmin

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect/sql"
)

// maxMemoStatements bounds the statements a stmtMemo keeps; when full, it
// starts over.
const maxMemoStatements = 512

// stmtMemo keeps statements the list builds on every request, such as the
// count with the date drill-down's probes, by their shape: a key that
// names every input written into the statement (the SQL of the list's
// predicates and row scope with their arguments, the periods probed).
// Building them with ent's builder costs more than running them when their
// result is cached.
type stmtMemo struct {
	mu    sync.RWMutex
	stmts map[string]builtStatement
}

// builtStatement is a statement's text and arguments.
type builtStatement struct {
	query string
	args  []any
}

// build returns the statement of shape key, calling fn to build it the
// first time. An empty key is never kept. The arguments returned are
// shared: callers must not change them.
func (m *stmtMemo) build(key string, fn func() (string, []any)) (string, []any) {
	if key == "" {
		return fn()
	}
	m.mu.RLock()
	s, ok := m.stmts[key]
	m.mu.RUnlock()
	if ok {
		return s.query, s.args
	}
	query, args := fn()
	m.mu.Lock()
	if m.stmts == nil || len(m.stmts) >= maxMemoStatements {
		m.stmts = map[string]builtStatement{}
	}
	m.stmts[key] = builtStatement{query, args}
	m.mu.Unlock()
	return query, args
}

// statement is the package's statement function, kept under key.
func (m *stmtMemo) statement(key, d string, fn func(b *sql.Builder)) (string, []any) {
	return m.build(key, func() (string, []any) { return statement(d, fn) })
}

// shapeOf returns a key part for a query and its arguments: the query,
// the arguments' types and their JSON. ok is false for arguments of other
// types than strings, integers, floats, booleans and times, whose JSON may
// not tell them apart.
func shapeOf(query string, args []any) (string, bool) {
	var b strings.Builder
	b.WriteString(query)
	for _, a := range args {
		switch a.(type) {
		case string, int, int64, float64, bool, time.Time:
		default:
			return "", false
		}
		j, err := json.Marshal(a)
		if err != nil {
			return "", false
		}
		fmt.Fprintf(&b, "\x00%T:%s", a, j)
	}
	return b.String(), true
}
