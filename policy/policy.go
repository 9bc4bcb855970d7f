// Package policy holds entadmin's casbin model: model-level and object-level
// permissions (p), field access (p2) and the user and group hierarchy (g).
//
// The packages below it are the choke point of the admin's permissions on
// the ent client: whatever path a write inside an admin request takes
// through the client (the admin's handlers, bulk actions, endpoints, save
// hooks, form parts, inlines), it obeys them. Package rowscope keeps queries
// and writes within the user's row scope; package fieldaccess refuses
// writes of fields the user may not change. The generated Register installs
// both on every type. They are ent interceptors and hooks rather than
// rules of ent's privacy layer, because permissions are known only per
// request and go on a client the application already has, without changing
// its schema. Neither imports casbin nor this package, so that generated
// code can use them alone.
package policy

import (
	_ "embed" // for model.conf

	"github.com/casbin/casbin/v2/model"
)

//go:embed model.conf
var modelText string

// Model returns a fresh copy of entadmin's casbin model, parsed from the
// embedded model.conf.
func Model() (model.Model, error) {
	return model.NewModelFromString(modelText)
}
