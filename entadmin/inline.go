package entadmin

import (
	"context"
	"errors"
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"entgo.io/ent"

	"github.com/entadmin/entadmin/policy/fieldaccess"
	"github.com/entadmin/entadmin/views"
)

// maxInlineRows caps the rows one inline accepts in a post.
const maxInlineRows = 1000

// InlineConfig is the configuration of an inline, from the edge's
// admin.Inline annotation.
type InlineConfig struct {
	Name           string   // the edge; the rows' inputs are named Name-K-field
	Title          string   // the heading
	Stacked        bool     // a fieldset per row instead of a table row
	Fields         []string // the child's fields shown, in order
	ReadOnly       []string // fields shown but not editable
	Extra          int      // blank rows offered
	Min, Max       int      // bounds on the number of rows; Max 0 for none
	CanDelete      bool     // saved rows have a delete box
	Ordering       []string // the order of the rows; "-" for descending
	SortField      string   // an integer field set from the rows' positions
	ShowChangeLink bool     // saved rows link to the child's own form
	Collapsed      bool     // starts collapsed
}

// Inline is an inline of the form of T: the entities of another resource
// that an edge of T reaches, edited on T's form and saved with it in one
// transaction. Generated code builds them with NewInline.
type Inline[T any] interface {
	// Config returns the inline's configuration.
	Config() *InlineConfig

	perms(req *http.Request, readOnly bool) inlinePerms
	decode(req *http.Request, parent T, isAdd, saveAs, readOnly bool) (*inlineState, error)
	save(ctx context.Context, parent T, st *inlineState, saveAs bool) error
	view(req *http.Request, parent T, isAdd, readOnly bool, st *inlineState, addURL string) (views.Inline, error)
	blankRow(req *http.Request, index int, addURL string) (views.Inline, views.InlineRow, error)
	addRow(req *http.Request, st *inlineState, readOnly bool)
}

// NewInline returns the inline of the child resource on the form of T.
// children returns the children of a parent, in any order; setParent points
// a child's mutation at its parent.
func NewInline[T, C any](child *Resource[C], cfg InlineConfig,
	children func(ctx context.Context, parent T) ([]C, error),
	setParent func(m ent.Mutation, parent T),
) Inline[T] {
	in := &inline[T, C]{cfg: cfg, child: child, children: children, setParent: setParent}
	for _, name := range cfg.Fields {
		if i := slices.IndexFunc(child.Fields, func(f *Field[C]) bool { return f.Name == name }); i >= 0 {
			in.fields = append(in.fields, child.Fields[i])
		}
	}
	if i := slices.IndexFunc(child.Fields, func(f *Field[C]) bool { return f.Name == cfg.SortField }); i >= 0 {
		in.sort = child.Fields[i]
	}
	return in
}

type inline[T, C any] struct {
	cfg       InlineConfig
	child     *Resource[C]
	fields    []*Field[C] // shown, in order
	sort      *Field[C]   // nil when the rows are not sortable
	children  func(context.Context, T) ([]C, error)
	setParent func(ent.Mutation, T)
}

func (in *inline[T, C]) Config() *InlineConfig { return &in.cfg }

// inlinePerms is what the user may do with the rows of an inline.
type inlinePerms struct {
	view, add, change, delete bool
}

// perms returns the user's permissions on the child resource, none of them
// writing when the parent's form is read-only.
func (in *inline[T, C]) perms(req *http.Request, readOnly bool) inlinePerms {
	m := &in.child.m
	p := inlinePerms{view: m.can(req, ActionView) || m.can(req, ActionChange)}
	if !p.view || readOnly {
		return p
	}
	p.add = m.can(req, ActionAdd)
	p.change = m.can(req, ActionChange)
	p.delete = in.cfg.CanDelete && m.can(req, ActionDelete)
	return p
}

