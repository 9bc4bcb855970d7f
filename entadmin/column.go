package entadmin

import (
	"fmt"
	"slices"

	"github.com/a-h/templ"

	"github.com/entadmin/entadmin/views"
)

// ComputedColumn is a list column whose cells a Go function computes from
// the entity (Django's list_display callables with @display). Build one
// with Computed, ComputedHTML or ComputedBool, set its options, and add it
// with Resource.Column under a name declared in the schema with
// admin.Computed, so that code generation checks where ListDisplay puts it:
//
//	res.Product.Column("margin", entadmin.Computed(func(p *ent.Product) string {
//		return fmt.Sprintf("%.0f%%", 100*(p.Price-*p.CostPrice)/p.Price)
//	}).Header("Margin").SortBy("price").Needs("cost_price"))
type ComputedColumn[T any] struct {
	text    func(T) string
	html    func(T) templ.Component
	boolean func(T) bool
	header  string
	sortBy  string
	empty   string
	needs   []string
	numeric bool
}

// Computed returns a column showing the text fn returns; an empty string
// shows the empty value.
func Computed[T any](fn func(T) string) *ComputedColumn[T] {
	return &ComputedColumn[T]{text: fn}
}

// ComputedHTML returns a column showing the component fn returns, e.g. a
// templ component or templ.Raw of trusted HTML; nil shows the empty value.
// The component is responsible for escaping what it renders.
func ComputedHTML[T any](fn func(T) templ.Component) *ComputedColumn[T] {
	return &ComputedColumn[T]{html: fn}
}

// ComputedBool returns a column showing the value fn returns as a yes/no
// badge.
func ComputedBool[T any](fn func(T) bool) *ComputedColumn[T] {
	return &ComputedColumn[T]{boolean: fn}
}

// Header sets the column's header (default: the name in words).
func (c *ComputedColumn[T]) Header(text string) *ComputedColumn[T] {
	c.header = text
	return c
}

// SortBy makes the column sortable by a field of the resource: clicking its
// header orders the list by that field.
func (c *ComputedColumn[T]) SortBy(field string) *ComputedColumn[T] {
	c.sortBy = field
	return c
}

// Empty sets what the column shows when the function returns nothing
// (default: the resource's empty value).
func (c *ComputedColumn[T]) Empty(text string) *ComputedColumn[T] {
	c.empty = text
	return c
}

// Needs names the fields the function reads. The column is left out of the
// list for users who may not see one of them, so that a computed value
// never leaks a hidden field.
func (c *ComputedColumn[T]) Needs(fields ...string) *ComputedColumn[T] {
	c.needs = append(c.needs, fields...)
	return c
}

// Numeric right-aligns the column.
func (c *ComputedColumn[T]) Numeric() *ComputedColumn[T] {
	c.numeric = true
	return c
}

// Column adds the computed column declared in the schema under name with
// admin.Computed. It panics, when the program starts, on a name the schema
// does not declare, a name added twice, and a SortBy or Needs naming no
// sortable field: these are programming errors. Site.Handler panics in turn
// when a declared column was never added.
func (r *Resource[T]) Column(name string, c *ComputedColumn[T]) *Resource[T] {
	where := fmt.Sprintf("entadmin: %s.Column(%q)", r.Type, name)
	if !slices.Contains(r.Computed, name) {
		panic(fmt.Sprintf("%s: the schema declares no computed column %q (declared: %q); add admin.Computed(%q) to the schema's annotations and run go generate", where, name, r.Computed, name))
	}
	if r.computed[name] != nil {
		panic(where + ": added twice")
	}
	if c.sortBy != "" {
		if f := r.fields[c.sortBy]; f == nil || f.Order == nil {
			panic(fmt.Sprintf("%s: SortBy(%q): no sortable field of that name", where, c.sortBy))
		}
	}
	for _, n := range c.needs {
		if r.fields[n] == nil {
			panic(fmt.Sprintf("%s: Needs(%q): no field of that name", where, n))
		}
	}
	if r.computed == nil {
		r.computed = map[string]*ComputedColumn[T]{}
	}
	r.computed[name] = c
	return r
}

// checkColumns returns an error naming the declared computed columns that
// were never added.
func (r *Resource[T]) checkColumns() error {
	for _, name := range r.Computed {
		if r.computed[name] == nil {
			return fmt.Errorf("entadmin: %s: computed column %q is declared with admin.Computed but never added; call Column(%q, entadmin.Computed(...)) on the resource before Site.Handler", r.Type, name, name)
		}
	}
	return nil
}

// cell renders the column's value for an entity.
func (c *ComputedColumn[T]) cell(e T, empty string) views.Cell {
	if c.empty != "" {
		empty = c.empty
	}
	switch {
	case c.boolean != nil:
		return views.Cell{Kind: views.CellBool, Bool: c.boolean(e)}
	case c.html != nil:
		if h := c.html(e); h != nil {
			return views.Cell{Kind: views.CellHTML, HTML: h, Numeric: c.numeric}
		}
	default:
		if s := c.text(e); s != "" {
			return views.Cell{Text: s, Numeric: c.numeric}
		}
	}
	return views.Cell{Kind: views.CellEmpty, Text: empty}
}
