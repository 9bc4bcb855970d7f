package entadmin

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/entadmin/entadmin/views"
)

// serveValidate answers POST /{slug}/validate/?field=&id= with the error of
// one field of the posted form (or, without field, of every field, as
// out-of-band swaps) as the fragment that the form shows beside the field.
// It uses the decoders, ent validators, unique and scope checks of the save
// and writes nothing, and accepts the fields the save accepts: a field that
// the form hooks leave off the form, or make read-only, for this request is
// refused with 400. id names the entity being edited; without it the
// form is an add form.
//
// The rows of an inline validate on the child's endpoint with
// prefix=edge-K- added: the inputs are named with it, and so are the ids of
// the answer.
func (r *Resource[T]) serveValidate(w http.ResponseWriter, req *http.Request) error {
	q := req.URL.Query()
	id := q.Get("id")
	action := ActionAdd
	if id != "" {
		action = ActionChange
	}
	if err := r.m.check(req, action); err != nil {
		return err
	}
	st := &formState[T]{id: id, access: r.access(req.Context(), action), raw: map[string]string{}, errs: map[string]string{}}
	if id != "" {
		e, err := r.Get(req.Context(), id)
		if err != nil {
			return r.orNotFound(err)
		}
		st.entity = e
	}
	r.applyFormHooks(req, st)
	if err := parseForm(w, req); err != nil {
		return err
	}
	// An inline row's inputs are named prefix+field (lines-0-quantity).
	prefix := q.Get("prefix")
	if prefix != "" {
		if !inlinePrefix.MatchString(prefix) {
			return refuse(http.StatusBadRequest, "The prefix is not one of an inline row.")
		}
		req.PostForm = unprefixed(req.PostForm, prefix)
	}
	// The fields the save would accept from this user on this form: those
	// the form hooks put on it, visible and not read-only.
	var fields []*Field[T]
	for _, f := range r.formFieldsFor(st) {
		if st.visible(f) && r.editable(f, st) {
			fields = append(fields, f)
		}
	}
	if name := q.Get("field"); name != "" {
		i := slices.IndexFunc(fields, func(f *Field[T]) bool { return f.Name == name })
		if i < 0 {
			return refuse(http.StatusBadRequest, "“"+name+"” is not an editable field of this form.")
		}
		fields = fields[i : i+1]
	}
	var out []views.Field
	for _, f := range fields {
		vf := views.Field{ID: "id_" + prefix + f.Name, Name: prefix + f.Name}
		if _, err := r.decodeField(req, f, st); err != nil {
			var ie inputError
			if !errors.As(err, &ie) {
				return err
			}
			vf.Error = ie.Error()
		}
		out = append(out, vf)
	}
	r.m.site.render(w, req, http.StatusOK, views.FieldErrors(out, len(out) != 1))
	return nil
}

// inlinePrefix is the prefix of the inputs of an inline row: edge-K-.
var inlinePrefix = regexp.MustCompile(`^[A-Za-z0-9_]+-[0-9]+-$`)

// unprefixed returns the posted values whose names start with prefix,
// without it.
func unprefixed(form url.Values, prefix string) url.Values {
	out := url.Values{}
	for k, vs := range form {
		if name, ok := strings.CutPrefix(k, prefix); ok {
			out[name] = vs
		}
	}
	return out
}
