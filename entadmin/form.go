package entadmin

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/views"
)

// maxChoices caps the entities a select of a unique edge offers.
const maxChoices = 1000

// maxFormBytes caps the size of a form post.
const maxFormBytes = 10 << 20

// parseForm reads the form of req, at most maxFormBytes; a form it cannot
// read is a 400 error.
func parseForm(w http.ResponseWriter, req *http.Request) error {
	req.Body = http.MaxBytesReader(w, req.Body, maxFormBytes)
	if err := req.ParseForm(); err != nil {
		return refuse(http.StatusBadRequest, "The form could not be read: "+err.Error())
	}
	return nil
}

// formState is one add or edit form: the entity (zero on add), the values
// shown, and the errors found.
type formState[T any] struct {
	id       string // "" on add
	entity   T
	readOnly bool                // the user may only view
	access   map[string]Access   // per field; nil when model permissions decide
	ignored  []string            // posted fields the user may not change
	raw      map[string]string   // values the user typed, by field name
	rawMany  map[string][]string // values the user chose, by many-to-many edge
	errs     map[string]string   // error per field name
	formErrs []string

	// Optimistic locking (conflict.go).
	version  string // the version the form was loaded at, as posted
	loaded   string // when it was loaded, as posted
	conflict *views.Conflict

	// Inlines and save as new.
	inlines []*inlineState // per inline of the resource; nil until posted
	saveAs  bool           // "Save as new": create a copy of the entity

	// Posted values of the form's parts (FormParts); nil until posted.
	parts []any

	// Per-request form hooks (FormHooks); nil when unset.
	fields      []string
	sets        []Fieldset
	readOnlyNow map[string]bool
	requiredNow map[string]bool
}

func (r *Resource[T]) serveForm(w http.ResponseWriter, req *http.Request, id string) error {
	isAdd := id == ""
	post := req.Method == http.MethodPost
	action := ActionChange
	switch {
	case isAdd:
		action = ActionAdd
	case !post:
		action = ActionView
	}
	if err := r.m.check(req, action); err != nil {
		return err
	}
	st := &formState[T]{id: id, readOnly: !isAdd && !r.m.can(req, ActionChange)}
	if isAdd {
		st.access = r.access(req.Context(), ActionAdd)
	} else {
		st.access = r.access(req.Context(), ActionChange)
	}
	if !isAdd {
		e, err := r.Get(req.Context(), id)
		if err != nil {
			return r.orNotFound(err)
		}
		st.entity = e
	}
	r.applyFormHooks(req, st)
	if !post {
		return r.renderForm(w, req, st, http.StatusOK)
	}
	if err := parseForm(w, req); err != nil {
		return err
	}
	if st.saveAs = !isAdd && r.SaveAs && req.PostForm.Has("_saveasnew"); st.saveAs {
		if err := r.m.check(req, ActionAdd); err != nil {
			return err
		}
	}
	values := r.decodeForm(req, st)
	if err := r.decodeInlines(req, st); err != nil {
		if errors.Is(err, errForgedRow) {
			return refuse(http.StatusBadRequest, "The form names a related entity that does not belong to this "+r.Label+"; nothing was saved.")
		}
		return err
	}
	if err := r.decodeParts(req, st); err != nil {
		return err
	}
	req = r.expectVersion(req, st)
	if req.PostForm.Has("_addrow") {
		return r.addInlineRow(w, req, st)
	}
	if !st.invalid() {
		saved, err := r.save(req, st, values)
		if err == nil {
			if len(st.ignored) > 0 {
				AddMessage(w, req, views.LevelWarning, "Not saved, because you may not change them: "+strings.Join(st.ignored, ", ")+".")
			}
			r.saved(w, req, saved, isAdd || st.saveAs)
			return nil
		}
		if r.isNotFound(err) {
			return ErrNotFound
		}
		if ce := (*ConflictError)(nil); errors.As(err, &ce) {
			if err := r.conflict(req, st, ce); err != nil {
				return err
			}
			return r.renderForm(w, req, st, http.StatusConflict)
		}
		if !r.formError(st, err) {
			return err
		}
	}
	return r.renderForm(w, req, st, http.StatusUnprocessableEntity)
}

func (r *Resource[T]) isNotFound(err error) bool {
	return errors.Is(err, ErrNotFound) || r.IsNotFound(err)
}

