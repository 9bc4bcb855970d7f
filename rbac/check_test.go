package rbac_test

import (
	"context"
	"errors"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/policy/condition"
	"github.com/entadmin/entadmin/rbac"
)

// monday0930Berlin is Monday 30 November 2026, 09:30 in Berlin.
var monday0930Berlin = time.Date(2026, 11, 30, 8, 30, 0, 0, time.UTC)

// checkCase is one Check and what it must answer.
type checkCase struct {
	name   string
	req    rbac.Request
	allow  bool
	failed string // a part of the reason of the failed condition, when denied
}

// run checks each case against e.
func runChecks(t *testing.T, e *rbac.Enforcer, cases []checkCase) {
	t.Helper()
	for _, c := range cases {
		x, err := e.Check(t.Context(), c.req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if x.Allowed != c.allow {
			t.Errorf("%s: allowed = %v, want %v (%s)", c.name, x.Allowed, c.allow, x.Reason)
		}
		if c.failed != "" && !strings.Contains(x.Reason, c.failed) {
			t.Errorf("%s: the reason %q does not say %q", c.name, x.Reason, c.failed)
		}
	}
}

func grantIf(t *testing.T, e *rbac.Enforcer, subject, resource, action string, c *condition.Set) {
	t.Helper()
	if err := e.GrantIf(t.Context(), subject, resource, action, c); err != nil {
		t.Fatal(err)
	}
}

func TestConditionOnTheClientAddress(t *testing.T) {
	f := newFixture(t, testdb.Postgres(t))
	e := f.enforcer(t)
	grantIf(t, e, rbac.GroupSubject(f.editors), "product", "view", &condition.Set{CIDR: []string{"10.0.0.0/8", "2001:db8::/32"}})
	req := func(addr string) rbac.Request {
		r := rbac.Request{UserID: f.alice, Resource: "product", Action: "view"}
		if addr != "" {
			r.ClientAddr = netip.MustParseAddr(addr)
		}
		return r
	}
	runChecks(t, e, []checkCase{
		{"an address inside the range", req("10.1.2.3"), true, ""},
		{"an IPv6 address inside the range", req("2001:db8::1"), true, ""},
		{"an address outside", req("192.168.1.1"), false, "the client address 192.168.1.1 is outside 10.0.0.0/8, 2001:db8::/32"},
		{"no address", req(""), false, "the client address unknown is outside"},
	})
	if e.Allowed(f.alice, "product", "view") {
		t.Error("Allowed, which knows no address, passed an address condition")
	}
}

func TestConditionOnTheTimeOfDayAndWeekday(t *testing.T) {
	f := newFixture(t, testdb.Postgres(t))
	e := f.enforcer(t)
	grantIf(t, e, rbac.GroupSubject(f.staff), "product", "change", &condition.Set{Time: &condition.Window{
		From: "09:00", To: "17:00", Days: []string{"mon", "tue", "wed", "thu", "fri"}, Zone: "Europe/Berlin"}})
	grantIf(t, e, rbac.UserSubject(f.bob), "order", "view", &condition.Set{Time: &condition.Window{From: "22:00", To: "06:00", Days: []string{"sat"}}})
	at := func(user int, resource, action string, tm time.Time) rbac.Request {
		return rbac.Request{UserID: user, Resource: resource, Action: action, Time: tm}
	}
	runChecks(t, e, []checkCase{
		{"Monday 09:30 in Berlin", at(f.bob, "product", "change", monday0930Berlin), true, ""},
		{"Monday 08:30 in Berlin (07:30 UTC)", at(f.bob, "product", "change", monday0930Berlin.Add(-time.Hour)), false, "outside the time window 09:00–17:00"},
		{"Monday 17:00 in Berlin: the end is exclusive", at(f.bob, "product", "change", monday0930Berlin.Add(7*time.Hour+30*time.Minute)), false, "outside the time window"},
		{"Saturday 10:00 in Berlin", at(f.bob, "product", "change", monday0930Berlin.Add(5*24*time.Hour)), false, "outside the time window"},
		{"through the hierarchy: alice in chief", at(f.alice, "product", "change", monday0930Berlin), true, ""},
		{"Saturday 23:00 UTC, a window over midnight", at(f.bob, "order", "view", time.Date(2026, 11, 28, 23, 0, 0, 0, time.UTC)), true, ""},
		{"Sunday 05:00 UTC, its end", at(f.bob, "order", "view", time.Date(2026, 11, 29, 5, 0, 0, 0, time.UTC)), true, ""},
		{"Sunday 23:00 UTC, not a Saturday night", at(f.bob, "order", "view", time.Date(2026, 11, 29, 23, 0, 0, 0, time.UTC)), false, "outside"},
	})
}

func TestConditionsOnAttributesOfTheUserAndTheObject(t *testing.T) {
	f := newFixture(t, testdb.Postgres(t))
	departments := map[string]string{"alice": "sales", "bob": "it"}
	owners := map[string]string{} // product id → owner's user id
	e := f.enforcer(t,
		rbac.WithUserAttribute("department", func(_ context.Context, u *ent.User) (string, error) { return departments[u.Username], nil }),
		rbac.WithObjectAttribute("product", "owner", func(_ context.Context, id string) (string, error) {
			if id == "500" {
				return "", errors.New("database down")
			}
			return owners[id], nil
		}))
	owners["7"] = strconv.Itoa(f.bob)
	owners["8"] = strconv.Itoa(f.alice)
	grantIf(t, e, rbac.GroupSubject(f.staff), "report", "view", &condition.Set{Attrs: []condition.Attr{{On: "user", Name: "department", Op: "eq", Value: "sales"}}})
	grantIf(t, e, rbac.GroupSubject(f.staff), "product", "delete", &condition.Set{Attrs: []condition.Attr{{On: "object", Name: "owner", Op: "eq", User: "id"}}})
	grantIf(t, e, rbac.GroupSubject(f.staff), "invoice", "view", &condition.Set{Attrs: []condition.Attr{{On: "user", Name: "username", Op: "in", Values: []string{"bob", "carol"}}}})
	runChecks(t, e, []checkCase{
		{"user.department == sales, for alice in sales", rbac.Request{UserID: f.alice, Resource: "report", Action: "view"}, true, ""},
		{"for bob in it", rbac.Request{UserID: f.bob, Resource: "report", Action: "view"}, false, `user.department eq "sales" does not hold (user.department is "it")`},
		{"object.owner == user.id, bob's product", rbac.Request{UserID: f.bob, Resource: "product", Action: "delete", ObjectID: "7"}, true, ""},
		{"alice's product", rbac.Request{UserID: f.bob, Resource: "product", Action: "delete", ObjectID: "8"}, false, "object.owner eq user.id does not hold"},
		{"without an object", rbac.Request{UserID: f.bob, Resource: "product", Action: "delete"}, false, "needs an object"},
		{"username in a list", rbac.Request{UserID: f.bob, Resource: "invoice", Action: "view"}, true, ""},
		{"not in the list", rbac.Request{UserID: f.alice, Resource: "invoice", Action: "view"}, false, "user.username in"},
	})
	if _, err := e.Check(t.Context(), rbac.Request{UserID: f.bob, Resource: "product", Action: "delete", ObjectID: "500"}); err == nil || !strings.Contains(err.Error(), "database down") {
		t.Errorf("a failing accessor gave %v, want its error", err)
	}
}

func TestRateLimitsCountUsesInTheDatabaseAcrossInstances(t *testing.T) {
	f := newFixture(t, testdb.Postgres(t))
	now := monday0930Berlin
	clock := func() time.Time { return now }
	e1 := f.enforcer(t, rbac.WithClock(clock))
	e2 := f.enforcer(t, rbac.WithClock(clock)) // another instance
	grantIf(t, e1, rbac.GroupSubject(f.staff), "product", "change", &condition.Set{Rate: &condition.Rate{Max: 2, Window: "1h"}})
	if err := e2.Reload(t.Context()); err != nil {
		t.Fatal(err)
	}
	use := rbac.Request{UserID: f.bob, Resource: "product", Action: "change", Use: true}
	look := rbac.Request{UserID: f.bob, Resource: "product", Action: "change"}
	runChecks(t, e1, []checkCase{{"the first use", use, true, ""}, {"looking does not count", look, true, ""}, {"looking again", look, true, ""}})
	runChecks(t, e2, []checkCase{{"the second use, on the other instance", use, true, ""}})
	runChecks(t, e1, []checkCase{
		{"the third use", use, false, "the rate limit of 2 uses per 1h is reached"},
		{"alice has her own count", rbac.Request{UserID: f.alice, Resource: "product", Action: "change", Use: true}, true, ""},
	})
	runChecks(t, e2, []checkCase{{"looking, once the limit is reached", look, false, "rate limit"}})
	now = now.Add(61 * time.Minute)
	runChecks(t, e1, []checkCase{{"an hour later", use, true, ""}})
}

func TestCustomRulesAndDenyRulesWithConditions(t *testing.T) {
	f := newFixture(t, testdb.Postgres(t))
	e := f.enforcer(t, rbac.WithRule("not_carol", func(_ context.Context, req rbac.Request) (bool, string, error) {
		if req.UserID == f.carol {
			return false, "carol is on leave", nil
		}
		return true, "", nil
	}))
	grantIf(t, e, rbac.GroupSubject(f.staff), "product", "view", nil)
	grantIf(t, e, rbac.UserSubject(f.carol), "product", "view", &condition.Set{Custom: []string{"not_carol"}})
	grantIf(t, e, rbac.UserSubject(f.bob), "product", "add", &condition.Set{Custom: []string{"not_carol"}})
	// A deny applies only while its conditions hold: bob may not view
	// products from outside the office.
	f.client.PolicyRule.Create().SetPtype("p").SetV0(rbac.UserSubject(f.bob)).SetV1("product").SetV2("view").SetV3("deny").
		SetConditions(&condition.Set{CIDR: []string{"0.0.0.0/0"}}).ExecX(t.Context())
	if err := e.Reload(t.Context()); err != nil {
		t.Fatal(err)
	}
	grantIf(t, e, rbac.UserSubject(f.bob), "office", "view", nil)
	runChecks(t, e, []checkCase{
		{"a custom rule that holds", rbac.Request{UserID: f.bob, Resource: "product", Action: "add"}, true, ""},
		{"a custom rule that fails", rbac.Request{UserID: f.carol, Resource: "product", Action: "view"}, false, `the custom rule "not_carol" failed: carol is on leave`},
		{"a deny whose condition holds", rbac.Request{UserID: f.bob, Resource: "product", Action: "view", ClientAddr: netip.MustParseAddr("192.0.2.1")}, false, "denied by the rule of user:"},
		{"a deny whose condition fails", rbac.Request{UserID: f.bob, Resource: "product", Action: "view"}, true, ""},
	})
}

func TestConditionsAreValidatedBeforeTheyAreStored(t *testing.T) {
	f := newFixture(t, testdb.Postgres(t))
	e := f.enforcer(t, rbac.WithUserAttribute("department", func(context.Context, *ent.User) (string, error) { return "", nil }))
	for _, c := range []struct {
		name string
		set  condition.Set
		want string
	}{
		{"a bad range", condition.Set{CIDR: []string{"10.0.0/8"}}, `address range "10.0.0/8" is neither an address nor CIDR notation`},
		{"a bad time", condition.Set{Time: &condition.Window{From: "9am", To: "17:00"}}, `"9am" is not a time like 09:00`},
		{"a bad day", condition.Set{Time: &condition.Window{Days: []string{"monday"}}}, `day "monday" is not one of`},
		{"an unknown zone", condition.Set{Time: &condition.Window{Zone: "Mars/Olympus"}}, `unknown time zone "Mars/Olympus"`},
		{"an unknown operator", condition.Set{Attrs: []condition.Attr{{On: "user", Name: "department", Op: "like", Value: "s"}}}, `op must be "eq", "ne", "in" or "not_in", not "like"`},
		{"an unknown user attribute", condition.Set{Attrs: []condition.Attr{{On: "user", Name: "dept", Op: "eq", Value: "s"}}}, `unknown user attribute "dept"`},
		{"an unknown object attribute", condition.Set{Attrs: []condition.Attr{{On: "object", Name: "owner", Op: "eq", User: "id"}}}, `unknown attribute "owner" of product objects`},
		{"a zero rate", condition.Set{Rate: &condition.Rate{Max: 0, Window: "1h"}}, "max must be at least 1"},
		{"a bad window", condition.Set{Rate: &condition.Rate{Max: 3, Window: "1 hour"}}, `window "1 hour" is not a positive duration`},
		{"an unknown custom rule", condition.Set{Custom: []string{"nope"}}, `unknown custom rule "nope"`},
	} {
		err := e.GrantIf(t.Context(), rbac.GroupSubject(f.staff), "product", "view", &c.set)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.name, err, c.want)
		}
	}
	if n := f.client.PolicyRule.Query().CountX(t.Context()); n != 0 {
		t.Errorf("%d invalid rules were stored", n)
	}
}
