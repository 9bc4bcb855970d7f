// Package store holds what generated admin resources are built from: the
// functions that read and write one ent type (Store), and the helpers the
// generated code calls to parse form values, join edges into a list's
// statement and order by paths. Applications rarely use it directly; the
// options they set live on entadmin.Resource.
package store

import "entgo.io/ent/dialect/sql"

// Predicate restricts a query; ent's generated predicates and the
// sql.Field* functions have this shape. It is entadmin.Predicate.
type Predicate = func(*sql.Selector)