// orNotFound returns err as a 404 naming the resource when it says the
// entity is not found, err otherwise.
func (r *Resource[T]) orNotFound(err error) error {
	if r.isNotFound(err) {
		return refuse(http.StatusNotFound, "There is no "+r.Label+" with this id; it may have been deleted.")
	}
	return err
}

// editable reports whether the form accepts the field.
func (r *Resource[T]) editable(f *Field[T], st *formState[T]) bool {
	return !st.readOnly && !f.ReadOnly && !(f.Immutable && st.id != "") && !st.readOnlyNow[f.Name] &&
		(st.access == nil || st.access[f.Name] == AccessWrite)
}

// visible reports whether the form shows the field.
func (st *formState[T]) visible(f *Field[T]) bool {
	return st.access == nil || st.access[f.Name] != AccessHidden
}

// formFields returns the fields on the form, in form order.
func (r *Resource[T]) formFields() []*Field[T] {
	if r.Fieldsets == nil {
		return r.Fields
	}
	var out []*Field[T]
	for _, fs := range r.Fieldsets {
		for _, name := range fs.Fields {
			if f := r.fields[name]; f != nil {
				out = append(out, f)
			}
		}
	}
	return out
}

// decoded is a value from a form: set means SetField, nil value means clear.
type decoded[T any] struct {
	field *Field[T]
	value any
}

// decodeForm turns the posted form into typed values, recording an error
// per field that does not parse or validate.
func (r *Resource[T]) decodeForm(req *http.Request, st *formState[T]) []decoded[T] {
	st.raw = map[string]string{}
	st.errs = map[string]string{}
	var out []decoded[T]
	onForm := map[string]bool{}
	for _, f := range r.formFieldsFor(st) {
		if !r.editable(f, st) {
			continue
		}
		onForm[f.Name] = true
		if f.Widget == views.WidgetPassword && st.id != "" && req.PostForm.Get(f.Name) == "" {
			continue // the form never shows the stored value: empty keeps it
		}
		v, err := r.decodeField(req, f, st)
		if err == nil && st.missingRequired(req, f.Name) {
			err = errRequired
		}
		if err != nil {
			st.errs[f.Name] = err.Error()
			continue
		}
		if v == nil && f.Kind == KindEdge && st.id != "" && f.Get(st.entity) == nil {
			// The edge showed no entity: either it has none, or one outside
			// the user's row scope, which their save must not clear.
			continue
		}
		out = append(out, decoded[T]{f, v})
	}
	for _, f := range r.Fields {
		if _, posted := req.PostForm[f.Name]; posted && !onForm[f.Name] {
			st.ignored = append(st.ignored, f.Name)
		}
	}
	return out
}

// decodeField decodes, validates and checks one posted field: the value
// parses, passes the ent validators, is unique where it must be, and a
// related id names an entity the user may see. The save and the validate
// endpoint both use it.
func (r *Resource[T]) decodeField(req *http.Request, f *Field[T], st *formState[T]) (any, error) {
	if f.Kind == KindEdges {
		return r.decodeEdges(req, f, st)
	}
	raw := req.PostForm.Get(f.Name)
	st.raw[f.Name] = raw
	v, err := r.decodeValue(f, raw)
	switch {
	case err != nil || v == nil:
	case f.Unique:
		err = r.checkUnique(req, f, v, st.selfID())
	case f.Exists != nil:
		err = checkExists(req, f, v)
	}
	return v, err
}

var errRequired = inputError("This field is required.")

// decodeValue decodes and validates one field; a nil value clears it.
func (r *Resource[T]) decodeValue(f *Field[T], raw string) (any, error) {
	if f.Kind == KindBool {
		switch raw {
		case "on", "true", "1", "yes":
			return true, nil
		}
		return false, nil
	}
	if strings.TrimSpace(raw) == "" {
		switch {
		case f.Optional:
			return nil, nil
		case f.blankable():
			raw = ""
		default:
			return nil, errRequired
		}
	}
	var (
		v   any
		err error
	)
	switch {
	case f.Kind == KindTime:
		v, err = parseTime(raw, r.m.site.location)
	case f.Kind == KindEnum && !validEnum(f, raw):
		err = inputError(fmt.Sprintf("Select a valid choice; %q is not one of the available choices.", raw))
	case f.Decode != nil:
		v, err = f.Decode(raw)
	default:
		err = inputError("This field cannot be edited here.")
	}
	if err == nil && f.Validate != nil {
		if verr := f.Validate(v); verr != nil {
			err = validatorError(verr)
			if msg := f.Bounds.violation(v); msg != "" {
				err = inputError(msg)
			}
		}
	}
	return v, err
}

