package entadmin

import (
	"context"
	"fmt"
	"net/http"
)

// CustomFilter is a filter of the list's sidebar written in Go (Django's
// SimpleListFilter): a title, choices, and the predicate of each choice.
// Add one with Resource.Filter.
//
//	type priceBands struct{}
//
//	func (priceBands) Title() string { return "By price" }
//	func (priceBands) Param() string { return "price_band" }
//	func (priceBands) Choices(context.Context, *http.Request) ([]entadmin.FilterChoice, error) {
//		return []entadmin.FilterChoice{
//			{Value: "low", Label: "Under 10", Where: product.PriceLT(10)},
//			{Value: "high", Label: "10 and more", Where: product.PriceGTE(10)},
//		}, nil
//	}
type CustomFilter interface {
	// Title heads the filter in the sidebar, e.g. "By price".
	Title() string
	// Param is the query parameter of the filter; it must not be a field
	// filter's or one of the list's own (q, o, p).
	Param() string
	// Choices returns the filter's choices for a request. The list accepts
	// only the values they name; keep them few, as facet counts cost a
	// query per choice.
	Choices(ctx context.Context, r *http.Request) ([]FilterChoice, error)
}

// FilterChoice is one choice of a CustomFilter.
type FilterChoice struct {
	Value string    // the query parameter's value
	Label string    // what the user sees
	Where Predicate // the rows the choice selects, e.g. product.PriceLT(10)
}

// Filter adds a custom filter to the list's sidebar, after the ListFilter
// ones. It panics on a parameter that is taken, a programming error.
func (r *Resource[T]) Filter(f CustomFilter) *Resource[T] {
	p := f.Param()
	taken := p == "" || reserved[p] || r.fields[p] != nil || r.paths[p] != nil
	for _, c := range r.custom {
		taken = taken || c.Param() == p
	}
	if taken {
		panic(fmt.Sprintf("entadmin: %s.Filter: parameter %q is empty, reserved or taken", r.Type, p))
	}
	r.custom = append(r.custom, f)
	return r
}

// reserved are the parameters of the list itself.
var reserved = map[string]bool{
	paramSearch: true, paramOrder: true, paramPage: true,
	paramChangelistFilters: true, paramColumn: true, paramFacets: true,
	paramFilterField: true, paramFilterSearch: true,
}

// paramFacets asks for facet counts, on resources that allow them.
const paramFacets = "_facets"

// customPredicate returns the predicate of a custom filter's value.
func customPredicate(ctx context.Context, req *http.Request, f CustomFilter, v string) (Predicate, []FilterChoice, error) {
	choices, err := f.Choices(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	for _, c := range choices {
		if c.Value == v {
			return c.Where, choices, nil
		}
	}
	return nil, choices, badParam{fmt.Sprintf("bad value %q for filter %q", v, f.Param())}
}
