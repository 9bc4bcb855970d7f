package rbac

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/casbin/casbin/v2/model"
	"github.com/casbin/casbin/v2/persist"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/predicate"
	"github.com/entadmin/entadmin/ent/user"
)

// Adapter is a casbin adapter over entadmin's ent tables.
//
// Rules of the "p" section (p and p2) are rows of the PolicyRule table.
// Rules of the "g" section are not stored there: they are the ent edges,
// read on every load as "g, user:<id>, group:<id>" for each of a user's groups
// and "g, group:<child>, group:<parent>" for each group's parent. Adding or
// removing a g rule adds or removes the user's group, or sets or clears the
// group's parent, so that the ent tables stay the one source of truth.
//
// The methods without a context use context.Background. Give the adapter a
// client that is not inside a transaction: it opens its own.
type Adapter struct {
	client *ent.Client
}

var (
	_ persist.BatchAdapter        = (*Adapter)(nil)
	_ persist.ContextBatchAdapter = (*Adapter)(nil)
)

// NewAdapter returns an adapter over client.
func NewAdapter(client *ent.Client) *Adapter {
	return &Adapter{client: client}
}

// UserSubject returns the casbin subject of the user with the given id,
// "user:<id>".
func UserSubject(id int) string { return "user:" + strconv.Itoa(id) }

// GroupSubject returns the casbin subject of the group with the given id,
// "group:<id>".
func GroupSubject(id int) string { return "group:" + strconv.Itoa(id) }

// subject is a parsed "user:<id>" or "group:<id>".
type subject struct {
	group bool
	id    int
}

// parseSubject parses a "user:<id>" or "group:<id>" subject.
func parseSubject(s string) (subject, error) {
	kind, id, _ := strings.Cut(s, ":")
	n, err := strconv.Atoi(id)
	if err != nil || n <= 0 || strconv.Itoa(n) != id || (kind != "user" && kind != "group") {
		return subject{}, fmt.Errorf(`subject %q is neither "user:<id>" nor "group:<id>"`, s)
	}
	return subject{group: kind == "group", id: n}, nil
}

// columns are the predicates on the six value columns of a PolicyRule.
var columns = [...]func(string) predicate.PolicyRule{
	policyrule.V0, policyrule.V1, policyrule.V2, policyrule.V3, policyrule.V4, policyrule.V5,
}

// batchSize bounds the rows of one INSERT, well below PostgreSQL's limit of
// 65535 parameters.
const batchSize = 1000

// LoadPolicy loads the p rules from the PolicyRule table and derives the g
// rules from the ent edges.
func (a *Adapter) LoadPolicy(m model.Model) error {
	return a.LoadPolicyCtx(context.Background(), m)
}

// LoadPolicyCtx is LoadPolicy with a context.
func (a *Adapter) LoadPolicyCtx(ctx context.Context, m model.Model) error {
	rules, err := a.rules(ctx)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if err := persist.LoadPolicyArray(r, m); err != nil {
			return fmt.Errorf("rbac: load rule %q: %w", r, err)
		}
	}
	return nil
}