func validEnum[T any](f *Field[T], v string) bool {
	for _, e := range f.Enums {
		if e.Value == v {
			return true
		}
	}
	return false
}

// parseTime reads the value of a datetime-local or date input.
func parseTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{inputTimeFormat, "2006-01-02T15:04:05", inputDateFormat, listTimeFormat} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, inputError("Enter a valid date and time (YYYY-MM-DD HH:MM).")
}

// validatorError turns the message of an ent validator into a sentence.
func validatorError(err error) error {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, "ent") {
		msg = msg[i+2:]
	}
	msg = capitalize(msg)
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return inputError(msg)
}

// checkUnique reports a value of a unique field another entity has.
func (r *Resource[T]) checkUnique(req *http.Request, f *Field[T], v any, id string) error {
	where := []Predicate{sql.FieldEQ(f.Column, v)}
	if id != "" {
		self, err := r.ParseID(id)
		if err != nil {
			return err
		}
		where = append(where, sql.FieldNEQ(r.IDColumn, self))
	}
	taken, err := r.Exists(req.Context(), where)
	if err != nil {
		return err
	}
	if taken {
		return inputError(fmt.Sprintf("A %s with this %s already exists.", r.Label, strings.ToLower(f.Label)))
	}
	return nil
}

// checkExists reports a related id that names no entity the user may see.
func checkExists[T any](req *http.Request, f *Field[T], id any) error {
	ok, err := f.Exists(req.Context(), id)
	if err != nil {
		return err
	}
	if !ok {
		return inputError("Select a valid choice; that choice is not one of the available choices.")
	}
	return nil
}

// save writes the decoded values.
func (r *Resource[T]) save(req *http.Request, st *formState[T], values []decoded[T]) (T, error) {
	set := func(m ent.Mutation) error { return setValues(m, values) }
	var saved T
	err := r.Atomic(req.Context(), func(ctx context.Context) error {
		var err error
		if st.id == "" || st.saveAs {
			saved, err = r.Create(ctx, set)
		} else {
			saved, err = r.Update(ctx, st.id, set)
		}
		if err != nil {
			return err
		}
		if err := r.saveInlines(ctx, st, saved); err != nil {
			return err
		}
		return r.saveParts(ctx, st, saved)
	})
	return saved, err
}

// setValues fills a mutation with decoded values.
func setValues[T any](m ent.Mutation, values []decoded[T]) error {
	for _, d := range values {
		f := d.field
		switch {
		case f.Kind == KindEdges:
			if err := f.Set(m, d.value); err != nil {
				return err
			}
		case f.Kind == KindEdge && d.value == nil:
			if f.Clear != nil {
				f.Clear(m)
			}
		case f.Kind == KindEdge:
			if err := f.Set(m, d.value); err != nil {
				return err
			}
		case d.value == nil:
			if err := m.ClearField(f.Name); err != nil {
				return err
			}
		default:
			if err := m.SetField(f.Name, d.value); err != nil {
				return err
			}
		}
	}
	return nil
}

// formError puts an error of a save on the form; it reports false for
// errors that are not the user's to fix.
func (r *Resource[T]) formError(st *formState[T], err error) bool {
	if inlineRowsError(err) {
		return true
	}
	var fe *FieldError
	if errors.As(err, &fe) {
		if _, ok := r.fields[fe.Field]; ok && st.visible(r.fields[fe.Field]) {
			st.errs[fe.Field] = fe.Message
		} else {
			st.formErrs = append(st.formErrs, fe.Message)
		}
		return true
	}
	var fm *FormError
	if errors.As(err, &fm) {
		st.formErrs = append(st.formErrs, fm.Message)
		return true
	}
	if msg, ok := deniedMessage(err); ok {
		st.formErrs = append(st.formErrs, msg)
		return true
	}
	if name := r.ErrorField(err); name != "" {
		if _, ok := r.fields[name]; ok {
			st.errs[name] = validatorError(errors.Unwrap(err)).Error()
			return true
		}
		st.formErrs = append(st.formErrs, validatorError(err).Error())
		return true
	}
	if r.IsConstraint(err) {
		st.formErrs = append(st.formErrs, "The "+r.Label+" could not be saved: a value is already taken, or a related entity no longer exists.")
		return true
	}
	return false
}

