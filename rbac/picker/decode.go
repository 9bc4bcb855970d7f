package picker

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/entadmin/entadmin/entadmin"
)

// posted is the picker as posted: the checked permissions, and the access
// chosen for each field whose select was posted.
type posted struct {
	perms  map[key]bool
	fields map[key]string
}

// decode reads the picker's inputs from the post. Names of resources,
// actions or fields the catalog lacks, and more values than it offers, are
// a form error; the known values are kept for the form.
func decode(req *http.Request, c *catalog) (*posted, error) {
	po := &posted{perms: map[key]bool{}, fields: map[key]string{}}
	var bad []string
	values := req.PostForm[permInput]
	if len(values) > len(c.actions) {
		return po, &entadmin.FormError{Message: fmt.Sprintf("The permissions form holds %d permissions, more than the %d there are; nothing was saved.", len(values), len(c.actions))}
	}
	for _, v := range values {
		res, action, _ := strings.Cut(v, ":")
		if k := (key{res, action}); c.actions[k] {
			po.perms[k] = true
		} else {
			bad = append(bad, v)
		}
	}
	n := 0
	for name, vs := range req.PostForm {
		rest, ok := strings.CutPrefix(name, accessInput)
		if !ok {
			continue
		}
		if n++; n > len(c.fields) {
			return po, &entadmin.FormError{Message: "The permissions form holds more fields than there are; nothing was saved."}
		}
		res, field, _ := strings.Cut(rest, ":")
		k := key{res, field}
		if !c.fields[k] || len(vs) != 1 || !validAccess(vs[0]) {
			bad = append(bad, rest)
			continue
		}
		po.fields[k] = vs[0]
	}
	if len(bad) > 0 {
		return po, &entadmin.FormError{Message: "The permissions form names unknown permissions or field access (" + clip(strings.Join(bad, ", ")) + "); nothing was saved."}
	}
	return po, nil
}

// clip shortens s for a message.
func clip(s string) string {
	const most = 200
	if len(s) <= most {
		return s
	}
	r := []rune(s[:most])
	return string(r[:len(r)-1]) + "…"
}
