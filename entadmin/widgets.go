package entadmin

import (
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"net/http"
	"net/url"
	"strings"

	"github.com/entadmin/entadmin/views"
)

// autocompleteAbove is the number of related entities above which a unique
// edge without a widget of its own is edited with a search input instead of
// a select (when the related type can be searched).
const autocompleteAbove = 50

// dualChoices is the number of available entities the dual select of a
// many-to-many edge lists; when there are more, its filter box searches on
// the server.
const dualChoices = 100

// target returns the registered resource an edge points at, or nil.
func (r *Resource[T]) target(f *Field[T]) resource {
	if f.Target == "" {
		return nil
	}
	return r.m.site.bySlug[f.Target]
}

// searchURL is the autocomplete endpoint of an edge, or "" when the user
// cannot search its related type.
func (r *Resource[T]) searchURL(req *http.Request, f *Field[T]) string {
	t := r.target(f)
	if t == nil || !t.searchableBy(req) {
		return ""
	}
	return Prefix(req) + "/" + r.Slug + "/autocomplete/?" + url.Values{"field": {f.Name}}.Encode()
}

// refLabel names the related entity with the id shown in an edge's input:
// the loaded one when it is still the value, else the related resource's
// name for it, within the user's scope.
func (r *Resource[T]) refLabel(req *http.Request, f *Field[T], v any, id string) (string, error) {
	if ref, ok := v.(store.Ref); ok && ref.ID == id {
		return ref.Label, nil
	}
	t := r.target(f)
	if id == "" || t == nil {
		return "", nil
	}
	return t.displayName(req, id)
}

// edgeWidget fills in the widget of a unique edge: the one its annotations
// chose, else a select, or a search input once the related type has more
// than autocompleteAbove rows.
func (r *Resource[T]) edgeWidget(req *http.Request, f *Field[T], st *formState[T], v any, vf *views.Field) error {
	ctx := req.Context()
	choices := func(limit int) error {
		cs, err := f.Choices(ctx, limit)
		if err != nil {
			return err
		}
		vf.Choices = vf.Choices[:0]
		for _, c := range cs {
			vf.Choices = append(vf.Choices, views.Choice{Label: c.Label, Value: c.Value, Selected: c.Value == vf.Value})
		}
		return nil
	}
	labelled := func(widget string) error {
		vf.Widget = widget
		label, err := r.refLabel(req, f, v, vf.Value)
		vf.Ref = label
		return err
	}
	switch f.Widget {
	case views.WidgetRawID:
		if t := r.target(f); t != nil && t.meta().can(req, ActionView) {
			vf.LookupURL = Prefix(req) + "/" + f.Target + "/"
		}
		return labelled(views.WidgetRawID)
	case views.WidgetAutocomplete:
		if vf.SearchURL = r.searchURL(req, f); vf.SearchURL != "" {
			return labelled(views.WidgetAutocomplete)
		}
	case views.WidgetRadio:
		vf.Widget, vf.Layout = views.WidgetRadio, f.Layout
		return choices(maxChoices)
	}
	vf.Widget = views.WidgetSelect
	if err := choices(autocompleteAbove + 1); err != nil {
		return err
	}
	if len(vf.Choices) <= autocompleteAbove {
		return nil
	}
	if vf.SearchURL = r.searchURL(req, f); vf.SearchURL != "" {
		vf.Choices = nil
		return labelled(views.WidgetAutocomplete)
	}
	return choices(maxChoices)
}

