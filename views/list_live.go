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
