package batteries_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"

	ownent "github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/policy/condition"
	"github.com/entadmin/entadmin/rbac"
	"github.com/entadmin/entadmin/rbac/picker"
)

// post posts the form to path and returns the status and body.
func (s *installed) post(c *http.Client, path string, form url.Values) (int, string) {
	s.t.Helper()
	resp, err := c.PostForm(s.base+path, form)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// pickerShop is a shop with the groups staff and editors (editors' parent
// is staff), a member of editors, a superuser and rules of every kind.
type pickerShop struct {
	*installed
	staff, editors *ownent.Group
	member         int // a user in editors
	root           *http.Client
}

func newPickerShop(t *testing.T) *pickerShop {
	return newPickerShopOn(t, dialect.Postgres)
}

// newPickerShopOn is newPickerShop on a database of the dialect.
func newPickerShopOn(t *testing.T, dbDialect string) *pickerShop {
	s := &pickerShop{installed: install(t, dbDialect, true)}
	ctx := context.Background()
	own := s.pack.Client()
	s.staff = own.Group.Create().SetName("staff").SaveX(ctx)
	s.editors = own.Group.Create().SetName("editors").SetParent(s.staff).SaveX(ctx)
	s.member = newUser(t, s.installed, "mia", false, s.editors).ID
	newUser(t, s.installed, "root", true)
	e := s.pack.Enforcer()
	grant(t, e, rbac.GroupSubject(s.staff.ID), "category", "view")
	grant(t, e, rbac.GroupSubject(s.editors.ID), "product", "view")
	if err := e.SetFieldAccess(ctx, rbac.GroupSubject(s.staff.ID), "product", "price", rbac.ReadOnly); err != nil {
		t.Fatal(err)
	}
	// Rules the grid cannot express: conditional, deny on one object, and
	// an object grant.
	own.PolicyRule.Create().SetPtype("p").SetV0(rbac.GroupSubject(s.editors.ID)).SetV1("product").SetV2("delete").SetV3("allow").
		SetConditions(&condition.Set{CIDR: []string{"10.0.0.0/8"}}).ExecX(ctx)
	own.PolicyRule.Create().SetPtype("p").SetV0(rbac.GroupSubject(s.editors.ID)).SetV1("product/1").SetV2("change").SetV3("deny").ExecX(ctx)
	own.ObjectGrant.Create().SetGroupID(s.editors.ID).SetResource("product").SetObjectID("7").SetAction("change").ExecX(ctx)
	if err := e.Reload(ctx); err != nil {
		t.Fatal(err)
	}
	s.root = s.login("root", "password of root")
	return s
}

// newUser creates an active staff user (a superuser with super) whose
// password is "password of <name>", in the groups.
func newUser(t *testing.T, s *installed, name string, super bool, groups ...*ownent.Group) *ownent.User {
	t.Helper()
	hash, _ := password.Hash("password of " + name)
	u := s.pack.Client().User.Create().SetUsername(name).SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(super).
		AddGroups(groups...).SaveX(context.Background())
	if err := s.pack.Enforcer().GroupsChanged(context.Background()); err != nil {
		t.Fatal(err)
	}
	return u
}

func grant(t *testing.T, e *rbac.Enforcer, subject, resource, action string) {
	t.Helper()
	if err := e.Grant(context.Background(), subject, resource, action); err != nil {
		t.Fatal(err)
	}
}

// groupForm returns the editors' form as the picker posts it, with the
// permissions checked.
func (s *pickerShop) groupForm(perms ...string) url.Values {
	return url.Values{
		"name": {"editors"}, "parent": {strconv.Itoa(s.staff.ID)},
		"_permissions": {"1"}, "_perm": perms, "_save": {""},
	}
}

// rules returns the editors' own rules as "ptype v1 v2 v3" lines.
func (s *pickerShop) rules(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, r := range s.pack.Client().PolicyRule.Query().Where(policyrule.V0(rbac.GroupSubject(s.editors.ID))).Order(policyrule.ByPtype(), policyrule.ByV1(), policyrule.ByV2()).AllX(context.Background()) {
		out = append(out, strings.Join([]string{r.Ptype, r.V1, r.V2, r.V3}, " "))
	}
	return out
}

// box returns the checkbox of the permission on the page.
func box(t *testing.T, body, resource, action string) *goquery.Selection {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc.Find("#perm-" + resource + "-" + action)
}

func TestPickerShowsOwnAndInheritedGrantsAndSavesTheDifference(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			testPickerSavesTheDifference(t, newPickerShopOn(t, d))
		})
	}
}

