package rbac

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/entadmin/entadmin/ent/objectgrant"
)

// FieldRule is a user's access to one field, and where it comes from.
type FieldRule struct {
	Resource, Field string
	Access          Access
	// Via is the chain from the user to the subject of the deciding rule,
	// as in Permission.
	Via []string
}

// EffectiveFields returns the user's access to every field that a field
// rule of the user, its groups or their parents names: the most
// permissive, as FieldAccess resolves it, sorted by resource and field.
func (e *Enforcer) EffectiveFields(ctx context.Context, userID int) ([]FieldRule, error) {
	chains, err := e.chains(ctx, userID)
	if err != nil {
		return nil, err
	}
	rules, err := e.se.GetNamedPolicy("p2")
	if err != nil {
		return nil, fmt.Errorf("rbac: %w", err)
	}
	best := map[[2]string]FieldRule{}
	for _, r := range rules { // sub, obj, fld, act, eft
		via, ok := chains[r[0]]
		if !ok || len(r) < 5 || r[4] != allow {
			continue
		}
		key, a := [2]string{r[1], r[2]}, ParseAccess(r[3])
		if f, dup := best[key]; dup && (f.Access > a || f.Access == a && len(f.Via) <= len(via)) {
			continue
		}
		best[key] = FieldRule{Resource: r[1], Field: r[2], Access: a, Via: via}
	}
	return slices.SortedFunc(maps.Values(best), func(a, b FieldRule) int {
		return cmp.Or(strings.Compare(a.Resource, b.Resource), strings.Compare(a.Field, b.Field))
	}), nil
}

// ObjectPermission is an object grant a user holds, and where it comes
// from.
type ObjectPermission struct {
	Resource, ObjectID, Action string
	Via                        []string
}

// EffectiveObjectGrants returns at most limit of the object grants the user
// holds, directly or through groups, sorted by resource, object and action.
func (e *Enforcer) EffectiveObjectGrants(ctx context.Context, userID, limit int) ([]ObjectPermission, error) {
	chains, err := e.chains(ctx, userID)
	if err != nil {
		return nil, err
	}
	grants, err := e.client.ObjectGrant.Query().
		Where(e.ofUser(userID)).
		Order(objectgrant.ByResource(), objectgrant.ByObjectID(), objectgrant.ByAction(), objectgrant.ByID()).
		Limit(limit).
		All(system(ctx))
	if err != nil {
		return nil, fmt.Errorf("rbac: read object grants: %w", err)
	}
	perms := make([]ObjectPermission, len(grants))
	for i, g := range grants {
		sub := UserSubject(userID)
		if g.GroupID != nil {
			sub = GroupSubject(*g.GroupID)
		}
		perms[i] = ObjectPermission{Resource: g.Resource, ObjectID: g.ObjectID, Action: g.Action, Via: chains[sub]}
	}
	return perms, nil
}
