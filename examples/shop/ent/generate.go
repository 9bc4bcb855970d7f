// Package ent holds the shop example's ent client, generated from ./schema
// with entadmin's extension.
package ent

//go:generate go run -mod=mod entc.go
