package entadmin

import (
	"testing"

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
