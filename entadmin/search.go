package entadmin

import (
	"fmt"
	"net/http"
	"strings"
	"unicode"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// searchField is one entry of SearchFields: a column and how the search
// text matches it, chosen by a prefix of the name as in Django.
type searchField struct {
	name   string
	column string
	mode   byte // 0 contains, '^' starts with, '=' equals, '@' full text
}

// parseSearchField splits a SearchFields entry into its mode and name.
func parseSearchField(s string) searchField {
	if s != "" && strings.IndexByte("^=@", s[0]) >= 0 {
		return searchField{name: s[1:], mode: s[0]}
	}
	return searchField{name: s}
}

// match returns the predicate of one search term on the field; every match
// ignores case.
func (sf searchField) match(column, term string) *sql.Predicate {
	switch sf.mode {
	case '^':
		return sql.HasPrefixFold(column, term)
	case '=':
		return sql.EqualFold(column, term)
	case '@':
		return fullText(column, term)
	}
	return sql.ContainsFold(column, term)
}

// anyMatch returns the predicate that the term matches one of the fields,
// whose columns are qualified: the text of sql.Or of their matches, which
// on PostgreSQL is written by one predicate rather than a predicate and a
// builder for each field. Its functions are one for the first field and
// one for the others, so that ent puts the predicate in parentheses
// wherever it puts sql.Or's with more than one field.
func anyMatch(d string, fields []searchField, columns []string, term string) *sql.Predicate {
	if d != dialect.Postgres {
		ors := make([]*sql.Predicate, len(fields))
		for i, sf := range fields {
			ors[i] = sf.match(columns[i], term)
		}
		return sql.Or(ors...)
	}
	first := func(b *sql.Builder) { fields[0].writeMatch(b, columns[0], term) }
	if len(fields) == 1 {
		return sql.P(first)
	}
	return sql.P(first, func(b *sql.Builder) {
		for i := 1; i < len(fields); i++ {
			b.WriteString(" OR ")
			fields[i].writeMatch(b, columns[i], term)
		}
	})
}

// writeMatch writes the text of match's predicate on PostgreSQL to b:
// ent's ILIKE of the escaped pattern for the contains and prefix modes,
// which need no builder of their own.
func (sf searchField) writeMatch(b *sql.Builder, column, term string) {
	switch sf.mode {
	case 0:
		b.Ident(column).WriteString(" ILIKE ").Arg("%" + strings.ToLower(escapeLike(term)) + "%")
	case '^':
		b.Ident(column).WriteString(" ILIKE ").Arg(strings.ToLower(escapeLike(term)) + "%")
	default:
		b.Join(sf.match(column, term))
	}
}

// escapeLike escapes the wildcards of LIKE and its escape character, the
// backslash, in s, as ent does for its LIKE predicates.
func escapeLike(s string) string {
	if !strings.ContainsAny(s, `%_\`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 4)
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fullText matches a word with PostgreSQL's full-text search (the 'simple'
// configuration, so it finds words in any language without stemming); on
// other databases it falls back to a case-insensitive substring match.
func fullText(column, term string) *sql.Predicate {
	return sql.P(func(b *sql.Builder) {
		if b.Dialect() != dialect.Postgres {
			b.Join(sql.ContainsFold(column, term))
			return
		}
		query := "plainto_tsquery"
		if strings.IndexFunc(term, unicode.IsSpace) >= 0 {
			query = "phraseto_tsquery" // a quoted phrase: its words in order
		}
		b.WriteString("to_tsvector('simple', ").WriteString(column).WriteString(") @@ ").WriteString(query).WriteString("('simple', ").Arg(term).WriteString(")")
	})
}

// searchTerms splits a search text into its terms as Django's admin does:
// words separated by white space, except that a phrase in double or single
// quotes is one term (a backslash escapes a quote inside it). A search of
// more than maxSearchTerms words, counted outside and inside quotes, is a
// badParam: each term adds a condition on every search field, so their
// number bounds the cost of the query.
func searchTerms(text string) ([]string, error) {
	if n := len(strings.Fields(text)); n > maxSearchTerms {
		return nil, badParam{fmt.Sprintf("a search may have at most %d words", maxSearchTerms)}
	}
	var terms []string
	for text != "" {
		text = strings.TrimLeftFunc(text, unicode.IsSpace)
		if text == "" {
			break
		}
		term, rest := nextTerm(text)
		if term != "" {
			terms = append(terms, term)
		}
		text = rest
	}
	return terms, nil
}

// nextTerm returns the term at the start of text, which starts with no
// white space, and the text after it. A quoted phrase that is not closed
// is read as ordinary words.
func nextTerm(text string) (term, rest string) {
	if q := text[0]; q == '"' || q == '\'' {
		var b strings.Builder
		for i := 1; i < len(text); i++ {
			switch c := text[i]; {
			case c == '\\' && i+1 < len(text):
				i++
				b.WriteByte(text[i])
			case c == q:
				return strings.TrimSpace(b.String()), text[i+1:]
			default:
				b.WriteByte(c)
			}
		}
	}
	end := strings.IndexFunc(text, unicode.IsSpace)
	if end < 0 {
		return text, ""
	}
	return text[:end], text[end:]
}

// searchPredicate returns the predicate of a search text: every term (see
// searchTerms) must match one of the search fields. The resource's
// SearchFunc, when set, gets it and has the last word.
func (r *Resource[T]) searchPredicate(req *http.Request, lc *listConfig[T], text string) (Predicate, error) {
	terms, err := searchTerms(text)
	if err != nil {
		return nil, err
	}
	var def Predicate
	if len(lc.search) > 0 {
		fields := lc.search
		def = func(s *sql.Selector) {
			columns := make([]string, len(fields))
			for i, sf := range fields {
				columns[i] = s.C(sf.column)
			}
			for _, term := range terms {
				s.Where(anyMatch(s.Dialect(), fields, columns, term))
			}
		}
	}
	if r.SearchFunc != nil {
		return r.SearchFunc(req, text, def)
	}
	return def, nil
}

// searchable reports whether the list has a search box.
func (lc *listConfig[T]) searchable(r *Resource[T]) bool {
	return len(lc.search) > 0 || r.SearchFunc != nil
}
