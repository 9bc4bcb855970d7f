package entadmin

import (
	"net/http"
	"net/url"
)

// paramChangelistFilters carries the list's parameters (search, filters,
// ordering, page) through the form and its redirects, so that saving goes
// back to the same list (Django's preserve_filters).
const paramChangelistFilters = "_changelist_filters"

// cleanListQuery re-encodes a list's query string taken from a request:
// only query parameters survive, never a path or a host, so the URL built
// from it stays the admin's list.
func cleanListQuery(raw string) string {
	if raw == "" {
		return ""
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return ""
	}
	v.Del(paramChangelistFilters)
	return v.Encode()
}

// changelistFilters returns the preserved list parameters of a form
// request, taken from its URL (the form posts to a URL that keeps them).
func changelistFilters(req *http.Request) string {
	return cleanListQuery(req.URL.Query().Get(paramChangelistFilters))
}

// listReturn is the list URL with the preserved parameters.
func listReturn(base, filters string) string {
	if filters = cleanListQuery(filters); filters != "" {
		return base + "?" + filters
	}
	return base
}

// keepFilters returns u carrying the preserved list parameters.
func keepFilters(u, filters string) string {
	if filters == "" {
		return u
	}
	return u + "?" + paramChangelistFilters + "=" + url.QueryEscape(filters) // as url.Values encodes it
}
