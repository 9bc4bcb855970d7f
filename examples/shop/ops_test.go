package main

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entadmin/entadmin/auth"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/rbac"
)

func TestTheRateLimitsPageShowsLoginThrottlingToThoseAllowedOnly(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	ctx := context.Background()
	// Five recent failures of mallory from one address block the pair; one
	// from another address blocks nothing.
	for i := range 6 {
		ip := "203.0.113.9"
		if i == 5 {
			ip = "198.51.100.4"
		}
		a.own.AuditEntry.Create().SetAction("login_failed").SetUserName("mallory").SetIP(ip).SetAt(time.Now().Add(-time.Duration(i) * time.Minute)).ExecX(ctx)
	}
	// Eve used a rate-limited rule three times.
	if err := a.enforcer.Grant(ctx, rbac.UserSubject(eveID), "product", "change"); err != nil {
		t.Fatal(err)
	}
	rule := a.own.PolicyRule.Query().Where(policyrule.V0(rbac.UserSubject(eveID)), policyrule.V1("product")).OnlyX(ctx)
	for range 3 {
		a.own.RuleUse.Create().SetRuleID(rule.ID).SetUserID(eveID).SetAt(time.Now().Add(-time.Hour)).ExecX(ctx)
	}
	hash, _ := password.Hash("root password")
	a.own.User.Create().SetUsername("root").SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(true).ExecX(ctx)
	root := login(t, eve.base, "root", "root password")

	status, body := root.do(http.MethodGet, "/ratelimits/", nil)
	if status != http.StatusOK {
		t.Fatalf("GET /ratelimits/ as the superuser: status %d", status)
	}
	for _, want := range []string{"the last 15 minutes", "mallory", "203.0.113.9", "198.51.100.4", "<td>5</td>", "<td>6</td>", " min</td>", "may change product", "<td>3</td>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the rate limits page lacks %q", want)
		}
	}
	if _, home := root.do(http.MethodGet, "/", nil); !strings.Contains(home, `href="/admin/ratelimits/"`) || !strings.Contains(home, `href="/admin/cache/"`) {
		t.Error("the superuser's navigation has no link to the login rate limits or the cache dashboard")
	}
	if _, home := eve.do(http.MethodGet, "/", nil); strings.Contains(home, `href="/admin/ratelimits/"`) {
		t.Error("eve's navigation links to the login rate limits, which she may not view")
	}
	if n := strings.Count(body, " min</td>"); n != 1 {
		t.Errorf("%d rows are blocked, want 1 (mallory from 203.0.113.9)", n)
	}

	// Eve, staff without the permission, is refused; granted it, she sees
	// the page.
	if status, body := eve.do(http.MethodGet, "/ratelimits/", nil); status != http.StatusForbidden || strings.Contains(body, "mallory") {
		t.Errorf("GET /ratelimits/ as eve, without the permission: status %d, want 403", status)
	}
	if err := a.enforcer.Grant(ctx, rbac.UserSubject(eveID), auth.RateLimitsResource, "view"); err != nil {
		t.Fatal(err)
	}
	if status, body := eve.do(http.MethodGet, "/ratelimits/", nil); status != http.StatusOK || !strings.Contains(body, "mallory") {
		t.Errorf("GET /ratelimits/ as eve, granted view on %q: status %d, want 200 and the failures", auth.RateLimitsResource, status)
	}
}

func TestMetricsMeasureRequestsAndShowNoUserData(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	ctx := context.Background()
	root := strings.TrimSuffix(eve.base, "/admin")
	p := a.db.client.Product.Query().FirstX(ctx)

	// A wrong password, a list, a save (audited) and a 404.
	anon := login(t, eve.base, "eve", "editor password")
	anon.http.Jar = nil
	if status, _ := anon.do(http.MethodPost, "/login/", url.Values{"username": {"Qx7intruder"}, "password": {"Qx7guess"}}); status != http.StatusUnauthorized {
		t.Fatalf("a wrong password: status %d", status)
	}
	if status, _ := eve.do(http.MethodGet, "/product/?q=Qx7search", nil); status != http.StatusOK {
		t.Fatalf("the product list: status %d", status)
	}
	form := url.Values{"name": {"Qx7renamed"}, "price": {"99999"}, "status": {"published"}, "stock_count": {"3"}}
	if status, body := eve.do(http.MethodPost, "/product/"+strconv.Itoa(p.ID)+"/", form); status != http.StatusSeeOther {
		t.Fatalf("saving product %d: status %d\n%s", p.ID, status, body)
	}
	eve.do(http.MethodGet, "/product/987654321/", nil)

	get := func(path string) (int, string) {
		c := *eve
		c.base = root
		c.http = http.DefaultClient
		return c.do(http.MethodGet, path, nil)
	}
	for _, probe := range []string{"/healthz", "/readyz"} {
		if status, _ := get(probe); status != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", probe, status)
		}
	}
	status, text := get("/metrics")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", status)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`entadmin_http_request_duration_seconds_count\{method="GET",route="/admin/\{slug\}",status="200"\} [1-9]`),
		regexp.MustCompile(`entadmin_http_request_duration_seconds_count\{method="POST",route="/admin/\{slug\}/\{id\}",status="303"\} 1\n`),
		regexp.MustCompile(`entadmin_http_request_duration_seconds_count\{method="GET",route="/admin/\{slug\}/\{id\}",status="404"\} 1\n`),
		regexp.MustCompile(`entadmin_http_request_sql_statements_sum\{route="/admin/\{slug\}"\} [1-9]`),
		regexp.MustCompile(`entadmin_login_failures_total 1\n`),
		regexp.MustCompile(`entadmin_login_throttled_total 0\n`),
		regexp.MustCompile(`entadmin_audit_writes_total [1-9]`),
		regexp.MustCompile(`entadmin_db_pool_total_conns [1-9]`),
		regexp.MustCompile(`entadmin_db_pool_acquires_total [1-9]`),
	} {
		if !want.MatchString(text) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	// Routes are chi's patterns (without their trailing slash), never paths.
	for _, private := range []string{"Qx7", `"eve"`, "editor", "/product", "127.0.0.1"} {
		if strings.Contains(text, private) {
			t.Errorf("/metrics shows %q", private)
		}
	}
}
