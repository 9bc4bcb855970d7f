package main

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/policy/condition"
	"github.com/entadmin/entadmin/rbac"
)

func TestTheRBACPagesAreClosedToUsersWithoutTheirPermission(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	ctx := context.Background()
	pages := []string{"/rbac/", "/rbac/effective/" + strconv.Itoa(eveID) + "/", "/rbac/effective/", "/rbac/check/?user=1&action=view&resource=product",
		"/rbac/tree/", "/rbac/export/", "/rbac/import/"}
	for _, p := range pages {
		if status, body := eve.do("GET", p, nil); status != http.StatusForbidden || strings.Contains(body, "entadmin_policy") {
			t.Errorf("eve GET %s: status %d, want 403", p, status)
		}
	}
	doc := `{"version":1,"groups":[{"name":"eve's own"}],"memberships":[{"user":"eve","group":"eve's own"}],"grants":[],"field_grants":[],"object_grants":[]}`
	if status, _ := eve.do("POST", "/rbac/import/", url.Values{"document": {doc}, "mode": {"merge"}}); status != http.StatusForbidden {
		t.Errorf("eve POST /rbac/import/: status %d, want 403", status)
	}
	// With the dedicated permission, every page but the import opens.
	if err := a.enforcer.Grant(ctx, rbac.UserSubject(eveID), "rbac", "view"); err != nil {
		t.Fatal(err)
	}
	for _, p := range pages[:6] {
		if status, _ := eve.do("GET", p, nil); status != http.StatusOK && status != http.StatusSeeOther {
			t.Errorf("eve with view on rbac: GET %s: status %d, want 200", p, status)
		}
	}
	for _, m := range []string{"GET", "POST"} {
		if status, _ := eve.do(m, "/rbac/import/", url.Values{"document": {doc}, "mode": {"merge"}}); status != http.StatusForbidden {
			t.Errorf("eve with view on rbac: %s /rbac/import/: status %d, want 403", m, status)
		}
	}
	if a.own.Group.Query().Where(group.Name("eve's own")).ExistX(ctx) {
		t.Error("a forged import was written")
	}
}

func TestTheRBACPagesExplainThePolicy(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	root, _ := superuser(t, a, eve.base)
	ctx := context.Background()
	eveSub := rbac.UserSubject(eveID)
	if err := a.enforcer.GrantIf(ctx, eveSub, "tag", "view", &condition.Set{CIDR: []string{"10.0.0.0/8"}}); err != nil {
		t.Fatal(err)
	}
	p := a.db.client.Product.Query().FirstX(ctx)
	a.own.ObjectGrant.Create().SetUserID(eveID).SetResource("product").SetObjectID(strconv.Itoa(p.ID)).SetAction("delete").ExecX(ctx)
	a.own.ObjectGrant.Create().SetUserID(eveID).SetResource("product").SetObjectID("999999").SetAction("view").ExecX(ctx)
	a.own.PolicyRule.Create().SetPtype("p").SetV0("group:4242").SetV1("product").SetV2("view").SetV3("allow").ExecX(ctx)

	_, summary := root.do("GET", "/rbac/", nil)
	for _, want := range []string{"Active sessions", "Object grants", "its subject group:4242 does not exist", "product 999999 no longer exists", `href="/admin/rbac/audit/"`, "resources ("} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q", want)
		}
	}

	_, eff := root.do("GET", "/rbac/effective/"+strconv.Itoa(eveID)+"/", nil)
	for _, want := range []string{"group:", "(editors) → group:", "(staff)", "cost_price", "hidden", "from 10.0.0.0/8", strconv.Itoa(p.ID)} {
		if !strings.Contains(eff, want) {
			t.Errorf("the effective permissions lack %q", want)
		}
	}

	check := func(q url.Values) string {
		t.Helper()
		status, body := root.do("GET", "/rbac/check/?"+q.Encode(), nil)
		if status != http.StatusOK {
			t.Fatalf("check %v: status %d", q, status)
		}
		return body
	}
	eveQ := func(action, resource, object, addr string) url.Values {
		return url.Values{"user": {strconv.Itoa(eveID)}, "action": {action}, "resource": {resource}, "object": {object}, "address": {addr}}
	}
	for _, c := range []struct {
		q    url.Values
		want []string
	}{
		{eveQ("change", "product", "", ""), []string{"Allowed", "(editors)"}},
		{eveQ("delete", "product", "", ""), []string{"Allowed", "on some objects only"}},
		{eveQ("delete", "product", strconv.Itoa(p.ID), ""), []string{"Allowed", "allowed by an object grant of user “eve”"}},
		{eveQ("delete", "tag", "", ""), []string{"Denied", "no rule grants delete on tag to user “eve”"}},
		{eveQ("view", "tag", "", "192.0.2.1"), []string{"Denied", "Conditions that failed", "the client address 192.0.2.1 is outside 10.0.0.0/8"}},
		{eveQ("view", "tag", "", "10.1.1.1"), []string{"Allowed"}},
	} {
		body := check(c.q)
		if strings.Contains(body, rbac.UserSubject(eveID)+"<") || strings.Contains(body, rbac.UserSubject(eveID)+" ") {
			t.Errorf("check %v: the answer names eve %s", c.q, rbac.UserSubject(eveID))
		}
		for _, want := range c.want {
			if !strings.Contains(body, want) {
				t.Errorf("check %v: the answer lacks %q", c.q, want)
			}
		}
	}
	if status, body := root.do("GET", "/rbac/check/?"+eveQ("", "nope", "", "x").Encode(), nil); status != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "Enter an action") || !strings.Contains(body, "Choose a resource") || !strings.Contains(body, "is not an IP address") {
		t.Errorf("a bad check: status %d", status)
	}

	_, tree := root.do("GET", "/rbac/tree/", nil)
	if i, j := strings.Index(tree, ">staff<"), strings.Index(tree, ">editors<"); i < 0 || j < i || !strings.Contains(tree, ">eve<") {
		t.Error("the tree does not show editors under staff with eve")
	}
}

