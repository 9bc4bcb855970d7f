package codegen

import "strings"

// FieldDefaults is the Go literal of the fieldaccess.Defaults of the type:
// the fields ent fills in itself before any hook runs, with a Default on
// create and an UpdateDefault on update, which package policy/fieldaccess
// does not check. An edge whose foreign key is such a field is named too.
func (r *resource) FieldDefaults() string {
	var create, update []string
	for _, f := range r.T.Fields {
		names := []string{f.Name}
		if e, err := f.Edge(); err == nil && f.IsEdgeField() {
			names = append(names, e.Name)
		}
		if f.Default {
			create = append(create, names...)
		}
		if f.UpdateDefault {
			update = append(update, names...)
		}
	}
	var parts []string
	if create != nil {
		parts = append(parts, "Create: "+goStrings(create))
	}
	if update != nil {
		parts = append(parts, "Update: "+goStrings(update))
	}
	return "fieldaccess.Defaults{" + strings.Join(parts, ", ") + "}"
}