func testPickerSavesTheDifference(t *testing.T, s *pickerShop) {
	ctx := context.Background()
	path := "/group/" + strconv.Itoa(s.editors.ID) + "/"
	status, body := s.get(s.root, path)
	if status != http.StatusOK {
		t.Fatalf("GET the group form: status %d", status)
	}
	if b := box(t, body, "product", "view"); b.Length() != 1 || !b.Is(":checked") || b.Is(":disabled") {
		t.Errorf("the editors' own product view is not an enabled checked box: %v", b.Nodes)
	}
	if b := box(t, body, "category", "view"); !b.Is(":checked") || !b.Is(":disabled") || !strings.Contains(b.Parent().Text(), "from group “staff”") {
		t.Errorf("category view, inherited from staff, is not checked, disabled and marked: %q", b.Parent().Text())
	}
	if b := box(t, body, "product", "change"); b.Is(":checked") || b.Is(":disabled") {
		t.Error("product change is checked or disabled")
	}
	for _, want := range []string{"Read-only from group “staff”", "Rule: allow “delete” on product, with conditions", "Rule: deny “change” on product/1", "Object grant: “change” on product 7"} {
		if !strings.Contains(body, want) {
			t.Errorf("the picker does not show %q", want)
		}
	}

	form := s.groupForm("product:view", "product:change", "category:view")
	form.Set("_access:product:cost_price", "readonly")
	form.Set("_access:product:name", "")
	if status, body := s.post(s.root, path, form); status != http.StatusSeeOther {
		t.Fatalf("saving the picker: status %d\n%s", status, body)
	}
	want := []string{"p product change allow", "p product delete allow", "p product view allow", "p product/1 change deny", "p2 product cost_price readonly"}
	if got := s.rules(t); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the editors' rules after the save:\n%s\nwant (the inherited category view not duplicated, the others kept):\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if n := s.pack.Client().ObjectGrant.Query().CountX(ctx); n != 1 {
		t.Errorf("%d object grants after the save, want the one kept", n)
	}
	if !s.pack.Enforcer().Allowed(s.member, "product", "change") {
		t.Error("the member of editors may not change products after the grant")
	}
	entry, err := s.pack.Client().AuditEntry.Query().Where(auditentry.Action(picker.AuditAction), auditentry.Resource("group"), auditentry.ObjectID(strconv.Itoa(s.editors.ID))).Only(ctx)
	if err != nil {
		t.Fatalf("the audit entry of the save: %v", err)
	}
	if want := "Granted “change” on product; access to product.cost_price: Read-only."; entry.Message != want {
		t.Errorf("the audit entry says %q, want %q", entry.Message, want)
	}
	_, history := s.get(s.root, path+"history/")
	if !strings.Contains(history, "Granted “change” on product") {
		t.Error("the group's history does not show the grant")
	}

	// Unticking revokes; the select back to Default drops the field rule.
	form = s.groupForm("product:view")
	form.Set("_access:product:cost_price", "")
	if status, body := s.post(s.root, path, form); status != http.StatusSeeOther {
		t.Fatalf("revoking: status %d\n%s", status, body)
	}
	want = []string{"p product delete allow", "p product view allow", "p product/1 change deny"}
	if got := s.rules(t); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("the editors' rules after revoking:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A post without the picker (a script's, or another view's) leaves the
	// permissions alone.
	if status, _ := s.post(s.root, path, url.Values{"name": {"editors"}, "parent": {strconv.Itoa(s.staff.ID)}, "_save": {""}}); status != http.StatusSeeOther {
		t.Fatalf("saving without the picker: status %d", status)
	}
	if got := s.rules(t); len(got) != 3 {
		t.Errorf("a save without the picker changed the rules: %v", got)
	}
}