func TestThePolicyExportsAndImportsValidatedInOneTransaction(t *testing.T) {
	t.Parallel()
	a, eve, eveID := shopWithUsers(t)
	root, _ := superuser(t, a, eve.base)
	ctx := context.Background()
	if err := a.enforcer.GrantIf(ctx, rbac.UserSubject(eveID), "tag", "view", &condition.Set{CIDR: []string{"10.0.0.0/8"}}); err != nil {
		t.Fatal(err)
	}
	a.own.ObjectGrant.Create().SetUserID(eveID).SetResource("product").SetObjectID("3").SetAction("delete").ExecX(ctx)

	status, body := root.do("GET", "/rbac/export/", nil)
	if status != http.StatusOK {
		t.Fatalf("export: status %d", status)
	}
	var p rbac.Policy
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		t.Fatalf("export: %v", err)
	}
	if len(p.Groups) != 2 || len(p.Memberships) != 1 || p.Memberships[0] != (rbac.PolicyMembership{User: "eve", Group: "editors"}) ||
		len(p.FieldGrants) != 1 || len(p.ObjectGrants) != 1 || p.ObjectGrants[0].Subject != "user:eve" {
		t.Fatalf("export: %+v", p)
	}
	var conditional bool
	for _, g := range p.Grants {
		conditional = conditional || g.Subject == "user:eve" && g.Conditions != nil && g.Conditions.CIDR[0] == "10.0.0.0/8"
	}
	if !conditional {
		t.Error("the export lacks the grant's conditions")
	}

	// A document with problems writes nothing and lists them all.
	bad := strings.Replace(body, `"parent": "staff"`, `"parent": "nobody"`, 1)
	bad = strings.Replace(bad, `"resource": "tag"`, `"resource": "tga"`, 1)
	bad = strings.Replace(bad, `"user": "eve"`, `"user": "mallory"`, 1)
	rulesBefore := a.own.PolicyRule.Query().CountX(ctx)
	status, page := root.do("POST", "/rbac/import/", url.Values{"document": {bad}, "mode": {"replace"}})
	if status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad import: status %d", status)
	}
	for _, want := range []string{"Nothing was imported", `the parent &#34;nobody&#34; of &#34;editors&#34; is not a group`, `there is no resource &#34;tga&#34;`, `there is no user &#34;mallory&#34;`} {
		if !strings.Contains(page, want) {
			t.Errorf("the import's errors lack %s", want)
		}
	}
	if n := a.own.PolicyRule.Query().CountX(ctx); n != rulesBefore {
		t.Errorf("a refused import changed the rules: %d, want %d", n, rulesBefore)
	}
	if status, page := root.do("POST", "/rbac/import/", url.Values{"document": {`{"version":1,"groups":[],"bogus":1}`}, "mode": {"merge"}}); status != 422 || !strings.Contains(page, "bogus") {
		t.Errorf("an unknown key: status %d", status)
	}

	// Replace with the export after changes puts the policy back.
	a.own.Group.Create().SetName("temps").ExecX(ctx)
	a.own.PolicyRule.Delete().Where(policyrule.Ptype("p2")).ExecX(ctx)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "policy.json")
	fw.Write([]byte(body))
	mw.WriteField("mode", "replace")
	mw.Close()
	req, _ := http.NewRequest("POST", eve.base+"/rbac/import/", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := root.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import of a file: status %d", resp.StatusCode)
	}
	if a.own.Group.Query().Where(group.Name("temps")).ExistX(ctx) {
		t.Error("replace kept a group the file does not have")
	}
	if access, explicit := a.enforcer.FieldAccess(eveID, "product", "cost_price"); !explicit || access != rbac.Hidden {
		t.Error("replace did not restore the field grant")
	}
	_, again := root.do("GET", "/rbac/export/", nil)
	if again != body {
		t.Errorf("export after import differs:\n%s\nwant\n%s", again, body)
	}
	// Merge adds.
	doc := `{"version":1,"groups":[{"name":"auditors","parent":"staff"}],"memberships":[{"user":"eve","group":"auditors"}],
		"grants":[{"subject":"group:auditors","resource":"auditentry","action":"view","effect":"allow"}],"field_grants":[],"object_grants":[]}`
	if status, _ := root.do("POST", "/rbac/import/", url.Values{"document": {doc}, "mode": {"merge"}}); status != http.StatusSeeOther {
		t.Fatalf("merge: status %d", status)
	}
	if !a.enforcer.Allowed(eveID, "auditentry", "view") || !a.enforcer.Allowed(eveID, "product", "change") {
		t.Error("merge did not add the grant, or lost the others")
	}
}