// rules returns every rule, each starting with its ptype: the stored p
// rules in id order, then the g rules of the ent edges. Rows of another
// section (a g row put in by hand) are ignored.
func (a *Adapter) rules(ctx context.Context) ([][]string, error) {
	rows, err := a.client.PolicyRule.Query().
		Where(policyrule.PtypeHasPrefix("p")).
		Order(ent.Asc(policyrule.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("rbac: load policy rules: %w", err)
	}
	rules := make([][]string, 0, len(rows))
	for _, r := range rows {
		rule := []string{r.Ptype, r.V0, r.V1, r.V2, r.V3, r.V4, r.V5}
		for len(rule) > 1 && rule[len(rule)-1] == "" {
			rule = rule[:len(rule)-1]
		}
		rules = append(rules, rule)
	}
	g, err := groupingRules(ctx, a.client)
	if err != nil {
		return nil, fmt.Errorf("rbac: %w", err)
	}
	return append(rules, g...), nil
}

// groupingRules derives the g rules from the users' groups and the groups'
// parents.
func groupingRules(ctx context.Context, c *ent.Client) ([][]string, error) {
	users, err := c.User.Query().
		Where(user.HasGroups()).
		Select(user.FieldID).
		WithGroups(func(q *ent.GroupQuery) { q.Select(group.FieldID).Order(ent.Asc(group.FieldID)) }).
		Order(ent.Asc(user.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load group memberships: %w", err)
	}
	groups, err := c.Group.Query().
		Where(group.ParentIDNotNil()).
		Select(group.FieldID, group.FieldParentID).
		Order(ent.Asc(group.FieldID)).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load parent groups: %w", err)
	}
	var rules [][]string
	for _, u := range users {
		for _, g := range u.Edges.Groups {
			rules = append(rules, []string{"g", UserSubject(u.ID), GroupSubject(g.ID)})
		}
	}
	for _, g := range groups {
		rules = append(rules, []string{"g", GroupSubject(g.ID), GroupSubject(g.ParentID)})
	}
	return rules, nil
}

// SavePolicy replaces the rows of the PolicyRule table with the p and p2
// rules of m, in one transaction. It leaves the g rules alone: they are the
// ent edges, changed as they are added and removed.
func (a *Adapter) SavePolicy(m model.Model) error {
	return a.SavePolicyCtx(context.Background(), m)
}

// SavePolicyCtx is SavePolicy with a context.
func (a *Adapter) SavePolicyCtx(ctx context.Context, m model.Model) error {
	return a.inTx(ctx, func(c *ent.Client) error {
		if _, err := c.PolicyRule.Delete().Exec(ctx); err != nil {
			return err
		}
		for ptype, ast := range m["p"] {
			if err := createRules(ctx, c, ptype, ast.Policy); err != nil {
				return err
			}
		}
		return nil
	})
}

// AddPolicy stores a p rule, or adds the membership or parent group of a g
// rule. Adding a rule that is already stored does nothing.
func (a *Adapter) AddPolicy(sec, ptype string, rule []string) error {
	return a.AddPoliciesCtx(context.Background(), sec, ptype, [][]string{rule})
}

// AddPolicyCtx is AddPolicy with a context.
func (a *Adapter) AddPolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	return a.AddPoliciesCtx(ctx, sec, ptype, [][]string{rule})
}

// AddPolicies is AddPolicy for several rules, in one transaction.
func (a *Adapter) AddPolicies(sec, ptype string, rules [][]string) error {
	return a.AddPoliciesCtx(context.Background(), sec, ptype, rules)
}

// AddPoliciesCtx is AddPolicies with a context.
func (a *Adapter) AddPoliciesCtx(ctx context.Context, sec, ptype string, rules [][]string) error {
	return a.inTx(ctx, func(c *ent.Client) error {
		switch sec {
		case "p":
			var missing [][]string
			for _, r := range rules {
				where, err := exactly(ptype, r)
				if err != nil {
					return err
				}
				found, err := c.PolicyRule.Query().Where(where).Exist(ctx)
				if err != nil {
					return err
				}
				if !found {
					missing = append(missing, r)
				}
			}
			return createRules(ctx, c, ptype, missing)
		case "g":
			for _, r := range rules {
				if err := addGrouping(ctx, c, ptype, r); err != nil {
					return err
				}
			}
			return nil
		}
		return fmt.Errorf("unknown policy section %q", sec)
	})
}

// RemovePolicy deletes a p rule, or removes the membership or parent group
// of a g rule.
func (a *Adapter) RemovePolicy(sec, ptype string, rule []string) error {
	return a.RemovePoliciesCtx(context.Background(), sec, ptype, [][]string{rule})
}

// RemovePolicyCtx is RemovePolicy with a context.
func (a *Adapter) RemovePolicyCtx(ctx context.Context, sec, ptype string, rule []string) error {
	return a.RemovePoliciesCtx(ctx, sec, ptype, [][]string{rule})
}

