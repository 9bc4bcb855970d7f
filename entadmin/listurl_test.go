package entadmin

import (
	"net/url"
	"testing"
)

// TestListURLEncodesAsValues checks that the list's links are written as
// url.Values.Encode writes them, with the parameters changed as url.Values'
// Set and Del change them, whatever the page and the changes.
func TestListURLEncodesAsValues(t *testing.T) {
	t.Parallel()
	// want is the list URL as a copy of the parameters in a url.Values
	// writes it.
	want := func(p *listParams[int], base string, kv ...string) string {
		v := url.Values{}
		for k, vs := range p.values {
			v[k] = vs
		}
		if p.page > 1 || p.page < 0 {
			v.Set(paramPage, pageParam(p.page))
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i] != paramPage {
				v.Del(paramPage)
			}
			if kv[i+1] == "" || kv[i] == paramPage && kv[i+1] == "1" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		if len(v) == 0 {
			return base
		}
		return base + "?" + v.Encode()
	}
	values := []url.Values{
		{},
		{"q": {"red oak"}},
		{"q": {"a&b=c/ é"}, "o": {"-price,name"}, "status": {"in_stock"}, "category": {"12"}},
		{"created_at__year": {"2026"}, "created_at__month": {"3"}, "_facets": {"1"}},
		{"multi": {"b", "a"}, "z": {"+"}},
	}
	changes := [][]string{
		nil,
		{paramPage, "2"},
		{paramPage, "1"},
		{paramPage, "last"},
		{"status", ""},
		{"status", "out of stock"},
		{"q", ""},
		{paramOrder, "name,-price"},
		{"after", "xyz=", paramPage, "7"},
		{paramPage, "3", "category", "4"},
		{"created_at__year", "", "created_at__month", "", "created_at__day", ""},
		{"multi", "c"},
	}
	for _, v := range values {
		for _, page := range []int{1, 2, -1, -3} {
			p := &listParams[int]{values: v, page: page}
			for _, kv := range changes {
				if got, want := p.url("/admin/product/", kv...), want(p, "/admin/product/", kv...); got != want {
					t.Errorf("values %v page %d changes %q: url = %q, want %q", v, page, kv, got, want)
				}
			}
		}
	}
}
