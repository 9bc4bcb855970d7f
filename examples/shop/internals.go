package main

import (
	own "github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/rbac"
)

// internals are the parts of entadmin's batteries that the tests reach
// into; the admin itself needs none of them.
type internals struct {
	own      *own.Client // entadmin's own models
	enforcer *rbac.Enforcer
}