// RemovePolicies is RemovePolicy for several rules, in one transaction.
func (a *Adapter) RemovePolicies(sec, ptype string, rules [][]string) error {
	return a.RemovePoliciesCtx(context.Background(), sec, ptype, rules)
}

// RemovePoliciesCtx is RemovePolicies with a context.
func (a *Adapter) RemovePoliciesCtx(ctx context.Context, sec, ptype string, rules [][]string) error {
	return a.inTx(ctx, func(c *ent.Client) error {
		for _, r := range rules {
			if err := removeRule(ctx, c, sec, ptype, r); err != nil {
				return err
			}
		}
		return nil
	})
}

// RemoveFilteredPolicy removes the rules whose values, from fieldIndex on,
// equal fieldValues; an empty value matches anything.
func (a *Adapter) RemoveFilteredPolicy(sec, ptype string, fieldIndex int, fieldValues ...string) error {
	return a.RemoveFilteredPolicyCtx(context.Background(), sec, ptype, fieldIndex, fieldValues...)
}

// RemoveFilteredPolicyCtx is RemoveFilteredPolicy with a context.
func (a *Adapter) RemoveFilteredPolicyCtx(ctx context.Context, sec, ptype string, fieldIndex int, fieldValues ...string) error {
	if fieldIndex < 0 || fieldIndex+len(fieldValues) > len(columns) {
		return fmt.Errorf("rbac: filter of %d values from index %d does not fit %d columns", len(fieldValues), fieldIndex, len(columns))
	}
	return a.inTx(ctx, func(c *ent.Client) error {
		switch sec {
		case "p":
			_, err := c.PolicyRule.Delete().Where(filtered(ptype, fieldIndex, fieldValues)).Exec(ctx)
			return err
		case "g":
			rules, err := groupingRules(ctx, c)
			if err != nil {
				return err
			}
			for _, r := range rules {
				if r[0] == ptype && matches(r[1:], fieldIndex, fieldValues) {
					if err := removeGrouping(ctx, c, ptype, r[1:]); err != nil {
						return err
					}
				}
			}
			return nil
		}
		return fmt.Errorf("unknown policy section %q", sec)
	})
}

// replace stores rule in place of the rules of the same ptype whose first n
// values equal rule's, in one transaction.
func (a *Adapter) replace(ctx context.Context, ptype string, rule []string, n int) error {
	return a.inTx(ctx, func(c *ent.Client) error {
		if _, err := c.PolicyRule.Delete().Where(filtered(ptype, 0, rule[:n])).Exec(ctx); err != nil {
			return err
		}
		return createRules(ctx, c, ptype, [][]string{rule})
	})
}

