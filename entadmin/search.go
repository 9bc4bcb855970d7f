package entadmin

import (
	"fmt"
	"net/http"
	"strings"

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

// fullText matches a word with PostgreSQL's full-text search (the 'simple'
// configuration, so it finds words in any language without stemming); on
// other databases it falls back to a case-insensitive substring match.
func fullText(column, term string) *sql.Predicate {
	return sql.P(func(b *sql.Builder) {
		if b.Dialect() != dialect.Postgres {
			b.Join(sql.ContainsFold(column, term))
			return
		}
		b.WriteString("to_tsvector('simple', ").WriteString(column).WriteString(") @@ plainto_tsquery('simple', ").Arg(term).WriteString(")")
	})
}

// searchTerms splits a search text into its words, separated by white
// space as in Django's admin. A search of more than maxSearchTerms words is
// a badParam: each word adds a condition on every search field, so their
// number bounds the cost of the query.
func searchTerms(text string) ([]string, error) {
	var terms []string
	for term := range strings.FieldsSeq(text) {
		if len(terms) == maxSearchTerms {
			return nil, badParam{fmt.Sprintf("a search may have at most %d words", maxSearchTerms)}
		}
		terms = append(terms, term)
	}
	return terms, nil
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
			for _, term := range terms {
				ors := make([]*sql.Predicate, len(fields))
				for i, sf := range fields {
					ors[i] = sf.match(s.C(sf.column), term)
				}
				s.Where(sql.Or(ors...))
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
