package picker

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
)

// save writes the difference between the posted permissions and the
// subject's own rules with client, as the admin user of ctx, and returns
// the changes described for people. Permissions the subject inherits are
// not written again; rules the grid does not express are left alone.
func save(ctx context.Context, client *ent.Client, sub Subject, c *catalog, po *posted) ([]string, error) {
	st, err := load(entadmin.WithUser(ctx, nil), client, sub, c, false)
	if err != nil {
		return nil, err
	}
	var changes []string
	for _, k := range sortedKeys(st.perms) {
		if po.perms[k] {
			continue
		}
		if err := client.PolicyRule.DeleteOne(st.perms[k]).Exec(ctx); err != nil {
			return nil, err
		}
		changes = append(changes, fmt.Sprintf("revoked “%s” on %s", k.name, k.res))
	}
	for _, k := range sortedKeys(po.perms) {
		if st.perms[k] != nil || st.inheritedPerms[k] != "" {
			continue
		}
		err := client.PolicyRule.Create().
			SetPtype("p").SetV0(sub.String()).SetV1(k.res).SetV2(k.name).SetV3("allow").
			Exec(ctx)
		if err != nil {
			return nil, err
		}
		changes = append(changes, fmt.Sprintf("granted “%s” on %s", k.name, k.res))
	}
	for _, k := range sortedKeys(po.fields) {
		changed, err := saveField(ctx, client, sub, k, po.fields[k], st.fields[k])
		if err != nil {
			return nil, err
		}
		if changed {
			changes = append(changes, fmt.Sprintf("access to %s.%s: %s", k.res, k.name, accessLabel(po.fields[k])))
		}
	}
	return changes, nil
}

// saveField gives the subject the access to a field (none for ""), in
// place of its rules for it, and reports whether that changed anything.
func saveField(ctx context.Context, client *ent.Client, sub Subject, k key, access string, rules []*ent.PolicyRule) (bool, error) {
	if access != "" && len(rules) == 0 {
		err := client.PolicyRule.Create().
			SetPtype("p2").SetV0(sub.String()).SetV1(k.res).SetV2(k.name).SetV3(access).SetV4("allow").
			Exec(ctx)
		return err == nil, err
	}
	changed, drop := false, rules
	if access != "" {
		drop = rules[1:] // the first rule is kept, with the new access
		if rules[0].V3 != access {
			if err := client.PolicyRule.UpdateOne(rules[0]).SetV3(access).Exec(ctx); err != nil {
				return false, err
			}
			changed = true
		}
	}
	for _, r := range drop {
		if err := client.PolicyRule.DeleteOne(r).Exec(ctx); err != nil {
			return false, err
		}
		changed = true
	}
	return changed, nil
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[key]V) []key {
	return slices.SortedFunc(maps.Keys(m), func(a, b key) int {
		return cmp.Or(cmp.Compare(a.res, b.res), cmp.Compare(a.name, b.name))
	})
}
