package entadmin

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/hooks/auditdiff"
)

// VersionOf returns the version of an entity for optimistic locking, as
// the admin user in ctx sees it: the value of the field named by
// admin.VersionField, or else a hash of the values the user may see. An
// edit form carries the version it was loaded at; a save of a stale version
// is refused with a ConflictError. The hash leaves out hidden fields, so
// that it cannot confirm a guess of their values, and a change of them does
// not make the user's save stale: their save never writes them.
func (r *Resource[T]) VersionOf(ctx context.Context, e T) string {
	if r.Version != nil {
		return r.Version(e)
	}
	g := r.m.grant(ctx)
	values := r.Values(e)
	for k, v := range values {
		if g.u != nil && !r.changeVisible(g, k) {
			delete(values, k)
			continue
		}
		values[k] = auditdiff.Normalize(v)
	}
	b, err := json.Marshal(values)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:12])
}

type expectKey struct{ slug, id string }

// ExpectVersion returns a context under which a change of the entity with
// the id of resource slug is refused with a ConflictError unless the
// entity is still at version (see VersionOf): the row is locked and
// compared inside the write's transaction, so no concurrent save slips in
// between. The edit form uses it; a list-save locks its rows the same way
// and compares the values its cells showed.
func ExpectVersion(ctx context.Context, slug, id, version string) context.Context {
	return context.WithValue(ctx, expectKey{slug, id}, version)
}

// expectedVersion returns the version a change of one row must find.
func (r *Resource[T]) expectedVersion(ctx context.Context, m ent.Mutation) (string, bool) {
	if !m.Op().Is(ent.OpUpdateOne) {
		return "", false
	}
	id, err := idOf(m)
	if err != nil {
		return "", false
	}
	v, ok := ctx.Value(expectKey{r.Slug, id}).(string)
	return v, ok
}

// idOf returns the id of an update-one mutation as URLs write it. ent's
// mutations have a typed ID() (id, exists) method.
func idOf(m ent.Mutation) (string, error) {
	method := reflect.ValueOf(m).MethodByName("ID")
	if !method.IsValid() || method.Type().NumIn() != 0 || method.Type().NumOut() != 2 {
		return "", fmt.Errorf("entadmin: %T has no ID method", m)
	}
	out := method.Call(nil)
	if !out[1].Bool() {
		return "", fmt.Errorf("entadmin: %T has no id", m)
	}
	return fmt.Sprint(out[0].Interface()), nil
}

// ConflictError is returned by a change of an entity that changed since
// the version the change expected (see ExpectVersion).
type ConflictError struct {
	Resource string // slug
	ID       string
	Version  string // the entity's current version
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("entadmin: %s %s was changed by someone else since it was loaded", e.Resource, e.ID)
}

// lockRows locks the selected rows until the transaction ends (SELECT ...
// FOR UPDATE OF the selected table, so that the rows of edges joined to a
// list's statement are not locked); SQLite locks the whole database on
// write instead.
func lockRows(s *sql.Selector) {
	if s.Dialect() != dialect.SQLite {
		s.ForUpdate(sql.WithLockTables(s.TableName()))
	}
}
