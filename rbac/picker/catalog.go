package picker

import (
	"slices"

	"github.com/entadmin/entadmin/entadmin"
)

// key names one permission (resource and action) or one field (resource
// and field).
type key struct{ res, name string }

// catalog is what the picker offers: the site's resources, their actions
// and their fields.
type catalog struct {
	resources []entadmin.ResourceInfo
	actions   map[key]bool
	fields    map[key]bool
}

// newCatalog returns the catalog of the resources.
func newCatalog(resources []entadmin.ResourceInfo) *catalog {
	c := &catalog{resources: resources, actions: map[key]bool{}, fields: map[key]bool{}}
	for _, r := range resources {
		for _, a := range slices.Concat(Actions, r.Permissions) {
			c.actions[key{r.Slug, a}] = true
		}
		for _, f := range r.Fields {
			c.fields[key{r.Slug, f}] = true
		}
	}
	return c
}

// accessLevels are the values of a field's select: no rule, then the
// access a rule gives.
var accessLevels = []struct{ value, label string }{
	{"", "Default"},
	{"hidden", "Hidden"},
	{"readonly", "Read-only"},
	{"write", "Editable"},
}

// validAccess reports whether v is the value of a field's select.
func validAccess(v string) bool {
	return slices.ContainsFunc(accessLevels, func(l struct{ value, label string }) bool { return l.value == v })
}

// accessLabel returns how the picker names an access level.
func accessLabel(v string) string {
	for _, l := range accessLevels {
		if l.value == v {
			return l.label
		}
	}
	return v
}
