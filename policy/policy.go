// Package policy holds entadmin's casbin model: model-level and object-level
// permissions (p), field access (p2) and the user and group hierarchy (g).
// Package rowscope, below it, carries the admin's row scope onto the ent
// client; it imports neither casbin nor this package, so that generated
// code can use it alone.
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