func TestAPolicyImportThatChangesNothingWritesNoAuditEntries(t *testing.T) {
	t.Parallel()
	a, eve, _ := shopWithUsers(t)
	root, _ := superuser(t, a, eve.base)
	ctx := context.Background()
	status, body := root.do("GET", "/rbac/export/", nil)
	if status != http.StatusOK {
		t.Fatalf("export: status %d", status)
	}
	before := a.own.AuditEntry.Query().CountX(ctx)
	if status, page := root.do("POST", "/rbac/import/", url.Values{"document": {body}, "mode": {"merge"}}); status != http.StatusSeeOther {
		t.Fatalf("import: status %d\n%s", status, page)
	}
	if after := a.own.AuditEntry.Query().CountX(ctx); after != before {
		for _, e := range a.own.AuditEntry.Query().Order(auditentry.ByID()).Offset(before).AllX(ctx) {
			t.Errorf("the import recorded %s %s %q: %v", e.Action, e.Resource, e.ObjectRepr, e.Changes)
		}
	}
}

func TestPolicyRulesAreEditedWithLabelledFields(t *testing.T) {
	t.Parallel()
	_, eve, _ := shopWithUsers(t)
	status, form := eve.do("GET", "/policyrule/add/", nil)
	if status != http.StatusOK {
		t.Fatalf("add form: status %d", status)
	}
	for _, want := range []string{"Rule type", "Subject", "Object", "Action or field", "Effect or access", "Conditions"} {
		if !strings.Contains(form, ">"+want) {
			t.Errorf("the rule form lacks the label %q", want)
		}
	}
	for _, raw := range []string{">Ptype", ">V0", ">V3"} {
		if strings.Contains(form, raw) {
			t.Errorf("the rule form shows the raw column %q", raw)
		}
	}
}