// inTx runs fn with a client inside a new transaction, which it commits
// when fn succeeds and rolls back otherwise.
func (a *Adapter) inTx(ctx context.Context, fn func(*ent.Client) error) error {
	tx, err := a.client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("rbac: %w", err)
	}
	if err := fn(tx.Client()); err != nil {
		return errors.Join(fmt.Errorf("rbac: %w", err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rbac: %w", err)
	}
	return nil
}

// createRules inserts rules of the given ptype, batchSize rows at a time.
func createRules(ctx context.Context, c *ent.Client, ptype string, rules [][]string) error {
	builders := make([]*ent.PolicyRuleCreate, 0, len(rules))
	for _, r := range rules {
		if len(r) > len(columns) {
			return fmt.Errorf("rule %q has more than %d values", r, len(columns))
		}
		v := make([]string, len(columns))
		copy(v, r)
		builders = append(builders, c.PolicyRule.Create().SetPtype(ptype).
			SetV0(v[0]).SetV1(v[1]).SetV2(v[2]).SetV3(v[3]).SetV4(v[4]).SetV5(v[5]))
	}
	for len(builders) > 0 {
		n := min(len(builders), batchSize)
		if err := c.PolicyRule.CreateBulk(builders[:n]...).Exec(ctx); err != nil {
			return err
		}
		builders = builders[n:]
	}
	return nil
}

// removeRule deletes one p rule or removes one g rule's edge.
func removeRule(ctx context.Context, c *ent.Client, sec, ptype string, rule []string) error {
	switch sec {
	case "p":
		where, err := exactly(ptype, rule)
		if err != nil {
			return err
		}
		_, err = c.PolicyRule.Delete().Where(where).Exec(ctx)
		return err
	case "g":
		return removeGrouping(ctx, c, ptype, rule)
	}
	return fmt.Errorf("unknown policy section %q", sec)
}

// exactly matches the stored rule equal to rule, empty columns included.
func exactly(ptype string, rule []string) (predicate.PolicyRule, error) {
	if len(rule) > len(columns) {
		return nil, fmt.Errorf("rule %q has more than %d values", rule, len(columns))
	}
	where := []predicate.PolicyRule{policyrule.Ptype(ptype)}
	for i, col := range columns {
		v := ""
		if i < len(rule) {
			v = rule[i]
		}
		where = append(where, col(v))
	}
	return policyrule.And(where...), nil
}

// filtered matches the stored rules whose values from fieldIndex on equal
// the non-empty values.
func filtered(ptype string, fieldIndex int, values []string) predicate.PolicyRule {
	where := []predicate.PolicyRule{policyrule.Ptype(ptype)}
	for i, v := range values {
		if v != "" {
			where = append(where, columns[fieldIndex+i](v))
		}
	}
	return policyrule.And(where...)
}

// matches reports whether rule's values from fieldIndex on equal the
// non-empty values.
func matches(rule []string, fieldIndex int, values []string) bool {
	for i, v := range values {
		if v != "" && (fieldIndex+i >= len(rule) || rule[fieldIndex+i] != v) {
			return false
		}
	}
	return true
}

// grouping parses a g rule: a user or group, and the group it belongs to.
func grouping(ptype string, rule []string) (member subject, parent int, err error) {
	if ptype != "g" || len(rule) != 2 {
		return subject{}, 0, fmt.Errorf("grouping rule %s %q is not g, <user or group>, <group>", ptype, rule)
	}
	if member, err = parseSubject(rule[0]); err != nil {
		return subject{}, 0, err
	}
	p, err := parseSubject(rule[1])
	if err != nil {
		return subject{}, 0, err
	}
	if !p.group || p == member {
		return subject{}, 0, fmt.Errorf("grouping rule %q does not name a group other than its member", rule)
	}
	return member, p.id, nil
}

// addGrouping adds the user to the group, or sets the group's parent, of a
// g rule. A group has one parent: naming another is an error.
func addGrouping(ctx context.Context, c *ent.Client, ptype string, rule []string) error {
	member, parent, err := grouping(ptype, rule)
	if err != nil {
		return err
	}
	if member.group {
		n, err := c.Group.Update().
			Where(group.ID(member.id), group.Or(group.ParentIDIsNil(), group.ParentID(parent))).
			SetParentID(parent).
			Save(ctx)
		if err == nil && n == 0 {
			err = fmt.Errorf("%s does not exist or already has a parent group other than %s", rule[0], rule[1])
		}
		return err
	}
	found, err := c.User.Query().Where(user.ID(member.id), user.HasGroupsWith(group.ID(parent))).Exist(ctx)
	if err != nil || found {
		return err
	}
	return c.User.UpdateOneID(member.id).AddGroupIDs(parent).Exec(ctx)
}

// removeGrouping removes the user from the group, or clears the group's
// parent, of a g rule. Removing what is not there does nothing.
func removeGrouping(ctx context.Context, c *ent.Client, ptype string, rule []string) error {
	member, parent, err := grouping(ptype, rule)
	if err != nil {
		return err
	}
	if member.group {
		return c.Group.Update().Where(group.ID(member.id), group.ParentID(parent)).ClearParent().Exec(ctx)
	}
	return c.User.Update().Where(user.ID(member.id)).RemoveGroupIDs(parent).Exec(ctx)
}