// edgesWidget fills in the dual select of a many-to-many edge: the chosen
// entities, then the first available ones.
func (r *Resource[T]) edgesWidget(req *http.Request, f *Field[T], st *formState[T], v any, vf *views.Field) error {
	ctx := req.Context()
	vf.Widget, vf.Layout, vf.Value = views.WidgetDual, or(f.Layout, "horizontal"), ""
	vf.Required = false
	loaded, _ := v.([]store.Ref)
	var chosen []store.Ref
	if posted, ok := st.rawMany[f.Name]; ok {
		names := map[string]string{}
		for _, ref := range loaded {
			names[ref.ID] = ref.Label
		}
		for _, id := range posted {
			if id = strings.TrimSpace(id); id == "" {
				continue
			}
			label, ok := names[id]
			if !ok {
				var err error
				if label, err = r.refLabel(req, f, nil, id); err != nil {
					return err
				}
				if label == "" {
					label = id
				}
			}
			chosen = append(chosen, store.Ref{ID: id, Label: label})
		}
	} else {
		chosen = loaded
	}
	cs, err := f.Choices(ctx, dualChoices+1)
	if err != nil {
		return err
	}
	if len(cs) > dualChoices {
		if vf.SearchURL = r.searchURL(req, f); vf.SearchURL != "" {
			cs, vf.MoreChoices = cs[:dualChoices], true
		} else if cs, err = f.Choices(ctx, maxChoices); err != nil {
			return err
		}
	}
	isChosen := map[string]bool{}
	for _, c := range chosen {
		isChosen[c.ID] = true
		vf.Choices = append(vf.Choices, views.Choice{Label: c.Label, Value: c.ID, Selected: true})
	}
	for _, c := range cs {
		if !isChosen[c.Value] {
			vf.Choices = append(vf.Choices, views.Choice{Label: c.Label, Value: c.Value})
		}
	}
	return nil
}

// decodeEdges decodes the ids chosen for a many-to-many edge into the
// change to make: every id must name an entity of the related type within
// the user's scope.
func (r *Resource[T]) decodeEdges(req *http.Request, f *Field[T], st *formState[T]) (any, error) {
	if st.rawMany == nil {
		st.rawMany = map[string][]string{}
	}
	posted := req.PostForm[f.Name]
	st.rawMany[f.Name] = posted
	chosen := map[string]bool{}
	var ids []any
	for _, s := range posted {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		v, err := f.Decode(s)
		if err != nil {
			return nil, inputError(fmt.Sprintf("Select valid choices; %q is not one of the available choices.", s))
		}
		key := fmt.Sprint(v)
		if !chosen[key] {
			chosen[key] = true
			ids = append(ids, v)
		}
	}
	if len(ids) == 0 && !f.Optional {
		return nil, errRequired
	}
	if len(ids) > 0 {
		ok, err := f.Exists(req.Context(), ids)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, inputError("Select valid choices; some of them are not among the available choices.")
		}
	}
	diff := store.EdgeDiff{}
	current := map[string]bool{}
	if st.selfID() != "" {
		refs, _ := f.Get(st.entity).([]store.Ref)
		for _, ref := range refs {
			current[ref.ID] = true
			if !chosen[ref.ID] {
				v, err := f.Decode(ref.ID)
				if err != nil {
					return nil, err
				}
				diff.Remove = append(diff.Remove, v)
			}
		}
	}
	for _, v := range ids {
		if !current[fmt.Sprint(v)] {
			diff.Add = append(diff.Add, v)
		}
	}
	return diff, nil
}

// formOptions adds what every editable input may carry: the live
// validation endpoint and the fields it is prepopulated from.
func (r *Resource[T]) formOptions(req *http.Request, f *Field[T], st *formState[T], vf *views.Field) {
	q := url.Values{"field": {f.Name}}
	if st.id != "" {
		q.Set("id", st.id)
	}
	vf.ValidateURL = Prefix(req) + "/" + r.Slug + "/validate/?" + q.Encode()
	for _, src := range f.Prepopulate {
		if s := r.fields[src]; s != nil && st.visible(s) {
			vf.Prepopulate = append(vf.Prepopulate, "id_"+src)
		}
	}
	vf.Slugify = len(vf.Prepopulate) > 0 && (f.Name == "slug" || strings.HasSuffix(f.Name, "_slug"))
}
