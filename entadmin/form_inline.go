package entadmin

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/entadmin/entadmin/views"
)

// decodeInlines reads the posted rows of every inline of the form.
func (r *Resource[T]) decodeInlines(req *http.Request, st *formState[T]) error {
	st.inlines = make([]*inlineState, len(r.Inlines))
	for i, in := range r.Inlines {
		s, err := in.decode(req, st.entity, st.id == "", st.saveAs, st.readOnly)
		if err != nil {
			return err
		}
		st.inlines[i] = s
	}
	return nil
}

// saveInlines writes the rows of every inline for the saved parent, in the
// transaction ctx carries.
func (r *Resource[T]) saveInlines(ctx context.Context, st *formState[T], parent T) error {
	for i, in := range r.Inlines {
		if st.inlines == nil || st.inlines[i] == nil {
			continue
		}
		if err := in.save(ctx, parent, st.inlines[i], st.saveAs); err != nil {
			return err
		}
	}
	return nil
}

// errNoSuchInline answers a request naming an inline the form lacks.
const errNoSuchInline = "There is no such inline on this form."

// addInlineRow answers "Add another" pressed without JavaScript: the
// button submits the form with _addrow set to the inline's index, and the
// form comes back (200, nothing saved) with every value typed and one more
// blank row in that inline.
func (r *Resource[T]) addInlineRow(w http.ResponseWriter, req *http.Request, st *formState[T]) error {
	n, err := strconv.Atoi(req.PostForm.Get("_addrow"))
	if err != nil || n < 0 || n >= len(r.Inlines) || st.inlines[n] == nil {
		return refuse(http.StatusBadRequest, errNoSuchInline)
	}
	st.errs, st.formErrs, st.ignored = map[string]string{}, nil, nil
	for _, s := range st.inlines {
		if s != nil {
			s.forget()
		}
	}
	r.Inlines[n].addRow(req, st.inlines[n], st.readOnly)
	return r.renderForm(w, req, st, http.StatusOK)
}

// inlinesInvalid reports whether an inline of the form has errors.
func (st *formState[T]) inlinesInvalid() bool {
	for _, s := range st.inlines {
		if s != nil && s.invalid() {
			return true
		}
	}
	return false
}

// invalid reports whether the form, or one of its inlines, has errors.
func (st *formState[T]) invalid() bool {
	return len(st.errs) > 0 || len(st.formErrs) > 0 || st.inlinesInvalid()
}

// selfID is the id unique checks leave out: none when saving as new.
func (st *formState[T]) selfID() string {
	if st.saveAs {
		return ""
	}
	return st.id
}

// inlineAddURL is the URL of the "Add another" endpoint of the inline n.
func (r *Resource[T]) inlineAddURL(req *http.Request, n int) string {
	return Prefix(req) + "/" + r.Slug + "/inline-row/?inline=" + strconv.Itoa(n)
}

// inlineViews returns the inlines the user may see, for the form.
func (r *Resource[T]) inlineViews(req *http.Request, st *formState[T]) ([]views.Inline, error) {
	var out []views.Inline
	for i, in := range r.Inlines {
		if !in.perms(req, st.readOnly).view {
			continue
		}
		var posted *inlineState
		if st.inlines != nil {
			posted = st.inlines[i]
		}
		v, err := in.view(req, st.entity, st.id == "", st.readOnly, posted, r.inlineAddURL(req, i))
		if err != nil {
			return nil, err
		}
		v.AddValue = strconv.Itoa(i)
		out = append(out, v)
	}
	return out, nil
}

// serveInlineRow answers the htmx "Add another" button of an inline with one
// blank row: GET /{slug}/inline-row/?inline=N&index=K&total=T, where K
// continues the numbering of the rows' inputs and T is the number of rows
// the form has, checked against the inline's maximum.
func (r *Resource[T]) serveInlineRow(w http.ResponseWriter, req *http.Request) error {
	site := r.m.site
	if !r.m.can(req, ActionAdd) && !r.m.can(req, ActionChange) {
		return r.m.check(req, ActionChange)
	}
	q := req.URL.Query()
	n, err := strconv.Atoi(q.Get("inline"))
	if err != nil || n < 0 || n >= len(r.Inlines) {
		return refuse(http.StatusBadRequest, errNoSuchInline)
	}
	k, err := strconv.Atoi(q.Get("index"))
	if err != nil || k < 0 || k >= maxInlineRows {
		return refuse(http.StatusBadRequest, "The row index is missing or out of range.")
	}
	in := r.Inlines[n]
	cfg := in.Config()
	if !in.perms(req, false).add {
		return refuse(http.StatusForbidden, "You may not add "+cfg.Title+" here.")
	}
	if total, err := strconv.Atoi(q.Get("total")); err == nil && cfg.Max > 0 && total >= cfg.Max {
		return refuse(http.StatusConflict, "This form takes at most "+strconv.Itoa(cfg.Max)+" rows of "+cfg.Title+".")
	}
	v, row, err := in.blankRow(req, k, r.inlineAddURL(req, n))
	if err != nil {
		return err
	}
	site.render(w, req, http.StatusOK, views.InlineRowView(v, row))
	return nil
}

// inlineRowsError reports an error of a save that is on the inline rows.
func inlineRowsError(err error) bool { return errors.Is(err, errInlineRows) }
