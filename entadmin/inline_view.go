package entadmin

import (
	"cmp"
	"context"
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/entadmin/entadmin/views"
)

// frame returns the view of the inline without rows.
func (in *inline[T, C]) frame(req *http.Request, p inlinePerms, addURL string) views.Inline {
	v := views.Inline{
		Title:     in.cfg.Title,
		Prefix:    in.cfg.Name,
		Stacked:   in.cfg.Stacked,
		Collapsed: in.cfg.Collapsed,
		ReadOnly:  !p.add && !p.change && !p.delete,
		Max:       in.cfg.Max,
		CanDelete: p.delete,
		Sortable:  in.sort != nil && (p.change || p.add),
		AddLabel:  "Add another " + in.child.Label,
	}
	if p.add {
		v.AddURL = addURL
	}
	access := in.rowAccess(req, ActionChange, true)
	for _, f := range in.fields {
		if access[f.Name] == AccessHidden {
			continue
		}
		v.Columns = append(v.Columns, views.InlineColumn{
			Label:    f.Label,
			Help:     f.Help,
			Required: !f.Optional && f.Kind != KindBool && !f.blankable(),
		})
	}
	return v
}

// view returns the inline for the form: the parent's children and blank
// rows, or the rows as posted when the form came back.
func (in *inline[T, C]) view(req *http.Request, parent T, isAdd, readOnly bool, st *inlineState, addURL string) (views.Inline, error) {
	p := in.perms(req, readOnly)
	v := in.frame(req, p, addURL)
	kit := in.rowKit(req, p)
	var existing map[string]any
	var items []C
	if !isAdd {
		var err error
		if existing, items, err = in.load(req.Context(), parent); err != nil {
			return v, err
		}
	}
	if st != nil {
		v.Errors = st.errs
		for _, row := range st.rows {
			var e C
			if row.id != "" {
				x, ok := existing[row.id]
				if !ok {
					continue // deleted meanwhile
				}
				e = x.(C)
			}
			r, err := in.row(req, kit, row.index, row.id, e, row)
			if err != nil {
				return v, err
			}
			v.Rows = append(v.Rows, r)
		}
		if live := countLive(v.Rows); in.cfg.Max > 0 && live >= in.cfg.Max {
			v.AddURL = ""
		}
		return v, nil
	}
	for k, e := range items {
		r, err := in.row(req, kit, k, in.child.ID(e), e, nil)
		if err != nil {
			return v, err
		}
		v.Rows = append(v.Rows, r)
	}
	if p.add {
		extra := in.cfg.Extra
		if in.cfg.Max > 0 {
			extra = max(0, min(extra, in.cfg.Max-len(items)))
		}
		extra = max(extra, in.cfg.Min-len(items))
		for i := range extra {
			var zero C
			r, err := in.row(req, kit, len(items)+i, "", zero, nil)
			if err != nil {
				return v, err
			}
			v.Rows = append(v.Rows, r)
		}
		if in.cfg.Max > 0 && len(v.Rows) >= in.cfg.Max {
			v.AddURL = ""
		}
	}
	return v, nil
}

// countLive counts the rows that are not marked for deletion.
func countLive(rows []views.InlineRow) int {
	n := 0
	for _, r := range rows {
		if !r.Delete {
			n++
		}
	}
	return n
}

