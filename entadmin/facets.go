package entadmin

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/entadmin/entadmin/views"
)

// customSidebar returns the custom filters with their choices.
func (r *Resource[T]) customSidebar(req *http.Request, lc *listConfig[T], p *listParams[T], base string) ([]views.Filter, error) {
	var filters []views.Filter
	for _, f := range lc.custom {
		choices, err := f.Choices(req.Context(), req)
		if err != nil {
			return nil, err
		}
		current := p.filters[f.Param()]
		filter := views.Filter{Param: f.Param(), Title: f.Title()}
		filter.Choices = append(filter.Choices, views.Choice{Label: "All", URL: p.url(base, f.Param(), ""), Selected: current == ""})
		for _, c := range choices {
			filter.Choices = append(filter.Choices, views.Choice{Label: c.Label, Value: c.Value, URL: p.url(base, f.Param(), c.Value), Selected: current == c.Value})
		}
		filters = append(filters, filter)
	}
	return filters, nil
}

// facets sets the count of rows beside each filter choice: how many rows
// the list would show with that choice instead of the filter's current one.
// A filter on a field of the resource's own table costs one GROUP BY
// query; a date or custom filter one COUNT per choice (a fixed number), a
// filter on an edge path too (at most maxFilterChoices of them). So the
// statements per page do not depend on the page size.
func (r *Resource[T]) facets(req *http.Request, lc *listConfig[T], p *listParams[T], filters []views.Filter, now time.Time) error {
	ctx := req.Context()
	without := func(param string) []Predicate {
		var where []Predicate
		if p.searchP != nil {
			where = append(where, p.searchP)
		}
		for name, pred := range p.byFilter {
			if name != param {
				where = append(where, pred)
			}
		}
		return where
	}
	byParam := map[string]*Field[T]{}
	for _, f := range lc.filters {
		byParam[f.Name] = f
	}
	customs := map[string]CustomFilter{}
	for _, f := range lc.custom {
		customs[f.Param()] = f
	}
	for i := range filters {
		vf := &filters[i]
		where := without(vf.Param)
		if f := byParam[vf.Param]; f != nil {
			if f.Through != nil {
				// An edge path: one COUNT per choice, at most
				// maxFilterChoices of them.
				if err := r.countEach(ctx, vf, where, func(v string) (Predicate, error) {
					pred, err := r.filterPredicate(f, v, now)
					if err != nil {
						return nil, err
					}
					return f.Through(pred), nil
				}); err != nil {
					return err
				}
				continue
			}
			if r.GroupCount == nil {
				continue
			}
			if f.Kind == KindTime {
				if err := r.countEach(ctx, vf, where, func(v string) (Predicate, error) { return r.filterPredicate(f, v, now) }); err != nil {
					return err
				}
				continue
			}
			var counts map[string]int
			err := r.cached(ctx, "group:"+f.Column, where, &counts, func(ctx context.Context) (err error) {
				counts, err = r.GroupCount(ctx, where, f.Column)
				return err
			})
			if err != nil {
				return err
			}
			all := 0
			for _, n := range counts {
				all += n
			}
			for j := range vf.Choices {
				c := &vf.Choices[j]
				switch {
				case c.Value == "":
					c.Count = strconv.Itoa(all)
				case f.Kind == KindBool && c.Value == "yes":
					c.Count = strconv.Itoa(counts["true"] + counts["1"] + counts["t"])
				case f.Kind == KindBool && c.Value == "no":
					c.Count = strconv.Itoa(counts["false"] + counts["0"] + counts["f"])
				default:
					c.Count = strconv.Itoa(counts[c.Value])
				}
			}
			continue
		}
		if cf := customs[vf.Param]; cf != nil {
			if err := r.countEach(ctx, vf, where, func(v string) (Predicate, error) {
				pred, _, err := customPredicate(ctx, req, cf, v)
				return pred, err
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// countEach counts the rows of every choice but "All" with one query each.
func (r *Resource[T]) countEach(ctx context.Context, vf *views.Filter, where []Predicate, pred func(string) (Predicate, error)) error {
	for j := range vf.Choices {
		c := &vf.Choices[j]
		if c.Value == "" {
			continue
		}
		p, err := pred(c.Value)
		if err != nil {
			return err
		}
		n, err := r.countCached(ctx, append(where[:len(where):len(where)], p))
		if err != nil {
			return err
		}
		c.Count = strconv.Itoa(n)
	}
	return nil
}
