package main

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/policy/condition"
	"github.com/entadmin/entadmin/rbac"
)

func TestTheAdminChecksConditionsWithTheRequestsClientAddressAndCountsUses(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	oscarID := newStaff(t, a, "oscar")
	oscar := rbac.UserSubject(oscarID)
	for _, g := range []struct {
		resource, action string
		c                *condition.Set
	}{
		{"tag", "view", &condition.Set{CIDR: []string{"127.0.0.0/8", "::1/128"}}},
		{"category", "view", &condition.Set{CIDR: []string{"10.0.0.0/8"}}},
		{"product", "view", nil},
		{"product", "change", &condition.Set{Rate: &condition.Rate{Max: 1, Window: "1h"}}},
	} {
		if err := a.enforcer.GrantIf(ctx, oscar, g.resource, g.action, g.c); err != nil {
			t.Fatal(err)
		}
	}
	b := login(t, eve.base, "oscar", "pw of oscar")
	if status, _ := b.do("GET", "/tag/", nil); status != http.StatusOK {
		t.Errorf("tags from 127.0.0.1: status %d, want 200", status)
	}
	status, body := b.do("GET", "/category/", nil)
	if status != http.StatusForbidden || !strings.Contains(strings.ToLower(body), "“view” permission on categories") {
		t.Errorf("categories from outside 10.0.0.0/8: status %d, want 403\n%s", status, body)
	}
	p := a.db.client.Product.Query().FirstX(ctx)
	form := url.Values{"name": {"once"}, "price": {"3"}, "status": {"published"}, "stock_count": {"1"}}
	path := "/product/" + strconv.Itoa(p.ID) + "/"
	for i := range 3 { // looking does not use the permission
		if status, body := b.do("GET", path, nil); status != http.StatusOK || !strings.Contains(body, `type="submit"`) {
			t.Fatalf("look %d: status %d, or the form is read-only", i, status)
		}
	}
	if status, _ := b.do("POST", path, form); status != http.StatusSeeOther {
		t.Fatalf("the first change: status %d", status)
	}
	form.Set("name", "twice")
	if status, _ := b.do("POST", path, form); status != http.StatusForbidden {
		t.Errorf("the second change within the hour: status %d, want 403", status)
	}
	if got := a.db.client.Product.GetX(ctx, p.ID).Name; got != "once" {
		t.Errorf("name = %q, want the first change only", got)
	}
}
