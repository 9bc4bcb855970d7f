package main

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin"
)

// inlineCode returns what of a page the default Content-Security-Policy
// would block: scripts and styles written into the page, and event handler
// attributes.
func inlineCode(t *testing.T, body string) []string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if strings.TrimSpace(s.Text()) != "" || s.AttrOr("src", "") == "" {
			found = append(found, "an inline <script>")
		}
	})
	if doc.Find("style").Length() > 0 {
		found = append(found, "a <style> element")
	}
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			if a.Key == "style" || strings.HasPrefix(a.Key, "on") || strings.HasPrefix(a.Key, "hx-on") ||
				strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "javascript:") {
				found = append(found, goquery.NodeName(s)+" "+a.Key+"="+strconv.Quote(a.Val))
			}
		}
	})
	return found
}

func TestEveryResponseCarriesTheSecurityHeadersAndPagesHaveNoInlineCode(t *testing.T) {
	t.Parallel()
	_, eve, eveID := shopWithUsers(t)
	anonymous := &browserless{t: t, base: eve.base, http: &http.Client{CheckRedirect: eve.http.CheckRedirect}}
	eveForm := "/user/" + strconv.Itoa(eveID) + "/"
	for _, c := range []struct {
		who    *browserless
		path   string
		status int
	}{
		{anonymous, "/login/", http.StatusOK},
		{anonymous, "/", http.StatusSeeOther},
		{eve, "/", http.StatusOK},
		{eve, "/product/", http.StatusOK},
		{eve, "/product/?q=a&o=-price", http.StatusOK},
		{eve, "/product/1/", http.StatusOK},
		{eve, "/product/1/history/", http.StatusOK},
		{eve, "/product/add/", http.StatusForbidden},
		{eve, eveForm, http.StatusOK},
		{eve, eveForm + "password/", http.StatusOK},
		{eve, "/logout/", http.StatusOK},
		{eve, "/no-such-page/", http.StatusNotFound},
		{eve, "/static/htmx.min.js", http.StatusOK},
		{eve, "/static/admin.css", http.StatusOK},
	} {
		req, _ := http.NewRequest("GET", c.who.base+c.path, nil)
		res, err := c.who.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != c.status {
			t.Errorf("GET %s: status %d, want %d", c.path, res.StatusCode, c.status)
		}
		for name, want := range entadmin.DefaultSecurityHeaders() {
			if got := res.Header.Get(name); got != want {
				t.Errorf("GET %s: %s = %q, want %q", c.path, name, got, want)
			}
		}
		if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			if found := inlineCode(t, string(body)); len(found) > 0 {
				t.Errorf("GET %s: the Content-Security-Policy would block %q", c.path, found)
			}
		}
	}
}
