package main

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// maxCrawl caps the requests of one user's crawl, maxVariants the
// queries of one path it requests (sorted, filtered, paged lists...).
const (
	maxCrawl    = 400
	maxVariants = 3
)

func TestNoPageShowsAUserWhatTheyMayNotSee(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	for _, role := range f.roles {
		t.Run(role.name, func(t *testing.T) {
			t.Parallel()
			seen := f.crawl(t, role)
			if role.superuser {
				// The superuser sees everything: the crawl reaches every canary.
				for name := range f.canaries {
					if !seen[name] {
						t.Errorf("the crawl never reached the %s, even as the superuser", name)
					}
				}
			}
		})
	}
}

// crawl requests, as the role, the pages that lead to every object of the
// fixture and then every page and fragment they link to, and reports each
// answer that shows the role a canary hidden from them. It returns the
// canaries it saw.
func (f *accessFixture) crawl(t *testing.T, role *accessRole) map[string]bool {
	t.Helper()
	queue, queued, variants := []string{}, map[string]bool{}, map[string]int{}
	htmx := map[string]bool{} // fragments, requested as htmx does
	add := func(raw string, fragment bool) {
		u, err := url.Parse(raw)
		if err != nil || !strings.HasPrefix(u.Path, "/admin/") || strings.HasPrefix(u.Path, "/admin/static/") || u.Host != "" && "http://"+u.Host != strings.TrimSuffix(f.base, "/admin") {
			return
		}
		key := u.Path
		if q := u.Query().Encode(); q != "" { // sorts the parameters
			key += "?" + q
		}
		if !queued[key] && variants[u.Path] < maxVariants {
			queued[key] = true
			variants[u.Path]++
			queue = append(queue, key)
			htmx[key] = fragment || strings.Contains(u.Path, "/partial/")
		}
	}
	for _, p := range f.crawlSeeds() {
		add("/admin"+p, false)
	}
	seen := map[string]bool{}
	reported := map[string]int{}
	for i := 0; i < len(queue) && i < maxCrawl; i++ {
		path := queue[i]
		r := f.fetch(t, role.client, http.MethodGet, strings.TrimPrefix(path, "/admin"), nil, htmx[path])
		if r.status >= 500 {
			t.Errorf("GET %s: status %d", path, r.status)
		}
		text := r.body
		for k, vs := range r.header {
			text += "\n" + k + ": " + strings.Join(vs, ", ")
		}
		for name, variants := range f.canaries {
			if !slices.ContainsFunc(variants, func(v string) bool { return strings.Contains(text, v) }) {
				continue
			}
			seen[name] = true
			if slices.Contains(role.hiddenCanaries, name) {
				if reported[name]++; reported[name] <= 3 {
					t.Errorf("GET %s (status %d) shows the %s", path, r.status, name)
				}
			}
		}
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			continue
		}
		base, _ := url.Parse(f.base + strings.TrimPrefix(path, "/admin"))
		for _, link := range pageLinks(r.body) {
			if u, err := base.Parse(link.url); err == nil {
				add(u.String(), link.htmx)
			}
		}
	}
	for name, n := range reported {
		if n > 3 {
			t.Errorf("... the %s on %d pages in all", name, n)
		}
	}
	if len(queue) > maxCrawl {
		t.Logf("crawled %d of %d pages found", maxCrawl, len(queue))
	}
	return seen
}

// crawlSeeds are the pages every crawl starts from: the dashboard, every
// resource's list, fragments, export, autocompletes and filter searches, every object of
// the fixture (in and out of the users' scopes, deleted) with its history
// and delete pages, the permission pages and the login rate limits.
func (f *accessFixture) crawlSeeds() []string {
	seeds := []string{"/", "/cache/", "/cache/json", "/rbac/", "/rbac/audit/", "/rbac/tree/", "/rbac/export/", "/rbac/check/?user=" + f.ids["user"][idIn] + "&resource=product&action=view", "/ratelimits/"}
	slugs := map[string]bool{}
	for _, info := range f.a.site.Resources() {
		slugs[info.Slug] = true
	}
	for _, info := range f.a.site.Resources() {
		s := "/" + info.Slug + "/"
		seeds = append(seeds, s, s+"partial/", s+"export/")
		for _, field := range info.Fields {
			if slugs[field] || slugs[strings.TrimSuffix(field, "s")] || field == "parent" {
				seeds = append(seeds, s+"autocomplete/?q=&field="+field)
				// The edge filter's search, its first choices and a search
				// of the canaries' prefix.
				seeds = append(seeds, s+"filter-choices/?_filter="+field+"&_filter_q=", s+"filter-choices/?_filter="+field+"&_filter_q=Qx7")
			}
		}
		for _, kind := range []string{idIn, idOut, idDeleted} {
			o := s + f.ids[info.Slug][kind] + "/"
			seeds = append(seeds, o, o+"history/", o+"delete/", o+"confirm-delete/")
		}
	}
	for _, kind := range []string{idIn, idOut} {
		seeds = append(seeds, fmt.Sprintf("/rbac/effective/%s/", f.ids["user"][kind]))
	}
	return seeds
}

// pageLink is a URL a page lets a browser GET; htmx when htmx requests it.
type pageLink struct {
	url  string
	htmx bool
}

// pageLinks returns what a page lets a browser GET: links, htmx GETs, and
// forms with method GET submitted with their default values.
func pageLinks(body string) []pageLink {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return nil
	}
	var links []pageLink
	doc.Find("a[href], [hx-get]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"href", "hx-get"} {
			if v, ok := s.Attr(attr); ok && !strings.HasPrefix(v, "#") && !strings.HasPrefix(v, "javascript:") {
				links = append(links, pageLink{url: v, htmx: attr == "hx-get"})
			}
		}
	})
	doc.Find("form").Each(func(_ int, form *goquery.Selection) {
		if m, _ := form.Attr("method"); !strings.EqualFold(m, "get") {
			return
		}
		action, _ := form.Attr("action")
		links = append(links, pageLink{url: action + "?" + formValues(form).Encode()})
	})
	return links
}

// formValues returns what a browser submits of a form left as it is.
func formValues(form *goquery.Selection) url.Values {
	values := url.Values{}
	form.Find("input[name], select[name], textarea[name]").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		switch {
		case in.Is("select"):
			opts := in.Find("option[selected]")
			if opts.Length() == 0 && !in.Is("[multiple]") {
				opts = in.Find("option").First()
			}
			opts.Each(func(_ int, o *goquery.Selection) { values.Add(name, o.AttrOr("value", o.Text())) })
		case in.Is("textarea"):
			values.Add(name, in.Text())
		default:
			switch strings.ToLower(in.AttrOr("type", "text")) {
			case "submit", "button", "image", "reset", "file":
			case "checkbox", "radio":
				if _, checked := in.Attr("checked"); checked {
					values.Add(name, in.AttrOr("value", "on"))
				}
			default:
				values.Add(name, in.AttrOr("value", ""))
			}
		}
	})
	return values
}