// inlineState is an inline as posted: its rows, their values and errors.
type inlineState struct {
	rows     []*inlineRow
	errs     []string       // about the inline as a whole
	existing map[string]any // the parent's children by id, as loaded
}

// inlineRow is one posted row.
type inlineRow struct {
	index  int
	id     string // "" for a new row
	del    bool
	blank  bool              // a new row left as offered: ignored
	keep   bool              // a saved row the user may not change, or did not
	raw    map[string]string // by field name
	errs   map[string]string // by field name
	errors []string
	set    func(ent.Mutation) error // sets the decoded values
}

// invalid reports whether the inline has errors.
func (st *inlineState) invalid() bool {
	if len(st.errs) > 0 {
		return true
	}
	for _, r := range st.rows {
		if len(r.errs) > 0 || len(r.errors) > 0 {
			return true
		}
	}
	return false
}

// errForgedRow is a posted row that names a child of another parent, or one
// outside the user's scope.
var errForgedRow = errors.New("entadmin: an inline row names an entity that does not belong to this form")

// errInlineRows stops a save when an inline row failed; the errors are on
// the rows.
var errInlineRows = errors.New("entadmin: an inline row could not be saved")

// rowAccess returns the access of the request's user to the child's fields
// in a row, with the inline's read-only fields read-only.
func (in *inline[T, C]) rowAccess(req *http.Request, action Action, writable bool) map[string]Access {
	access := maps.Clone(in.child.access(req.Context(), action))
	for _, f := range in.fields {
		if !writable || slices.Contains(in.cfg.ReadOnly, f.Name) {
			access[f.Name] = min(access[f.Name], AccessReadOnly)
		}
	}
	if in.sort != nil && writable {
		access[in.sort.Name] = AccessWrite
	}
	return access
}

// load returns the parent's children by id, and their ids in order.
func (in *inline[T, C]) load(ctx context.Context, parent T) (map[string]any, []C, error) {
	items, err := in.children(ctx, parent)
	if err != nil {
		return nil, nil, fmt.Errorf("loading %s: %w", in.cfg.Name, err)
	}
	in.orderRows(items)
	byID := make(map[string]any, len(items))
	for _, c := range items {
		byID[in.child.ID(c)] = c
	}
	return byID, items, nil
}

// orderRows sorts children by the inline's ordering, else by the sort
// field, else keeps the order they came in (the id's).
func (in *inline[T, C]) orderRows(items []C) {
	order := in.cfg.Ordering
	if len(order) == 0 && in.sort != nil {
		order = []string{in.sort.Name}
	}
	if len(order) == 0 {
		return
	}
	slices.SortStableFunc(items, func(a, b C) int {
		for _, o := range order {
			name, desc := strings.CutPrefix(o, "-")
			f := in.child.fieldByName(name)
			if f == nil {
				continue
			}
			c := compareValues(f.Get(a), f.Get(b))
			if desc {
				c = -c
			}
			if c != 0 {
				return c
			}
		}
		return 0
	})
}

