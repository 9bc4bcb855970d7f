package views_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/views"
)

// An unclosed rule swallows every rule after it, so whole screens lose their
// styles without any error in the browser.
func TestStylesheetRulesAreClosed(t *testing.T) {
	css, err := fs.ReadFile(views.Static(), "admin.css")
	if err != nil {
		t.Fatal(err)
	}
	depth := 0
	for i, line := range strings.Split(string(css), "\n") {
		depth += strings.Count(line, "{") - strings.Count(line, "}")
		if depth < 0 {
			t.Fatalf("admin.css:%d closes a rule that is not open", i+1)
		}
	}
	if depth != 0 {
		t.Fatalf("admin.css leaves %d rule(s) open", depth)
	}
}