// saved redirects after a successful save, with a message.
func (r *Resource[T]) saved(w http.ResponseWriter, req *http.Request, e T, isAdd bool) {
	base := Prefix(req) + "/" + r.Slug + "/"
	verb := "changed"
	if isAdd {
		verb = "added"
	}
	name := fmt.Sprintf("The %s “%s” was %s.", r.Label, r.Display(e), verb)
	filters := changelistFilters(req)
	target := listReturn(base, filters)
	switch {
	case req.PostForm.Has("_continue") || req.PostForm.Has("_saveasnew"):
		target = keepFilters(base+url.PathEscape(r.ID(e))+"/", filters)
		name += " You may edit it again below."
	case req.PostForm.Has("_addanother"):
		target = keepFilters(base+"add/", filters)
		name += " You may add another " + r.Label + " below."
	}
	AddMessage(w, req, views.LevelSuccess, name)
	http.Redirect(w, req, r.respond(req, e, isAdd, false, target), http.StatusSeeOther)
}

// renderForm renders the form with the entity's values, or the user's
// where the form came back with errors.
func (r *Resource[T]) renderForm(w http.ResponseWriter, req *http.Request, st *formState[T], status int) error {
	site := r.m.site
	prefix := Prefix(req)
	base := prefix + "/" + r.Slug + "/"
	isAdd := st.id == ""
	title := capitalize("add " + r.Label)
	action := base + "add/"
	if !isAdd {
		verb := "change "
		if st.readOnly {
			verb = "view "
		}
		title = capitalize(verb+r.Label) + " “" + r.Display(st.entity) + "”"
		action = base + url.PathEscape(st.id) + "/"
	}
	filters := changelistFilters(req)
	page := views.FormPage{
		Page:      site.page(w, req, title, r.Slug),
		Action:    keepFilters(action, filters),
		IsAdd:     isAdd,
		ReadOnly:  st.readOnly,
		Errors:    st.formErrs,
		CancelURL: listReturn(base, filters),
	}
	page.Breadcrumbs = []views.Link{{Label: "Home", URL: prefix + "/"}, {Label: capitalize(r.LabelPlural), URL: page.CancelURL}, {Label: title}}
	if !isAdd {
		page.Tools = r.tools(req, base, st.id) // custom endpoints' buttons (endpoint.go)
	}
	if !isAdd && !st.readOnly && r.m.can(req, ActionDelete) {
		page.DeleteURL = keepFilters(action+"delete/", filters)
		page.ConfirmDeleteURL = action + "confirm-delete/"
	}
	page.SaveOnTop = r.SaveOnTop
	if !isAdd && r.ViewOnSite != nil {
		page.ViewOnSiteURL = r.ViewOnSite(st.entity)
	}
	if !isAdd && r.ObjectTools != nil {
		page.ObjectTools = r.ObjectTools(req, st.id)
	}
	if (len(st.errs) > 0 || st.inlinesInvalid()) && len(st.formErrs) == 0 {
		page.Errors = []string{"Please correct the errors below."}
	}
	r.versionForm(req.Context(), &page, st)
	inlines, err := r.inlineViews(req, st)
	if err != nil {
		return err
	}
	page.Inlines, page.SaveAs = inlines, r.SaveAs && r.m.can(req, ActionAdd)
	if page.Parts, err = r.partViews(req, st); err != nil {
		return err
	}
	for _, fs := range r.formSets(st) {
		vfs := views.Fieldset{Title: fs.Title, Description: fs.Description, Body: fs.DescriptionHTML, Collapsed: fs.Collapsed}
		for _, name := range fs.Fields {
			f := r.fields[name]
			if f == nil || !st.visible(f) {
				continue
			}
			field, err := r.formField(req, f, st)
			if err != nil {
				return err
			}
			if field.Error != "" {
				vfs.Collapsed = false
			}
			vfs.Fields = append(vfs.Fields, field)
		}
		page.Fieldsets = append(page.Fieldsets, vfs)
	}
	site.render(w, req, status, r.views().Form(page))
	return nil
}

