// Package ent is the ent client of entadmin's own models (users, groups,
// sessions, policy rules, audit log), generated from ./schema by ../entc.go.
package ent

//go:generate go run -mod=mod ../entc.go