func TestPickerOnTheAddFormGrantsToTheNewGroup(t *testing.T) {
	t.Parallel()
	s := newPickerShop(t)
	_, body := s.get(s.root, "/group/add/")
	if b := box(t, body, "tag", "add"); b.Length() != 1 || b.Is(":checked") || b.Is(":disabled") {
		t.Fatal("the add form has no enabled, unchecked box for tag add")
	}
	form := url.Values{"name": {"newcomers"}, "parent": {strconv.Itoa(s.staff.ID)}, "_permissions": {"1"},
		"_perm": {"tag:add", "category:view"}, "_access:tag:name": {"readonly"}, "_save": {""}}
	if status, body := s.post(s.root, "/group/add/", form); status != http.StatusSeeOther {
		t.Fatalf("adding a group with permissions: status %d\n%.1000s", status, body)
	}
	g := s.pack.Client().Group.Query().Where(group.Name("newcomers")).OnlyX(context.Background())
	var got []string
	for _, r := range s.pack.Client().PolicyRule.Query().Where(policyrule.V0(rbac.GroupSubject(g.ID))).Order(policyrule.ByPtype(), policyrule.ByV1()).AllX(context.Background()) {
		got = append(got, strings.Join([]string{r.Ptype, r.V1, r.V2, r.V3}, " "))
	}
	// category view comes from the parent chosen on the same form.
	if want := "p tag add allow\np2 tag name readonly"; strings.Join(got, "\n") != want {
		t.Errorf("the new group's rules:\n%s\nwant:\n%s", strings.Join(got, "\n"), want)
	}
}

func TestPickerOnTheUserFormShowsWhatTheUsersGroupsGive(t *testing.T) {
	t.Parallel()
	s := newPickerShop(t)
	_, body := s.get(s.root, "/user/"+strconv.Itoa(s.member)+"/")
	if b := box(t, body, "product", "view"); !b.Is(":disabled") || !strings.Contains(b.Parent().Text(), "from group “editors”") {
		t.Errorf("product view of the member's group is not marked: %q", b.Parent().Text())
	}
	if b := box(t, body, "category", "view"); !b.Is(":disabled") || !strings.Contains(b.Parent().Text(), "from group “staff”") {
		t.Errorf("category view of the group's parent is not marked: %q", b.Parent().Text())
	}
	form := url.Values{"username": {"mia"}, "is_active": {"on"}, "is_staff": {"on"}, "groups": {strconv.Itoa(s.editors.ID)},
		"_permissions": {"1"}, "_perm": {"tag:add"}, "_save": {""}}
	if status, body := s.post(s.root, "/user/"+strconv.Itoa(s.member)+"/", form); status != http.StatusSeeOther {
		t.Fatalf("saving the user's picker: status %d\n%s", status, body)
	}
	if !s.pack.Enforcer().Allowed(s.member, "tag", "add") {
		t.Error("the user did not get the permission ticked on their form")
	}
}

func TestPickerRefusesGrantsBeyondTheStaffUsersOwn(t *testing.T) {
	t.Parallel()
	s := newPickerShop(t)
	ctx := context.Background()
	managers := s.pack.Client().Group.Create().SetName("managers").SaveX(ctx)
	e := s.pack.Enforcer()
	for _, p := range [][2]string{{"group", "change"}, {"policyrule", "view"}, {"policyrule", "add"}, {"policyrule", "delete"}, {"category", "view"}, {"product", "view"}} {
		grant(t, e, rbac.GroupSubject(managers.ID), p[0], p[1])
	}
	newUser(t, s.installed, "max", false, managers)
	max := s.login("max", "password of max")
	path := "/group/" + strconv.Itoa(s.editors.ID) + "/"
	before := s.rules(t)

	status, body := s.post(max, path, s.groupForm("product:view", "category:add", "product:delete"))
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "because you do not hold it") {
		t.Fatalf("granting what max lacks: status %d, want 422 with the guard's message\n%.2000s", status, body)
	}
	for _, p := range [][2]string{{"category", "add"}, {"product", "delete"}, {"product", "view"}} {
		if !box(t, body, p[0], p[1]).Is(":checked") {
			t.Errorf("the refused form lost the ticked %s %s", p[0], p[1])
		}
	}
	if got := s.rules(t); strings.Join(got, "\n") != strings.Join(before, "\n") {
		t.Errorf("a refused save wrote rules:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"))
	}
	// Field access beyond max's own (he may only view products).
	form := s.groupForm("product:view")
	form.Set("_access:product:name", "write")
	if status, body := s.post(max, path, form); status != http.StatusUnprocessableEntity || !strings.Contains(body, "because you do not have it yourself") {
		t.Errorf("giving write access max lacks: status %d\n%.2000s", status, body)
	}
	// Not his own permissions: his own form's picker is read-only.
	grant(t, e, rbac.GroupSubject(managers.ID), "user", "change")
	maxID := s.pack.Client().User.Query().Where(user.Username("max")).OnlyIDX(ctx)
	if _, body := s.get(max, "/user/"+strconv.Itoa(maxID)+"/"); !box(t, body, "tag", "add").Is(":disabled") || strings.Contains(body, `name="_permissions"`) {
		t.Error("max's picker on his own form is editable")
	}
	// What max holds he may grant.
	if status, body := s.post(max, path, s.groupForm("product:view", "category:view")); status != http.StatusSeeOther {
		t.Errorf("granting what max holds: status %d\n%.2000s", status, body)
	}
}

