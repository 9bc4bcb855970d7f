package entadmin

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/entadmin/entadmin/views"
)

// The parameters of a filter's search: the filter's parameter and the text
// its related entities are searched for. The list shows that filter's
// choices narrowed (the search form without JavaScript), the
// filter-choices route answers them alone (with htmx).
const (
	paramFilterField  = views.FilterSearchField
	paramFilterSearch = views.FilterSearchText
)

// filterSearch is the search of one filter's choices in a list request.
type filterSearch struct {
	field string // the filter's parameter
	text  string // trimmed; "" for the first choices
}

// parseFilterSearch reads the filter search of a list request. A text
// longer than views.MaxFilterSearch characters (the search box's
// maxlength), or of more words than a search
// may have, is a bad parameter.
func parseFilterSearch(q map[string][]string) (filterSearch, error) {
	get := func(k string) string {
		if vs := q[k]; len(vs) > 0 {
			return vs[0]
		}
		return ""
	}
	fs := filterSearch{field: get(paramFilterField), text: strings.TrimSpace(get(paramFilterSearch))}
	if utf8.RuneCountInString(fs.text) > views.MaxFilterSearch {
		return fs, badParam{fmt.Sprintf("a filter's search may take at most %d characters", views.MaxFilterSearch)}
	}
	if _, err := searchTerms(fs.text); err != nil {
		return fs, err
	}
	return fs, nil
}

// edgeFilter fills in the choices of the list's filter on a unique edge:
// the first maxFilterChoices related entities, or with text those its
// search finds, within the user's row scope on the related type (the
// client's interceptor applies it to both, and the cache keys hold it);
// the selected entity even when it is not among them. When there are more
// choices than that, or a search, the filter gets its note and, when the
// user may search the related type, its search box.
func (r *Resource[T]) edgeFilter(req *http.Request, f *Field[T], p *listParams[T], base, text string, filter *views.Filter) error {
	current := p.filters[f.Name]
	t := r.target(f)
	searchable := t != nil && t.searchableBy(req)
	var choices []Choice
	if text != "" && searchable {
		found, err := t.search(req, phrase(text), maxFilterChoices+1)
		if err != nil {
			return err
		}
		for _, s := range found {
			choices = append(choices, Choice{Value: s.ID, Label: s.Text})
		}
	} else {
		var err error
		if choices, err = r.edgeChoices(req.Context(), f, maxFilterChoices+1); err != nil {
			return err
		}
	}
	capped := len(choices) > maxFilterChoices
	choices = choices[:min(len(choices), maxFilterChoices)]
	choice := func(c Choice) views.Choice {
		return views.Choice{Label: c.Label, Value: c.Value, URL: p.url(base, f.Name, c.Value), Selected: current == c.Value}
	}
	filter.Choices = []views.Choice{{Label: "All", URL: p.url(base, f.Name, ""), Selected: current == ""}}
	if current != "" && t != nil && !slices.ContainsFunc(choices, func(c Choice) bool { return c.Value == current }) {
		// The selected entity, named within the user's scope.
		name, err := t.displayName(req, current)
		if err != nil {
			return err
		}
		if name != "" {
			filter.Choices = append(filter.Choices, choice(Choice{Value: current, Label: name}))
		}
	}
	for _, c := range choices {
		filter.Choices = append(filter.Choices, choice(c))
	}
	plural := "choices"
	if t != nil {
		plural = t.meta().labelPlural
	}
	switch {
	case text != "" && capped:
		filter.Note = fmt.Sprintf("Showing the first %d matches.", maxFilterChoices)
	case text != "" && len(choices) == 0:
		filter.Note = "No " + plural + " match."
	case capped:
		n := fmt.Sprintf("%d+", maxFilterChoices)
		if t != nil {
			tot, err := t.choiceTotal(req.Context())
			if err != nil {
				return err
			}
			if tot.known && tot.exact && tot.n > maxFilterChoices {
				n = formatCount(tot.n)
			}
		}
		filter.Note = fmt.Sprintf("Showing the first %d of %s %s.", maxFilterChoices, n, plural)
	}
	if searchable && (capped || text != "") {
		filter.SearchURL = base + "filter-choices/"
		filter.SearchLabel = capitalize("search " + plural)
		filter.Search = text
		for k, vs := range p.values {
			if k != paramPage {
				filter.Keep = append(filter.Keep, views.Param{Name: k, Value: vs[0]})
			}
		}
		slices.SortFunc(filter.Keep, func(a, b views.Param) int { return strings.Compare(a.Name, b.Name) })
	}
	return nil
}

// phrase quotes a filter's search text, so that the related type's search
// matches it as one term: "steel co" finds the names that start with it
// where the search fields match from the start.
func phrase(text string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(text) + `"`
}

// choiceTotal implements resource: the rows within the user's row scope,
// counted as the list counts them (an estimate on big PostgreSQL tables).
func (r *Resource[T]) choiceTotal(ctx context.Context) (total, error) {
	c, err := r.countRows(ctx, nil, false, nil)
	return c.total, err
}

// serveFilterChoices answers GET /{slug}/filter-choices/ with the choices
// of the list's edge filter named by _filter whose related entities match
// _filter_q, as FilterChoices: at most maxFilterChoices of them, within
// the user's row scope on the related type, their links keeping the
// list's other parameters. It refuses (403) a user who may not view the
// list or the related type, and (400) a parameter that names no searchable
// edge filter, and a search text that is too long.
func (r *Resource[T]) serveFilterChoices(w http.ResponseWriter, req *http.Request) error {
	if err := r.m.check(req, ActionView); err != nil {
		return err
	}
	lc, err := r.requestList(req)
	if err != nil {
		return err
	}
	q := req.URL.Query()
	name := q.Get(paramFilterField)
	i := slices.IndexFunc(lc.filters, func(f *Field[T]) bool { return f.Name == name })
	if i < 0 {
		if slices.Contains(r.ListFilter, name) {
			return refuse(http.StatusForbidden, "You may not filter "+r.LabelPlural+" by “"+name+"”.")
		}
		return refuse(http.StatusBadRequest, "“"+name+"” is not a filter of "+r.LabelPlural+".")
	}
	f := lc.filters[i]
	t := r.target(f)
	if f.Kind != KindEdge || t == nil || !t.searchableBy(req) {
		return refuse(http.StatusBadRequest, "The filter “"+name+"” has no search.")
	}
	p, err := r.parseList(req, lc, q, time.Now().In(r.m.site.location))
	if err == nil {
		err = r.parseDrill(req, p, q)
	}
	if err != nil {
		return badParamIn("list parameters", err)
	}
	base := Prefix(req) + "/" + r.Slug + "/"
	filter := views.Filter{Param: f.Name, Title: "By " + strings.ToLower(f.Label)}
	if err := r.edgeFilter(req, f, p, base, p.filterSearch.text, &filter); err != nil {
		return badParamIn("filter search", err)
	}
	r.m.site.renderFragment(w, req, http.StatusOK, views.FilterChoices(base, filter))
	return nil
}
