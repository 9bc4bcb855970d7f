// Package sentence writes labels in sentence case, the one case of every
// label, title and message of the admin: "Add product", "12 categories",
// "IP address".
package sentence

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Acronyms are the words written in capitals wherever they stand, with
// their plurals ("IDs", "URLs").
var Acronyms = []string{
	"API", "CSS", "CSV", "DNS", "EAN", "HTML", "HTTP", "HTTPS", "ID", "IP", "ISBN", "JS", "JSON",
	"PDF", "RBAC", "SKU", "SMS", "SQL", "SSH", "TLS", "UPC", "URI", "URL", "UTC", "UUID", "VAT",
}

var acronyms = func() map[string]string {
	m := make(map[string]string, 2*len(Acronyms))
	for _, a := range Acronyms {
		m[strings.ToLower(a)] = a
		m[strings.ToLower(a)+"s"] = a + "s"
	}
	return m
}()

// Case returns s with its first letter upper case and its acronyms in
// capitals; the other letters are kept, so that names in s stay as they
// are.
func Case(s string) string {
	if s == "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, w := range strings.SplitAfter(s, " ") {
		word := strings.TrimRight(w, " ")
		core := strings.TrimFunc(word, func(r rune) bool { return !unicode.IsLetter(r) })
		if a, ok := acronyms[strings.ToLower(core)]; ok && (core == strings.ToLower(core) || core == upperFirst(strings.ToLower(core))) {
			w = strings.Replace(w, core, a, 1)
		}
		if i == 0 {
			w = upperFirst(w)
		}
		b.WriteString(w)
	}
	return b.String()
}

// upperFirst returns s with its first letter upper case.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