func TestPickerIsReadOnlyForUsersWhoMayNotChangePermissions(t *testing.T) {
	t.Parallel()
	s := newPickerShop(t)
	ctx := context.Background()
	viewers := s.pack.Client().Group.Create().SetName("viewers").SaveX(ctx)
	clerks := s.pack.Client().Group.Create().SetName("clerks").SaveX(ctx)
	e := s.pack.Enforcer()
	grant(t, e, rbac.GroupSubject(viewers.ID), "group", "view")
	grant(t, e, rbac.GroupSubject(viewers.ID), "policyrule", "view")
	// Clerks may change groups, not policy rules, and hold everything
	// the forged posts grant.
	for _, p := range [][2]string{{"group", "change"}, {"policyrule", "view"}, {"tag", "view"}} {
		grant(t, e, rbac.GroupSubject(clerks.ID), p[0], p[1])
	}
	newUser(t, s.installed, "vic", false, viewers)
	newUser(t, s.installed, "cleo", false, clerks)
	path := "/group/" + strconv.Itoa(s.editors.ID) + "/"
	before := s.rules(t)

	vic := s.login("vic", "password of vic")
	_, body := s.get(vic, path)
	if b := box(t, body, "product", "view"); !b.Is(":checked") || !b.Is(":disabled") {
		t.Error("the viewer's picker is not read-only with the editors' grant checked")
	}
	if strings.Contains(body, `name="_permissions"`) || strings.Contains(body, `name="_perm"`) {
		t.Error("the viewer's picker has inputs that post")
	}
	if status, _ := s.post(vic, path, s.groupForm("tag:view")); status != http.StatusForbidden {
		t.Errorf("the viewer's forged post: status %d, want 403", status)
	}

	cleo := s.login("cleo", "password of cleo")
	_, body = s.get(cleo, path)
	if strings.Contains(body, `name="_permissions"`) || !box(t, body, "tag", "view").Is(":disabled") {
		t.Error("the picker of a user who may not add and delete policy rules is editable")
	}
	if status, body := s.post(cleo, path, s.groupForm("tag:view")); status != http.StatusSeeOther {
		t.Errorf("the clerk's save: status %d\n%.1000s", status, body)
	}
	if got := s.rules(t); strings.Join(got, "\n") != strings.Join(before, "\n") {
		t.Errorf("a forged picker post of a user who may not change permissions wrote rules: %v", got)
	}
}

func TestPickerAnswersBadInputWithAFormError(t *testing.T) {
	t.Parallel()
	s := newPickerShop(t)
	path := "/group/" + strconv.Itoa(s.editors.ID) + "/"
	before := s.rules(t)
	many := make([]string, 5000)
	for i := range many {
		many[i] = "product:view"
	}
	for name, form := range map[string]url.Values{
		"an unknown resource": s.groupForm("nosuch:view"),
		"an unknown action":   s.groupForm("product:fly"),
		"too many values":     s.groupForm(many...),
		"an unknown field":    func() url.Values { f := s.groupForm(); f.Set("_access:product:nosuch", "write"); return f }(),
		"an unknown access":   func() url.Values { f := s.groupForm(); f.Set("_access:product:name", "root"); return f }(),
		"two accesses": func() url.Values {
			f := s.groupForm()
			f["_access:product:name"] = []string{"write", "hidden"}
			return f
		}(),
	} {
		status, body := s.post(s.root, path, form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "nothing was saved") {
			t.Errorf("%s: status %d, want 422 with a form error\n%.1000s", name, status, body)
		}
	}
	if got := s.rules(t); strings.Join(got, "\n") != strings.Join(before, "\n") {
		t.Errorf("bad posts wrote rules: %v", got)
	}
}
