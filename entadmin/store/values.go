package store

import (
	"fmt"
	"time"
)

// Deref returns the value p points at, or nil; generated Values use it for
// nillable fields.
func Deref[V any](p *V) any {
	if p == nil {
		return nil
	}
	return *p
}

// VersionString formats the value of a version field; generated code uses
// it.
func VersionString(v any) string {
	if t, ok := v.(time.Time); ok {
		return t.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprint(v)
}
