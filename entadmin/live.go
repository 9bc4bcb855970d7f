package entadmin

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/a-h/templ"

	"github.com/entadmin/entadmin/views"
)

// isPartial reports whether a list request asks for the results only: the
// partial endpoint /{slug}/partial/, or an htmx request targeting #results
// (not a history restore, which wants the whole page).
func isPartial(req *http.Request) bool {
	if strings.HasSuffix(req.URL.Path, "/partial/") {
		return true
	}
	return req.Header.Get("HX-Request") == "true" && req.Header.Get("HX-Target") == "results" &&
		req.Header.Get("HX-History-Restore-Request") != "true"
}

// renderPartial answers with the list's results, the parts around them
// that depend on the parameters (filters, the search form's hidden
// parameters) swapped out of band, and the queued messages as toasts. An
// htmx request gets the list's own URL to put in the address bar.
func (r *Resource[T]) renderPartial(w http.ResponseWriter, req *http.Request, page views.ListPage, listURL string) {
	if req.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Push-Url", listURL)
		w.Header().Add("Vary", "HX-Request")
	}
	r.m.site.renderFragment(w, req, http.StatusOK, views.ListPartial(page))
}

// RenderFragment answers an htmx request with a fragment of a page: the
// component, followed by the messages queued with AddMessage (in this
// response or before it) as toasts inserted out of band into the page's
// message region. Use it instead of Render for htmx responses, so that
// messages show at once rather than on the next full page.
func (s *Site) RenderFragment(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	s.renderFragment(w, r, status, c)
}

func (s *Site) renderFragment(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	pending := pendingMessages(w) // queued by this response: shown now, not on the next page
	ms := append(takeMessages(w, r), pending...)
	s.render(w, r, status, templ.Join(c, views.Toasts(ms)))
}

// query is the list's current parameters as a query string, page included.
func (p *listParams[T]) query() string {
	if p.page == 1 {
		return p.values.Encode()
	}
	v := make(url.Values, len(p.values)+1)
	for k, vs := range p.values {
		v[k] = vs
	}
	v.Set(paramPage, pageParam(p.page))
	return v.Encode()
}
