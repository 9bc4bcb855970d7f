package entadmin

import (
	"reflect"
	"testing"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
	"github.com/google/go-cmp/cmp"
)

func TestSearchTermsReadQuotedPhrasesAsOneTerm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, text string
		want       []string
	}{
		{"words are terms", "steel coat", []string{"steel", "coat"}},
		{"a double-quoted phrase is one term", `"steel coat" rack`, []string{"steel coat", "rack"}},
		{"a single-quoted phrase is one term", `'steel  coat'`, []string{"steel  coat"}},
		{"a backslash escapes a quote", `"say \"hi\"" 'it\'s'`, []string{`say "hi"`, "it's"}},
		{"an unclosed quote is a word", `"steel coat`, []string{`"steel`, "coat"}},
		{"an empty phrase is no term", `"" x '  '`, []string{"x"}},
		{"a quote inside a word is kept", `o"neil`, []string{`o"neil`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := searchTerms(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("searchTerms(%q) (-want +got):\n%s", tc.text, diff)
			}
		})
	}
}

func TestSearchTermsCountTheWordsInsidePhrases(t *testing.T) {
	t.Parallel()
	if _, err := searchTerms(`"a b c d e f g h i j k"`); err == nil {
		t.Fatal("a phrase of 11 words passes")
	}
	if _, err := searchTerms(`"a b c d e" f g h i j`); err != nil {
		t.Fatalf("10 words: %v", err)
	}
}

// TestAnyMatchWritesWhatOrWrites checks that a search term's predicate is
// written as sql.Or of the fields' matches is, alone, before and after
// another condition, with the same arguments, on both dialects.
func TestAnyMatchWritesWhatOrWrites(t *testing.T) {
	terms := []string{"red", "Oak", "50%_off", `back\slash`, "Ünïcode", "bad\xffutf8_%"}
	fieldSets := [][]searchField{
		{parseSearchField("name")},
		{parseSearchField("name"), parseSearchField("^brand")},
		{parseSearchField("name"), parseSearchField("=sku"), parseSearchField("@description"), parseSearchField("^brand")},
	}
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		for _, fields := range fieldSets {
			for _, term := range terms {
				for _, other := range []string{"none", "before", "after"} {
					statement := func(where func(s *sql.Selector, columns []string) *sql.Predicate) (string, []any) {
						s := sql.Dialect(d).Select("id").From(sql.Table("products"))
						if other == "before" {
							s.Where(sql.EQ(s.C("status"), "on"))
						}
						columns := make([]string, len(fields))
						for i, sf := range fields {
							columns[i] = s.C(sf.name)
						}
						s.Where(where(s, columns))
						if other == "after" {
							s.Where(sql.GT(s.C("price"), 1))
						}
						return s.Query()
					}
					want, wantArgs := statement(func(_ *sql.Selector, columns []string) *sql.Predicate {
						ors := make([]*sql.Predicate, len(fields))
						for i, sf := range fields {
							ors[i] = sf.match(columns[i], term)
						}
						return sql.Or(ors...)
					})
					got, gotArgs := statement(func(s *sql.Selector, columns []string) *sql.Predicate {
						return anyMatch(s.Dialect(), fields, columns, term)
					})
					if got != want || !reflect.DeepEqual(gotArgs, wantArgs) {
						t.Errorf("%s %q, other condition %s: %s %v, want %s %v", d, term, other, got, gotArgs, want, wantArgs)
					}
				}
			}
		}
	}
}
