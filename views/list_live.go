package views

import "strings"

// partialURL is the partial endpoint's URL for a link of the list: the
// same parameters, answered with the results only.
func partialURL(p ListPage, u string) string {
	if rest, ok := strings.CutPrefix(u, p.ListURL); ok {
		return p.ListURL + "partial/" + rest
	}
	return u
}

// filterChoicesID is the id of a filter's choices, filterSearchID of its
// search box: the filter's parameter with what is not a letter, a digit,
// "-" or "_" (an edge path's dot) written as "-".
func filterChoicesID(param string) string { return "filter-choices-" + idSafe(param) }

func filterSearchID(param string) string { return "filter-search-" + idSafe(param) }

func idSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}
