package picker

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/sentence"
	"github.com/entadmin/entadmin/views"
)

// view builds the picker's view model for the entity: its stored
// permissions, or the posted ones when po is not nil.
func (p *Picker[T]) view(req *http.Request, e T, po *posted, readOnly bool) (views.PermissionPicker, error) {
	c := newCatalog(p.site.Resources())
	sub, saved := p.subject(e)
	st := &state{}
	if saved {
		var err error
		if st, err = load(entadmin.WithUser(req.Context(), nil), p.client, sub, c, true); err != nil {
			return views.PermissionPicker{}, err
		}
	}
	pk := views.PermissionPicker{Title: "Permissions", ReadOnly: readOnly, Note: note(sub, saved, readOnly)}
	if !readOnly {
		pk.Marker = markerInput
	}
	for _, a := range Actions {
		pk.Actions = append(pk.Actions, sentence.Case(a))
	}
	for _, r := range c.resources {
		row := views.PickerRow{Label: sentence.Case(r.LabelPlural)}
		for _, a := range Actions {
			row.Cells = append(row.Cells, box(r, a, st, po))
		}
		for _, a := range r.Permissions {
			b := box(r, a, st, po)
			b.Text = a
			row.Extra = append(row.Extra, b)
		}
		for _, f := range r.Fields {
			pf := field(r, f, st, po)
			row.FieldsOpen = row.FieldsOpen || pf.Value != ""
			row.Fields = append(row.Fields, pf)
		}
		pk.Rows = append(pk.Rows, row)
	}
	pk.Other = p.others(req, st)
	return pk, nil
}

// note is the sentence above the grid.
func note(sub Subject, saved, readOnly bool) string {
	switch {
	case readOnly:
		return "You may view these permissions, not change them."
	case !saved:
		return "Tick the permissions to grant. Those of the groups it inherits from show once it is saved."
	case sub.Group:
		return "Tick the permissions to grant to the group's members. Those given by parent groups are checked and cannot be changed here."
	}
	return "Tick the permissions to grant to the user. Those given by the user's groups are checked and cannot be changed here."
}

// box returns the checkbox of the action on the resource.
func box(r entadmin.ResourceInfo, action string, st *state, po *posted) views.PickerBox {
	k := key{r.Slug, action}
	b := views.PickerBox{
		Name:  permInput,
		Value: r.Slug + ":" + action,
		ID:    "perm-" + r.Slug + "-" + action,
		Label: sentence.Case(action + " " + r.LabelPlural),
	}
	if po != nil {
		b.Checked = po.perms[k]
	} else {
		b.Checked = st.perms[k] != nil
	}
	if g, ok := st.inheritedPerms[k]; ok && !b.Checked {
		b.From = "from group “" + g + "”"
	}
	return b
}

// field returns the access select of a field of the resource.
func field(r entadmin.ResourceInfo, name string, st *state, po *posted) views.PickerField {
	k := key{r.Slug, name}
	f := views.PickerField{
		Name:  accessInput + r.Slug + ":" + name,
		ID:    "access-" + r.Slug + "-" + name,
		Label: sentence.Case(strings.ReplaceAll(name, "_", " ")),
	}
	if rules := st.fields[k]; len(rules) > 0 {
		f.Value = rules[0].V3
	}
	if v, ok := po.field(k); ok {
		f.Value = v
	}
	for _, l := range accessLevels {
		f.Options = append(f.Options, views.Choice{Value: l.value, Label: l.label, Selected: l.value == f.Value})
	}
	if in, ok := st.inheritedFields[k]; ok {
		f.From = accessLabel(in.access.String()) + " from group “" + in.group + "”"
	}
	return f
}

// field returns the posted access to a field, if its select was posted.
func (po *posted) field(k key) (string, bool) {
	if po == nil {
		return "", false
	}
	v, ok := po.fields[k]
	return v, ok
}

// others lists the rules and object grants the grid does not show, with
// links to their forms for users who may view them.
func (p *Picker[T]) others(req *http.Request, st *state) []views.PickerRule {
	ctx := req.Context()
	prefix := entadmin.Prefix(req)
	var out []views.PickerRule
	rulesURL := p.site.Allowed(ctx, entadmin.ActionView, policyRules)
	for _, r := range st.other {
		pr := views.PickerRule{Text: describe(r)}
		if rulesURL {
			pr.URL = fmt.Sprintf("%s/%s/%d/", prefix, policyRules, r.ID)
		}
		out = append(out, pr)
	}
	grantsURL := p.site.Allowed(ctx, entadmin.ActionView, "objectgrant")
	for _, g := range st.grants {
		pr := views.PickerRule{Text: fmt.Sprintf("Object grant: “%s” on %s %s", g.Action, g.Resource, g.ObjectID)}
		if grantsURL {
			pr.URL = fmt.Sprintf("%s/objectgrant/%d/", prefix, g.ID)
		}
		out = append(out, pr)
	}
	if len(st.grants) == maxObjectGrants {
		pr := views.PickerRule{Text: fmt.Sprintf("More object grants than the %d shown", maxObjectGrants)}
		if grantsURL {
			pr.URL = prefix + "/objectgrant/"
		}
		out = append(out, pr)
	}
	return out
}

// describe says what a rule the grid does not show does.
func describe(r *ent.PolicyRule) string {
	var s string
	switch r.Ptype {
	case "p2":
		s = fmt.Sprintf("Field rule: “%s” access to %s.%s (%s)", r.V3, r.V1, r.V2, or(r.V4, "no effect"))
	default:
		s = fmt.Sprintf("Rule: %s “%s” on %s", or(r.V3, "allow"), r.V2, r.V1)
	}
	if !r.Conditions.Empty() {
		s += ", with conditions"
	}
	return s
}

// or returns s, or def when s is empty.
func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