// notShown stands for the value of an edge to a type the user may not
// view.
const notShown = "(not shown)"

// formField builds the view of one field.
func (r *Resource[T]) formField(req *http.Request, f *Field[T], st *formState[T]) (views.Field, error) {
	loc := r.m.site.location
	vf := views.Field{
		Name:      f.Name,
		ID:        "id_" + f.Name,
		Label:     f.Label,
		Help:      f.Help,
		Required:  !f.Optional && f.Kind != KindBool && !f.blankable() || st.requiredNow[f.Name],
		Error:     st.errs[f.Name],
		MaxLength: f.MaxLen,
	}
	if (f.Kind == KindEdge || f.Kind == KindEdges) && !r.m.grant(req.Context()).canViewType(f.Target) {
		// Related entities of a type the user may not view are not named,
		// nor said to be missing: the edge is read-only and kept as stored.
		vf.Widget, vf.Display, vf.Required = views.WidgetReadOnly, notShown, false
		return vf, nil
	}
	var v any
	switch {
	case st.id != "":
		v = f.Get(st.entity)
	case f.Default != nil:
		v = f.Default()
	}
	if !r.editable(f, st) {
		vf.Widget = views.WidgetReadOnly
		cell := formatCell(f, v, loc, cmp.Or(f.EmptyValue, r.EmptyValue))
		vf.Display = cell.Text
		if cell.Kind == views.CellBool {
			vf.Display = "No"
			if cell.Bool {
				vf.Display = "Yes"
			}
		}
		vf.Required = false
		return vf, nil
	}
	raw, typed := st.raw[f.Name]
	if typed {
		vf.Value = raw
		vf.Checked = raw != "" && f.Kind == KindBool
	} else {
		vf.Value = inputValue(f, v, loc)
		b, _ := v.(bool)
		vf.Checked = b
	}
	vf.Widget = f.Widget
	switch f.Kind {
	case KindText:
		vf.Widget = or(vf.Widget, views.WidgetTextarea)
	case KindInt:
		vf.Widget, vf.Step = or(vf.Widget, views.WidgetNumber), "1"
		vf.Min, vf.Max = f.Bounds.Min, f.Bounds.Max
	case KindFloat:
		vf.Widget, vf.Step = or(vf.Widget, views.WidgetNumber), "any"
		vf.Min, vf.Max = f.Bounds.Min, f.Bounds.Max
	case KindBool:
		vf.Widget = or(vf.Widget, views.WidgetCheckbox)
	case KindTime:
		vf.Widget = or(vf.Widget, views.WidgetDateTime)
	case KindJSON:
		vf.Widget = or(vf.Widget, views.WidgetJSON)
	case KindEnum:
		vf.Widget = views.WidgetSelect
		if f.Widget == views.WidgetRadio {
			vf.Widget, vf.Layout = views.WidgetRadio, f.Layout
		}
		for _, e := range f.Enums {
			vf.Choices = append(vf.Choices, views.Choice{Label: e.Label, Value: e.Value, Selected: e.Value == vf.Value})
		}
	case KindEdge:
		if err := r.edgeWidget(req, f, st, v, &vf); err != nil {
			return vf, err
		}
	case KindEdges:
		if err := r.edgesWidget(req, f, st, v, &vf); err != nil {
			return vf, err
		}
	default:
		vf.Widget = or(vf.Widget, views.WidgetText)
	}
	if vf.Widget == views.WidgetToggle || vf.Widget == views.WidgetCheckbox {
		vf.Required = false
	}
	vf.Attrs = f.Attrs
	if vf.Widget == views.WidgetNumber {
		vf.Step, vf.Min, vf.Max = cmp.Or(f.Attrs["step"], vf.Step), cmp.Or(f.Attrs["min"], vf.Min), cmp.Or(f.Attrs["max"], vf.Max)
	}
	if vf.Widget == views.WidgetPassword {
		// Neither the stored value nor the one typed goes into the page;
		// on an existing entity an empty input keeps the stored value.
		vf.Value = ""
		if st.id != "" {
			vf.Required = false
			vf.Help = cmp.Or(vf.Help, "Leave empty to keep the current value.")
		}
	}
	r.formOptions(req, f, st, &vf)
	return vf, nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