// fieldByName finds a field before the resource is registered, too.
func (r *Resource[T]) fieldByName(name string) *Field[T] {
	if f := r.fields[name]; f != nil {
		return f
	}
	for _, f := range r.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

// inputPrefix returns the prefix of the inputs of row k.
func (in *inline[T, C]) inputPrefix(k int) string {
	return in.cfg.Name + "-" + strconv.Itoa(k) + "-"
}

// postedRows returns the indexes of the rows posted for the inline: those
// with an id input, in index order.
func (in *inline[T, C]) postedRows(form url.Values) ([]int, error) {
	var idx []int
	prefix := in.cfg.Name + "-"
	for key := range form {
		rest, ok := strings.CutPrefix(key, prefix)
		if !ok {
			continue
		}
		num, field, ok := strings.Cut(rest, "-")
		if !ok || field != "id" {
			continue
		}
		k, err := strconv.Atoi(num)
		if err != nil || k < 0 || strconv.Itoa(k) != num {
			continue
		}
		idx = append(idx, k)
	}
	if len(idx) > maxInlineRows {
		return nil, fmt.Errorf("%w: more than %d rows", errForgedRow, maxInlineRows)
	}
	slices.Sort(idx)
	return idx, nil
}

// decode reads the inline's rows from the posted form, decoding and
// validating each with the child's decoders and validators.
func (in *inline[T, C]) decode(req *http.Request, parent T, isAdd, saveAs, readOnly bool) (*inlineState, error) {
	st := &inlineState{}
	p := in.perms(req, readOnly)
	if !p.view {
		return st, nil
	}
	if !isAdd {
		existing, _, err := in.load(req.Context(), parent)
		if err != nil {
			return nil, err
		}
		st.existing = existing
	}
	idx, err := in.postedRows(req.PostForm)
	if err != nil {
		return nil, err
	}
	addAccess := in.rowAccess(req, ActionAdd, p.add)
	changeAccess := in.rowAccess(req, ActionChange, p.change)
	count := 0
	seen := map[string]bool{}
	for _, k := range idx {
		prefix := in.inputPrefix(k)
		row := &inlineRow{index: k, id: req.PostForm.Get(prefix + "id"), raw: map[string]string{}, errs: map[string]string{}}
		st.rows = append(st.rows, row)
		rowSt := &formState[C]{access: addAccess}
		if row.id != "" {
			e, ok := st.existing[row.id]
			if !ok || seen[row.id] {
				return nil, errForgedRow
			}
			seen[row.id] = true
			rowSt.id, rowSt.entity, rowSt.access = row.id, e.(C), changeAccess
			row.del = req.PostForm.Get(prefix+"DELETE") != "" && p.delete
			if saveAs && !p.add {
				row.blank = true // the user may not add copies: ignored
				continue
			}
		} else if !p.add {
			row.blank = true // the user may not add: ignored
			continue
		}
		if row.del {
			continue
		}
		if row.id == "" && in.untouched(req.PostForm, prefix, rowSt) {
			row.blank = true // offered, left alone
			for _, f := range in.rowFields() {
				row.raw[f.Name] = req.PostForm.Get(prefix + f.Name)
			}
			continue
		}
		changed := row.id == "" || saveAs
		var values []decoded[C]
		for _, f := range in.rowFields() {
			if !in.child.editable(f, rowSt) {
				continue // a copy takes it from the saved child
			}
			raw := req.PostForm.Get(prefix + f.Name)
			row.raw[f.Name] = raw
			v, err := in.child.decodeValue(f, raw)
			switch {
			case err != nil || v == nil:
			case f.Unique:
				id := row.id
				if saveAs {
					id = ""
				}
				err = in.child.checkUnique(req, f, v, id)
			case f.Exists != nil:
				err = checkExists(req, f, v)
			}
			if err != nil {
				row.errs[f.Name] = err.Error()
				continue
			}
			if v == nil && f.Kind == KindEdge && row.id != "" && !saveAs && f.Get(rowSt.entity) == nil {
				continue // nothing shown: none, or one outside the user's row scope
			}
			if in.differs(f, rowSt, v) {
				changed = true
			}
			values = append(values, decoded[C]{f, v})
		}
		if !changed && len(row.errs) == 0 {
			row.keep = true // a saved row left as it was
		}
		row.set = func(m ent.Mutation) error { return setValues(m, values) }
		count++
	}
	if !saveAs {
		// Children that were not on the form (added since) stay; a save as
		// new does not copy them.
		for id := range st.existing {
			if !slices.ContainsFunc(st.rows, func(r *inlineRow) bool { return r.id == id }) {
				count++ // not on the form (another user's new row): it stays
			}
		}
	}
	label := in.child.LabelPlural
	if in.cfg.Min > 0 && count < in.cfg.Min {
		st.errs = append(st.errs, fmt.Sprintf("Please submit at least %d %s.", in.cfg.Min, plural(in.cfg.Min, in.child.Label, label)))
	}
	if in.cfg.Max > 0 && count > in.cfg.Max {
		st.errs = append(st.errs, fmt.Sprintf("Please submit at most %d %s.", in.cfg.Max, plural(in.cfg.Max, in.child.Label, label)))
	}
	return st, nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// rowFields returns the fields a row decodes: those shown, and the sort
// field.
func (in *inline[T, C]) rowFields() []*Field[C] {
	if in.sort == nil || slices.Contains(in.fields, in.sort) {
		return in.fields
	}
	return append(slices.Clone(in.fields), in.sort)
}

// untouched reports whether a new row was posted as the form offered it:
// every field at its initial value (the position aside).
func (in *inline[T, C]) untouched(form url.Values, prefix string, rowSt *formState[C]) bool {
	loc := in.child.m.site.location
	for _, f := range in.fields {
		if !in.child.editable(f, rowSt) {
			continue
		}
		raw := form.Get(prefix + f.Name)
		var initial any
		if f.Default != nil {
			initial = f.Default()
		}
		if f.Kind == KindBool {
			b, _ := initial.(bool)
			if (raw != "") != b {
				return false
			}
			continue
		}
		if strings.TrimSpace(raw) != inputValue(f, initial, loc) {
			return false
		}
	}
	return true
}

// differs reports whether a decoded value differs from the row's current
// value: the saved child's, or the default of a new row.
func (in *inline[T, C]) differs(f *Field[C], rowSt *formState[C], v any) bool {
	loc := in.child.m.site.location
	var cur any
	switch {
	case rowSt.id != "":
		cur = f.Get(rowSt.entity)
	case f.Default != nil:
		cur = f.Default()
	case f.Kind == KindBool:
		cur = false
	}
	return inputValue(f, cur, loc) != inputValue(f, v, loc)
}

// save writes the rows: deletes, then changes, then additions, each through
// the child resource, in the transaction ctx carries. A row that fails gets
// its error and the save stops with errInlineRows.
//
// The rows' positions go to the sort field whatever the user's access to
// it (see rowAccess): ctx allows package fieldaccess that write.
func (in *inline[T, C]) save(ctx context.Context, parent T, st *inlineState, saveAs bool) error {
	if in.sort != nil {
		ctx = fieldaccess.Allow(ctx, in.child, in.sort.Name)
	}
	if saveAs {
		return in.saveCopies(ctx, parent, st)
	}
	for _, row := range st.rows {
		if row.id != "" && row.del {
			if err := in.child.Delete(ctx, row.id); err != nil {
				return in.rowError(row, err)
			}
		}
	}
	for _, row := range st.rows {
		if row.id == "" || row.del || row.keep {
			continue
		}
		if _, err := in.child.Update(ctx, row.id, in.setter(row, nil, nil)); err != nil {
			return in.rowError(row, err)
		}
	}
	for _, row := range st.rows {
		if row.id != "" || row.blank {
			continue
		}
		if _, err := in.child.Create(ctx, in.setter(row, &parent, nil)); err != nil {
			return in.rowError(row, err)
		}
	}
	return nil
}

// saveCopies adds a copy of every row not deleted to a new parent: the
// saved children's values, with the posted ones over them. A copy keeps
// the values of fields its user may not change.
func (in *inline[T, C]) saveCopies(ctx context.Context, parent T, st *inlineState) error {
	for _, row := range st.rows {
		if row.del || row.blank {
			continue
		}
		var base []decoded[C]
		var copied []string
		if row.id != "" {
			base = in.copyOf(st.existing[row.id].(C))
			for _, d := range base {
				copied = append(copied, d.field.Name)
			}
		}
		if _, err := in.child.Create(fieldaccess.Allow(ctx, in.child, copied...), in.setter(row, &parent, base)); err != nil {
			return in.rowError(row, err)
		}
	}
	return nil
}

// copyOf returns the values of a saved child to copy into a new one: every
// field and unique edge but the id and the edge to the parent.
func (in *inline[T, C]) copyOf(e C) []decoded[C] {
	var out []decoded[C]
	for _, f := range in.child.Fields {
		v := f.Get(e)
		if v == nil {
			continue
		}
		if ref, ok := v.(store.Ref); ok {
			if f.Decode == nil {
				continue
			}
			id, err := f.Decode(ref.ID)
			if err != nil {
				continue
			}
			v = id
		}
		if f.Kind == KindEdge && f.Set == nil {
			continue
		}
		out = append(out, decoded[C]{f, v})
	}
	return out
}

// setter returns the function filling a row's mutation: base values, the
// row's values, and the parent when one is given (a row that is changed
// keeps its own, which the row's id was checked to be).
func (in *inline[T, C]) setter(row *inlineRow, parent *T, base []decoded[C]) func(ent.Mutation) error {
	return func(m ent.Mutation) error {
		if err := setValues(m, base); err != nil {
			return err
		}
		if row.set != nil {
			if err := row.set(m); err != nil {
				return err
			}
		}
		if parent != nil {
			in.setParent(m, *parent)
		}
		return nil
	}
}

// rowError puts the error of a row's write on the row. It returns
// errInlineRows for errors the user can fix, and err for the others.
func (in *inline[T, C]) rowError(row *inlineRow, err error) error {
	shown := func(name string) bool {
		return slices.ContainsFunc(in.fields, func(f *Field[C]) bool { return f.Name == name })
	}
	var fe *FieldError
	var fm *FormError
	switch {
	case errors.As(err, &fe):
		if shown(fe.Field) {
			row.errs[fe.Field] = fe.Message
		} else {
			row.errors = append(row.errors, fe.Message)
		}
	case errors.As(err, &fm):
		row.errors = append(row.errors, fm.Message)
	case errors.Is(err, fieldaccess.ErrDenied):
		msg, _ := deniedMessage(err)
		row.errors = append(row.errors, msg)
	case in.child.ErrorField(err) != "":
		name := in.child.ErrorField(err)
		if shown(name) {
			row.errs[name] = validatorError(errors.Unwrap(err)).Error()
		} else {
			row.errors = append(row.errors, validatorError(err).Error())
		}
	case in.child.IsConstraint(err):
		row.errors = append(row.errors, "This "+in.child.Label+" could not be saved: a value is already taken, or a related entity no longer exists.")
	case in.child.isNotFound(err):
		row.errors = append(row.errors, "This "+in.child.Label+" no longer exists; it may have been deleted.")
	default:
		return err
	}
	return errInlineRows
}

// addRow adds a blank row after the posted rows, for "Add another" without
// JavaScript: unless the user may not add rows, or the inline holds its
// maximum. A sortable row goes last.
func (in *inline[T, C]) addRow(req *http.Request, st *inlineState, readOnly bool) {
	if !in.perms(req, readOnly).add {
		return
	}
	next, live, last := 0, 0, 0
	for _, row := range st.rows {
		next = max(next, row.index+1)
		if !row.del {
			live++
		}
		if in.sort != nil {
			if v, err := strconv.Atoi(row.raw[in.sort.Name]); err == nil {
				last = max(last, v)
			}
		}
	}
	if in.cfg.Max > 0 && live >= in.cfg.Max || next >= maxInlineRows {
		return
	}
	row := &inlineRow{index: next, blank: true, raw: map[string]string{}, errs: map[string]string{}}
	if in.sort != nil {
		row.raw[in.sort.Name] = strconv.Itoa(last + 1)
	}
	st.rows = append(st.rows, row)
}

// forget drops the errors found in the posted rows: the form comes back
// for another row, not from a save.
func (st *inlineState) forget() {
	st.errs = nil
	for _, r := range st.rows {
		r.errs, r.errors = map[string]string{}, nil
	}
}
