package entadmin

import (
	"encoding/base64"
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"net/http"
	"net/url"
)

// The bounds of a request's address, checked before any other work is done
// for it (see withLimits).
const (
	// maxQueryBytes bounds the query string, as sent (percent-encoded).
	maxQueryBytes = 8 << 10
	// maxValueBytes bounds one parameter's value, decoded; a search text
	// included.
	maxValueBytes = 2 << 10
	// maxSearchTerms bounds the words of a search.
	maxSearchTerms = 10
	// maxCursorJSON bounds a keyset cursor, decoded from base64.
	maxCursorJSON = 4 << 10
)

// maxCursorBytes bounds a keyset cursor as sent: the base64 of the largest
// cursor decodeCursor accepts.
var maxCursorBytes = base64.RawURLEncoding.EncodedLen(maxCursorJSON)

// withLimits refuses (400) a request whose path or query string is not
// valid text or exceeds the bounds above, so that no parsing, permission
// check or SQL is ever spent on it.
func (s *Site) withLimits(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkRequestURL(r.URL); err != nil {
			s.error(w, r, http.StatusBadRequest, err.Error())
			return
		}
		next.ServeHTTP(w, r)
	})
}

// errInvalidAddress refuses a path or query string that is not valid text.
const errInvalidAddress = inputError("The address contains characters that are not valid text.")

// checkRequestURL returns, as a sentence for the user, why the path or
// query string of a request is refused, or nil.
func checkRequestURL(u *url.URL) error {
	if !store.ValidText(u.Path) {
		return errInvalidAddress
	}
	if len(u.RawQuery) > maxQueryBytes {
		return inputError(fmt.Sprintf("The address is too long: its parameters may take at most %d KB.", maxQueryBytes>>10))
	}
	values, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return inputError("The address's parameters are malformed.")
	}
	for k, vs := range values {
		if !store.ValidText(k) {
			return errInvalidAddress
		}
		limit := maxValueBytes
		if k == paramAfter || k == paramBefore {
			limit = maxCursorBytes
		}
		for _, v := range vs {
			switch {
			case !store.ValidText(v):
				return inputError(fmt.Sprintf("The parameter %q contains characters that are not valid text.", k))
			case len(v) > limit:
				return inputError(fmt.Sprintf("The parameter %q is too long: it may take at most %d KB.", k, limit>>10))
			}
			if k == paramSearch {
				if _, err := searchTerms(v); err != nil {
					return inputError(fmt.Sprintf("The search has too many words: search for at most %d at a time.", maxSearchTerms))
				}
			}
		}
	}
	return nil
}
