package entadmin

import (
	"context"
	"errors"
	"net/http"

	"github.com/a-h/templ"
)

// FormPart is a part of a resource's form that edits something besides the
// entity's fields and inlines, such as the permission picker that
// batteries puts on the forms of groups and users. It is rendered after the
// fieldsets, and what the user posts in it is saved with the form, in the
// same transaction: a part's error rolls back the entity's save too.
//
// A part decides for itself what the user may change in it; the form only
// tells it when the whole form is read-only.
type FormPart[T any] interface {
	// Decode reads the part's posted values for the entity (the zero T on
	// add). A FormError is shown at the top of the form with the user's
	// values kept (return them too); any other error fails the request.
	// A nil value with a nil error means nothing to save.
	Decode(r *http.Request, e T) (posted any, err error)
	// Save writes what Decode returned for the saved entity, in the
	// transaction ctx carries, after the entity and its inlines. A
	// FieldError or FormError refuses the save as the form's own do.
	Save(ctx context.Context, e T, posted any) error
	// View renders the part: the stored state when posted is nil, the
	// user's values otherwise (a save that failed). readOnly is set when
	// the form is read-only.
	View(r *http.Request, e T, posted any, readOnly bool) (templ.Component, error)
}

// decodeParts reads the posted values of the form's parts.
func (r *Resource[T]) decodeParts(req *http.Request, st *formState[T]) error {
	st.parts = make([]any, len(r.FormParts))
	if st.readOnly {
		return nil
	}
	for i, p := range r.FormParts {
		v, err := p.Decode(req, st.entity)
		var fm *FormError
		if errors.As(err, &fm) {
			st.formErrs = append(st.formErrs, fm.Message)
		} else if err != nil {
			return err
		}
		st.parts[i] = v
	}
	return nil
}

// saveParts writes the posted parts for the saved entity, in the
// transaction ctx carries.
func (r *Resource[T]) saveParts(ctx context.Context, st *formState[T], e T) error {
	for i, p := range r.FormParts {
		if st.parts == nil || st.parts[i] == nil {
			continue
		}
		if err := p.Save(ctx, e, st.parts[i]); err != nil {
			return err
		}
	}
	return nil
}

// partViews renders the form's parts.
func (r *Resource[T]) partViews(req *http.Request, st *formState[T]) ([]templ.Component, error) {
	var out []templ.Component
	for i, p := range r.FormParts {
		var posted any
		if st.parts != nil {
			posted = st.parts[i]
		}
		c, err := p.View(req, st.entity, posted, st.readOnly)
		if err != nil {
			return nil, err
		}
		if c != nil {
			out = append(out, c)
		}
	}
	return out, nil
}