// row returns the view of one row: a saved child (id set), or a new one;
// posted holds the values and errors of a form that came back.
func (in *inline[T, C]) row(req *http.Request, kit *rowKit[C], k int, id string, e C, posted *inlineRow) (views.InlineRow, error) {
	access, writable := kit.add, kit.p.add
	if id != "" {
		access, writable = kit.change, kit.p.change
	}
	rowSt := &formState[C]{id: id, entity: e, access: access, readOnly: !writable}
	r := views.InlineRow{Index: k, ID: id, CanDelete: id != "" && kit.p.delete}
	if posted != nil {
		rowSt.raw, rowSt.errs = posted.raw, posted.errs
		r.Errors, r.Delete = posted.errors, posted.del
	} else {
		rowSt.errs = map[string]string{}
	}
	if id != "" {
		r.Title = in.child.Display(e)
		if in.cfg.ShowChangeLink && in.child.m.site != nil {
			r.ChangeURL = Prefix(req) + "/" + in.child.Slug + "/" + url.PathEscape(id) + "/"
		}
	}
	prefix := in.inputPrefix(k)
	for _, f := range kit.fields {
		if !rowSt.visible(f) {
			continue
		}
		vf, err := in.child.formField(req, f, rowSt)
		if err != nil {
			return r, err
		}
		vf.Name = prefix + f.Name
		vf.ID = "id_" + vf.Name
		if vf.ValidateURL != "" {
			vf.ValidateURL += "&" + url.Values{"prefix": {prefix}}.Encode()
		}
		if id == "" {
			vf.Required = false // a blank row may stay blank
		}
		r.Fields = append(r.Fields, vf)
	}
	if in.sort != nil && writable {
		value := strconv.Itoa(k)
		switch {
		case posted != nil && posted.raw[in.sort.Name] != "":
			value = posted.raw[in.sort.Name]
		case id != "":
			value = inputValue(in.sort, in.sort.Get(e), time.UTC)
		}
		r.Sort = &views.Field{Name: prefix + in.sort.Name, Value: value}
	}
	return r, nil
}

// blankRow returns the frame of the inline and a new blank row with index k.
func (in *inline[T, C]) blankRow(req *http.Request, k int, addURL string) (views.Inline, views.InlineRow, error) {
	p := in.perms(req, false)
	v := in.frame(req, p, addURL)
	kit := in.rowKit(req, p)
	var zero C
	r, err := in.row(req, kit, k, "", zero, nil)
	return v, r, err
}

// rowKit is what rendering the rows of an inline needs, worked out once
// per form: the fields, the user's permissions and field access.
type rowKit[C any] struct {
	fields      []*Field[C]
	p           inlinePerms
	add, change map[string]Access // field access in new and saved rows
}

func (in *inline[T, C]) rowKit(req *http.Request, p inlinePerms) *rowKit[C] {
	return &rowKit[C]{
		fields: in.viewFields(),
		p:      p,
		add:    in.rowAccess(req, ActionAdd, p.add),
		change: in.rowAccess(req, ActionChange, p.change),
	}
}

// viewFields returns the inline's fields for one rendering, each edge's
// choices loaded once for all the rows.
func (in *inline[T, C]) viewFields() []*Field[C] {
	out := make([]*Field[C], len(in.fields))
	for i, f := range in.fields {
		out[i] = f
		if f.Choices == nil {
			continue
		}
		type answer struct {
			choices []Choice
			err     error
		}
		seen := map[int]answer{} // by limit
		load := f.Choices
		memo := *f
		memo.Choices = func(ctx context.Context, limit int) ([]Choice, error) {
			a, ok := seen[limit]
			if !ok {
				a.choices, a.err = load(ctx, limit)
				seen[limit] = a
			}
			return a.choices, a.err
		}
		out[i] = &memo
	}
	return out
}

// compareValues orders two values of one field, nil first.
func compareValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch a := a.(type) {
	case int:
		return cmp.Compare(a, b.(int))
	case int64:
		return cmp.Compare(a, b.(int64))
	case int32:
		return cmp.Compare(a, b.(int32))
	case float64:
		return cmp.Compare(a, b.(float64))
	case string:
		return cmp.Compare(a, b.(string))
	case time.Time:
		return a.Compare(b.(time.Time))
	case bool:
		return cmp.Compare(boolInt(a), boolInt(b.(bool)))
	case store.Ref:
		return cmp.Compare(a.Label, b.(store.Ref).Label)
	}
	return cmp.Compare(fmt.Sprint(a), fmt.Sprint(b))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
