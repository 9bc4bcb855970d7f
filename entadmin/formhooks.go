package entadmin

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// FormHooks decide a form per request (Django's get_form, get_fieldsets and
// get_readonly_fields). Each gets the request, whose context carries the
// admin user (UserFrom), and the entity being edited: the zero T (a nil
// pointer) on the add form. Unset hooks keep the static configuration;
// unknown field names are skipped. The server enforces what they return: a
// field that is not on the form, or read-only, for the request is not
// accepted from a post.
//
//	res.Product.FormHooks.ReadOnlyFields = func(r *http.Request, p *ent.Product) []string {
//		if p != nil && p.Status == product.StatusPublished && !isSuperuser(r) {
//			return []string{"price"}
//		}
//		return nil
//	}
type FormHooks[T any] struct {
	// Fields returns the fields on the form; nil keeps the static ones.
	Fields func(r *http.Request, e T) []string
	// Fieldsets returns the form's layout; nil keeps the static one. Fields
	// of the form in no fieldset are shown in a last group, "Other".
	Fieldsets func(r *http.Request, e T) []Fieldset
	// ReadOnlyFields returns fields read-only for the request, on top of the
	// static ones.
	ReadOnlyFields func(r *http.Request, e T) []string
	// RequiredFields returns fields required for the request, on top of the
	// static ones: the form marks them, and a save that leaves one empty
	// (or a checkbox unchecked) fails with a field error.
	RequiredFields func(r *http.Request, e T) []string
}

// applyFormHooks runs the resource's form hooks for the request.
func (r *Resource[T]) applyFormHooks(req *http.Request, st *formState[T]) {
	h := r.FormHooks
	if h.Fields != nil {
		st.fields = []string{}
		for _, name := range h.Fields(req, st.entity) {
			if r.fieldByName(name) != nil {
				st.fields = append(st.fields, name)
			}
		}
	}
	if h.Fieldsets != nil {
		st.sets = h.Fieldsets(req, st.entity)
		if st.sets == nil {
			st.sets = []Fieldset{}
		}
	}
	if h.ReadOnlyFields != nil {
		st.readOnlyNow = r.readOnlyNow(req, st.entity)
	}
	if h.RequiredFields != nil {
		st.requiredNow = map[string]bool{}
		for _, name := range h.RequiredFields(req, st.entity) {
			st.requiredNow[name] = true
		}
	}
}

// readOnlyNow returns the fields the ReadOnlyFields hook makes read-only
// for the request and entity e, nil without the hook. The form and the
// list-save both keep to them.
func (r *Resource[T]) readOnlyNow(req *http.Request, e T) map[string]bool {
	if r.FormHooks.ReadOnlyFields == nil {
		return nil
	}
	out := map[string]bool{}
	for _, name := range r.FormHooks.ReadOnlyFields(req, e) {
		out[name] = true
	}
	return out
}

// missingRequired reports whether a field required for the request (see
// FormHooks.RequiredFields) was posted empty.
func (st *formState[T]) missingRequired(req *http.Request, name string) bool {
	return st.requiredNow[name] && strings.TrimSpace(strings.Join(req.PostForm[name], "")) == ""
}

// formFieldsFor returns the fields on the form for the request, in form
// order.
func (r *Resource[T]) formFieldsFor(st *formState[T]) []*Field[T] {
	var out []*Field[T]
	for _, fs := range r.formSets(st) {
		for _, name := range fs.Fields {
			if f := r.fieldByName(name); f != nil {
				out = append(out, f)
			}
		}
	}
	return out
}

// formSets returns the fieldsets of the form for the request: the static
// ones, or those of the hooks with the form's other fields in "Other".
func (r *Resource[T]) formSets(st *formState[T]) []Fieldset {
	if st.fields == nil && st.sets == nil {
		if r.Fieldsets != nil {
			return r.Fieldsets
		}
		names := make([]string, len(r.Fields))
		for i, f := range r.Fields {
			names[i] = f.Name
		}
		return []Fieldset{{Fields: names}}
	}
	fields := st.fields
	if fields == nil {
		for _, f := range r.formFields() {
			fields = append(fields, f.Name)
		}
		for _, fs := range st.sets {
			for _, name := range fs.Fields {
				if r.fieldByName(name) != nil && !slices.Contains(fields, name) {
					fields = append(fields, name)
				}
			}
		}
	}
	sets := st.sets
	if sets == nil {
		sets = r.Fieldsets
	}
	if sets == nil {
		return []Fieldset{{Fields: fields}}
	}
	var out []Fieldset
	placed := map[string]bool{}
	for _, fs := range sets {
		var names []string
		for _, name := range fs.Fields {
			if slices.Contains(fields, name) && !placed[name] {
				names = append(names, name)
				placed[name] = true
			}
		}
		fs.Fields = names
		out = append(out, fs)
	}
	var other []string
	for _, name := range fields {
		if !placed[name] {
			other = append(other, name)
		}
	}
	if len(other) > 0 {
		out = append(out, Fieldset{Title: "Other", Fields: other})
	}
	return out
}

// Response says where the user goes after an add, a change or a delete:
// see Resource.ResponseAdd. The zero Response keeps the default, which the
// button the user pressed decides.
type Response struct {
	to  responseTo
	url string
}

type responseTo uint8

const (
	responseDefault responseTo = iota
	responseList
	responseEdit
	responseAddAnother
	responseURL
)

// ToList sends the user to the resource's list.
func ToList() Response { return Response{to: responseList} }

// ToEdit sends the user back to the entity's form (after a delete: the
// list).
func ToEdit() Response { return Response{to: responseEdit} }

// ToAddAnother sends the user to an empty add form.
func ToAddAnother() Response { return Response{to: responseAddAnother} }

// ToURL sends the user to a URL, e.g. the entity's page on the site.
func ToURL(u string) Response { return Response{to: responseURL, url: u} }

// Responses decide where the user goes after a save or a delete (Django's
// response_add, response_change and response_delete). Each gets the request
// and the entity saved, or deleted; unset ones keep the default.
type Responses[T any] struct {
	Add    func(r *http.Request, e T) Response
	Change func(r *http.Request, e T) Response
	Delete func(r *http.Request, e T) Response
}

// respond returns where the user goes after a save (isAdd for an add or a
// save as new) or, with deleted, a delete; def is the default.
func (r *Resource[T]) respond(req *http.Request, e T, isAdd, deleted bool, def string) string {
	fn := r.Responses.Change
	switch {
	case deleted:
		fn = r.Responses.Delete
	case isAdd:
		fn = r.Responses.Add
	}
	if fn == nil {
		return def
	}
	base := Prefix(req) + "/" + r.Slug + "/"
	resp := fn(req, e)
	switch resp.to {
	case responseList:
		return base
	case responseEdit:
		if deleted {
			return base
		}
		return base + url.PathEscape(r.ID(e)) + "/"
	case responseAddAnother:
		return base + "add/"
	case responseURL:
		return resp.url
	}
	return def
}
