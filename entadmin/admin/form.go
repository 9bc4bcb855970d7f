package admin

import (
	"maps"

	"entgo.io/ent/schema/field"
)

// RadioLayout is how the radio buttons of a field are laid out.
type RadioLayout string

// The layouts of radio buttons.
const (
	Horizontal RadioLayout = "horizontal"
	Vertical   RadioLayout = "vertical"
)

// AutocompleteFields edits unique edges with a search input that asks the
// server for matching entities of the related type, by that type's search
// fields (Django's autocomplete_fields). It is the default for an edge
// whose related type has more than 50 rows; the related type must have
// SearchFields.
func AutocompleteFields(names ...string) *Annotation {
	return &Annotation{AutocompleteFields: names, Errors: needNames("AutocompleteFields", names)}
}

// RawIDFields edits unique edges by the related entity's id, with a link to
// look it up and its name beside the input (Django's raw_id_fields).
func RawIDFields(names ...string) *Annotation {
	return &Annotation{RawIDFields: names, Errors: needNames("RawIDFields", names)}
}

// FilterHorizontal edits many-to-many edges with two lists side by side,
// the available entities and the chosen ones, each with a filter box
// (Django's filter_horizontal). Without JavaScript it is a multiple select.
// An inverse edge (edge.From) is on the form only when named here or in
// FilterVertical.
func FilterHorizontal(names ...string) *Annotation {
	return &Annotation{FilterHorizontal: names, Errors: needNames("FilterHorizontal", names)}
}

// FilterVertical is FilterHorizontal with the two lists one above the
// other.
func FilterVertical(names ...string) *Annotation {
	return &Annotation{FilterVertical: names, Errors: needNames("FilterVertical", names)}
}

// RadioFields shows enum fields and unique edges as radio buttons instead
// of a select (Django's radio_fields).
func RadioFields(layout RadioLayout, names ...string) *Annotation {
	a := &Annotation{Errors: needNames("RadioFields", names)}
	if layout != Horizontal && layout != Vertical {
		a.Errors = append(a.Errors, errorf("admin.RadioFields: unknown layout %q (want admin.Horizontal or admin.Vertical)", layout)...)
	}
	a.RadioFields = map[string]RadioLayout{}
	for _, n := range names {
		a.RadioFields[n] = layout
	}
	return a
}

// PrepopulatedFields fills the field target from the source fields as the
// user types into them, until the user edits target (Django's
// prepopulated_fields). A target named slug, or ending in _slug, is
// slugified: lower case ASCII words joined by hyphens.
func PrepopulatedFields(target string, sources ...string) *Annotation {
	errs := needNames("PrepopulatedFields", sources)
	if target == "" {
		errs = append(errs, errorf("admin.PrepopulatedFields: empty target")...)
	}
	return &Annotation{PrepopulatedFields: map[string][]string{target: sources}, Errors: errs}
}

// FormfieldOverride sets the widget of every field of an ent field type,
// e.g. admin.FormfieldOverride(field.TypeString, admin.WidgetTextarea),
// except those with a widget of their own (Django's formfield_overrides).
// Code generation fails when the widget does not fit the type.
func FormfieldOverride(t field.Type, w WidgetKind) *Annotation {
	a := Widget(w)
	a.Widget = ""
	for i, e := range a.Errors {
		a.Errors[i] = "admin.FormfieldOverride" + e[len("admin.Widget"):]
	}
	a.FormfieldOverrides = map[string]WidgetKind{t.ConstName(): w}
	return a
}

// SaveOnTop repeats the save buttons above the form (Django's save_on_top).
func SaveOnTop() *Annotation { return &Annotation{SaveOnTop: true} }

// mergeMap returns dst with the entries of src added.
func mergeMap[V any](dst, src map[string]V) map[string]V {
	if src == nil {
		return dst
	}
	out := maps.Clone(dst)
	if out == nil {
		out = map[string]V{}
	}
	maps.Copy(out, src)
	return out
}
