// Package store holds what generated admin resources are built from: the
// functions that read and write one ent type (Store), and the helpers the
// generated code calls to parse form values, join edges into a list's
// statement and order by paths. Applications rarely use it directly; the
// options they set live on entadmin.Resource.
package store

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/views"
)

// Predicate restricts a query; ent's generated predicates and the
// sql.Field* functions have this shape. It is entadmin.Predicate.
type Predicate = func(*sql.Selector)

// Ref is the value of a unique edge: the related entity's id and display name.
type Ref struct {
	ID    string
	Label string
}

// Query is what the list engine asks of a resource's store.
type Query struct {
	Where  []Predicate
	Order  []Predicate
	Limit  int
	Offset int
}

// RelatedRows is a group of rows that a delete affects.
type RelatedRows struct {
	Label  string // e.g. "Product images"
	Effect string // a views.Effect constant
	Target string // slug of the related resource, "" if not registered
	Items  []Ref  // the first rows
	Total  int    // how many there are
}

// The effects a delete has on related rows (RelatedRows.Effect).
const (
	EffectDeleted   = views.EffectDeleted
	EffectUnlinked  = views.EffectUnlinked
	EffectProtected = views.EffectProtected
)

// Store reads and writes the entities of one ent type for the admin.
// Generated code fills in every function from the ent client and the
// schema; entadmin.Resource embeds it. T is the ent entity, e.g.
// *ent.Product.
type Store[T any] struct {
	// List returns the entities for a page, with the edges its columns show
	// loaded.
	List func(context.Context, Query) ([]T, error)
	// Count counts the entities matching the predicates.
	Count func(context.Context, []Predicate) (int, error)
	// Distinct returns up to limit distinct values of a string column,
	// ascending, among the entities matching the predicates.
	Distinct func(ctx context.Context, where []Predicate, column string, limit int) ([]string, error)
	// Get returns the entity with the id from a URL, with its unique edges
	// loaded; an error satisfying IsNotFound when there is none.
	Get func(ctx context.Context, id string) (T, error)
	// Exists reports whether an entity matches the predicates (unique checks).
	Exists func(context.Context, []Predicate) (bool, error)
	// Create saves a new entity after set has filled its mutation.
	Create func(ctx context.Context, set func(ent.Mutation) error) (T, error)
	// Update saves the entity with the id after set has filled its mutation.
	Update func(ctx context.Context, id string, set func(ent.Mutation) error) (T, error)
	// UpdateLoaded saves old, an entity loaded with all its fields in the
	// same transaction, after set has filled its mutation. The mutation
	// takes its old values from old (ent's UpdateOne) instead of reading
	// the row again, so the hooks that read them cost no query. Nil: callers
	// use Update.
	UpdateLoaded func(ctx context.Context, old T, set func(ent.Mutation) error) (T, error)
	// Delete deletes the entity with the id.
	Delete func(ctx context.Context, id string) error
	// Related lists the rows of other types that deleting the entity affects,
	// at most limit per group.
	Related func(ctx context.Context, id string, limit int) ([]RelatedRows, error)
	// Atomic runs fn in one database transaction, committed when fn returns
	// nil and rolled back otherwise. Every function of the resource (and of
	// the other resources on the same ent client) called with the context fn
	// receives runs inside that transaction; called with a context that
	// already carries one, Atomic just runs fn in it.
	Atomic func(ctx context.Context, fn func(ctx context.Context) error) error
	// IDColumn is the SQL column of the id.
	IDColumn string
	// ParseID parses an id from a URL into the id's Go type.
	ParseID func(id string) (any, error)
	// IsNotFound reports whether an error means "no such entity".
	IsNotFound func(error) bool
	// IsConstraint reports whether an error is a violated database
	// constraint.
	IsConstraint func(error) bool
	// ErrorField returns the name of the field an ent error is about, if any.
	ErrorField func(error) string
	// GroupCount counts the entities matching where per distinct value of a
	// column of the resource's table, for facet counts; the value is the
	// column's text form (NULL as "").
	GroupCount func(ctx context.Context, where []Predicate, column string) (map[string]int, error)
	// Table is the resource's SQL table.
	Table string
	// Driver returns the ent driver of the resource's client (inside a
	// transaction, the transaction's), for statements ent does not model:
	// row estimates and the date drill-down's probes. Nil counts exactly
	// and leaves the date drill-down out.
	Driver func(ctx context.Context) dialect.Driver
	// Values returns every field's value by ent field name, sensitive and
	// byte fields left out (see Opaque): what the audit log records and the
	// version hash covers.
	Values func(T) map[string]any
	// Opaque lists the fields whose values are never recorded, only that
	// they changed.
	Opaque []string
	// Unaudited lists the fields the audit log leaves out (admin.NoAudit on
	// a field): a write that changes only them makes no entry.
	Unaudited []string
	// FieldEdges lists the edges whose foreign key is a field: the audit
	// log records the field instead.
	FieldEdges []string
	// Version returns the value of the field named by admin.VersionField;
	// nil when the version is a hash of Values.
	Version func(T) string
	// Affected loads, through the mutation's own client (so inside its
	// transaction), the rows an update or delete mutation is about to
	// change, restricted further by where.
	Affected func(ctx context.Context, m ent.Mutation, where ...Predicate) ([]T, error)
	// Exec runs a statement with the mutation's own client: inside its
	// transaction, if it has one.
	Exec func(ctx context.Context, m ent.Mutation, query string, args ...any) error
	// AfterCommit arranges for fn to run after the mutation's transaction
	// commits; it reports false when the mutation runs outside a
	// transaction.
	AfterCommit func(m ent.Mutation, fn func()) bool
	// Use installs ent hooks on the client's type (the generated client's
	// Use, e.g. client.Product.Use): entadmin.Register installs the admin's
	// write hook with it. Nil installs none.
	Use func(...ent.Hook)
}
