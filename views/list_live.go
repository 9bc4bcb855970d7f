package views

import "strings"

// idSafe is a filter's parameter as the ids of its choices
// ("filter-choices-" + idSafe) and of its search box ("filter-search-" +
// idSafe) hold it: what is not a letter, a digit, "-" or "_" (an edge
// path's dot) written as "-".
func idSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
}
