package main

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/entadmin/entadmin/rbac"
)

// The audit log's own pages show entries as they are stored, with every
// changed value: a user who may view the audit log but not every field or
// row of a resource must not find that resource's entries there (its
// objects' history pages show them what they may see).
func TestTheAuditLogShowsOnlyEntriesTheUserMayReadInFull(t *testing.T) {
	t.Parallel()
	f := newAccessFixture(t)
	ctx := context.Background()
	ids := f.a.own.AuditEntry.Query().IDsX(ctx)
	for _, name := range []string{"vic", "fay", "rob"} {
		role := f.role(name)
		if err := f.a.enforcer.Grant(ctx, rbac.UserSubject(role.id), "auditentry", "view"); err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			paths := []string{"/auditentry/", "/auditentry/export/", "/auditentry/?q=product"}
			for _, id := range ids {
				paths = append(paths, "/auditentry/"+strconv.Itoa(id)+"/")
			}
			shown := 0
			for _, path := range paths {
				got := f.fetch(t, role.client, http.MethodGet, path, nil, false)
				switch {
				case got.status == http.StatusOK:
					shown++
				case got.status != http.StatusNotFound:
					t.Errorf("GET %s as %s: %d, want 200 or 404", path, name, got.status)
				}
				for canary, variants := range f.canaries {
					if slices.Contains(role.hiddenCanaries, canary) && slices.ContainsFunc(variants, func(v string) bool { return strings.Contains(got.body, v) }) {
						t.Errorf("GET %s shows %s the %s", path, name, canary)
					}
				}
			}
			if shown <= 3 {
				t.Errorf("%s was shown no audit entry at all; the logins at least are theirs to see", name)
			}
		})
	}
}
