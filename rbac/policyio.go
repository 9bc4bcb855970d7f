package rbac

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/policy/condition"
)

// PolicyVersion is the version of the Policy document that Export writes
// and Import reads.
const PolicyVersion = 1

// Policy is the whole policy as a document: groups, memberships, grants,
// field grants and object grants, with users and groups named rather than
// numbered ("user:alice", "group:editors"), so that it moves between
// databases. Users are not part of it: they must exist where it is
// imported.
type Policy struct {
	Version      int                 `json:"version"`
	Groups       []PolicyGroup       `json:"groups"`
	Memberships  []PolicyMembership  `json:"memberships"`
	Grants       []PolicyGrant       `json:"grants"`
	FieldGrants  []PolicyFieldGrant  `json:"field_grants"`
	ObjectGrants []PolicyObjectGrant `json:"object_grants"`
}

// PolicyGroup is a group and its parent's name.
type PolicyGroup struct {
	Name        string `json:"name"`
	Parent      string `json:"parent,omitempty"`
	Description string `json:"description,omitempty"`
}

// PolicyMembership puts a user, by username, in a group.
type PolicyMembership struct {
	User  string `json:"user"`
	Group string `json:"group"`
}

// PolicyGrant is a permission rule: a subject ("user:<username>" or
// "group:<name>") may (effect "allow") or may not ("deny") do the action on
// the resource ("product", or one object "product/42"), under conditions.
type PolicyGrant struct {
	Subject    string         `json:"subject"`
	Resource   string         `json:"resource"`
	Action     string         `json:"action"`
	Effect     string         `json:"effect"`
	Conditions *condition.Set `json:"conditions,omitempty"`
}

// PolicyFieldGrant is a field access rule: "hidden", "readonly" or "write".
type PolicyFieldGrant struct {
	Subject  string `json:"subject"`
	Resource string `json:"resource"`
	Field    string `json:"field"`
	Access   string `json:"access"`
}

// PolicyObjectGrant is an object grant.
type PolicyObjectGrant struct {
	Subject  string `json:"subject"`
	Resource string `json:"resource"`
	ObjectID string `json:"object_id"`
	Action   string `json:"action"`
}

// Resources tells Import which resources, fields and object ids exist, so
// that it refuses a document naming others.
type Resources interface {
	// Resource reports whether the resource exists, and its fields.
	Resource(slug string) (fields []string, ok bool)
	// ValidID reports whether objectID can be an id of the resource.
	ValidID(slug, objectID string) bool
}

// Export returns the whole policy.
func (e *Enforcer) Export(ctx context.Context) (*Policy, error) {
	ctx = system(ctx)
	c := e.client
	p := &Policy{Version: PolicyVersion, Groups: []PolicyGroup{}, Memberships: []PolicyMembership{},
		Grants: []PolicyGrant{}, FieldGrants: []PolicyFieldGrant{}, ObjectGrants: []PolicyObjectGrant{}}
	groups, err := c.Group.Query().WithParent().WithUsers().Order(group.ByName()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("rbac: export groups: %w", err)
	}
	users, err := c.User.Query().Select(user.FieldID, user.FieldUsername).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("rbac: export users: %w", err)
	}
	names := map[string]string{}
	for _, u := range users {
		names[UserSubject(u.ID)] = "user:" + u.Username
	}
	for _, g := range groups {
		names[GroupSubject(g.ID)] = "group:" + g.Name
		pg := PolicyGroup{Name: g.Name, Description: g.Description}
		if g.Edges.Parent != nil {
			pg.Parent = g.Edges.Parent.Name
		}
		p.Groups = append(p.Groups, pg)
		for _, u := range g.Edges.Users {
			p.Memberships = append(p.Memberships, PolicyMembership{User: u.Username, Group: g.Name})
		}
	}
	slices.SortFunc(p.Memberships, func(a, b PolicyMembership) int {
		return cmp.Or(strings.Compare(a.Group, b.Group), strings.Compare(a.User, b.User))
	})
	rules, err := c.PolicyRule.Query().Order(policyrule.ByPtype(), policyrule.ByV0(), policyrule.ByV1(), policyrule.ByV2(), policyrule.ByID()).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("rbac: export rules: %w", err)
	}
	for _, r := range rules {
		sub := cmp.Or(names[r.V0], r.V0) // an orphan keeps its id, and fails to import
		switch r.Ptype {
		case "p":
			g := PolicyGrant{Subject: sub, Resource: r.V1, Action: r.V2, Effect: r.V3}
			if !r.Conditions.Empty() {
				g.Conditions = r.Conditions
			}
			p.Grants = append(p.Grants, g)
		case "p2":
			p.FieldGrants = append(p.FieldGrants, PolicyFieldGrant{Subject: sub, Resource: r.V1, Field: r.V2, Access: r.V3})
		}
	}
	grants, err := c.ObjectGrant.Query().All(ctx)
	if err != nil {
		return nil, fmt.Errorf("rbac: export object grants: %w", err)
	}
	for _, g := range grants {
		sub := ""
		if g.UserID != nil {
			sub = names[UserSubject(*g.UserID)]
		} else if g.GroupID != nil {
			sub = names[GroupSubject(*g.GroupID)]
		}
		p.ObjectGrants = append(p.ObjectGrants, PolicyObjectGrant{Subject: sub, Resource: g.Resource, ObjectID: g.ObjectID, Action: g.Action})
	}
	slices.SortFunc(p.ObjectGrants, func(a, b PolicyObjectGrant) int {
		return cmp.Or(strings.Compare(a.Resource, b.Resource), strings.Compare(a.ObjectID, b.ObjectID),
			strings.Compare(a.Subject, b.Subject), strings.Compare(a.Action, b.Action))
	})
	return p, nil
}

// ImportMode says what Import does with the policy already stored.
type ImportMode string

// The import modes.
const (
	// Merge adds the document's groups, memberships and grants to the
	// policy, updating the parents and descriptions of groups that exist
	// and the conditions of grants that exist.
	Merge ImportMode = "merge"
	// Replace makes the policy exactly the document: groups, memberships,
	// rules and object grants it does not hold are deleted.
	Replace ImportMode = "replace"
)

// ImportError lists every problem found in a document; nothing was
// written.
type ImportError struct{ Problems []string }

func (e *ImportError) Error() string {
	return "rbac: the policy was not imported: " + strings.Join(e.Problems, "; ")
}

// Import validates the document completely, against the users of the
// database and res, and only then writes it in one transaction, and
// reloads. On a problem it returns an *ImportError listing them all, with
// nothing written.
func (e *Enforcer) Import(ctx context.Context, p *Policy, mode ImportMode, res Resources) error {
	if err := e.validateImport(system(ctx), p, mode, res); err != nil {
		return err
	}
	tx, err := e.client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("rbac: import: %w", err)
	}
	if err := importTx(ctx, tx.Client(), p, mode); err != nil {
		return errors.Join(fmt.Errorf("rbac: import: %w", err), tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("rbac: import: %w", err)
	}
	return e.changed(system(ctx))
}

// validateImport finds every problem of the document.
func (e *Enforcer) validateImport(ctx context.Context, p *Policy, mode ImportMode, res Resources) error {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if p.Version != PolicyVersion {
		bad("version is %d, want %d", p.Version, PolicyVersion)
	}
	if mode != Merge && mode != Replace {
		bad("mode %q is neither merge nor replace", mode)
	}
	users, err := e.client.User.Query().Select(user.FieldUsername).Strings(ctx)
	if err != nil {
		return fmt.Errorf("rbac: import: %w", err)
	}
	existing, err := e.client.Group.Query().WithParent().All(ctx)
	if err != nil {
		return fmt.Errorf("rbac: import: %w", err)
	}
	// The groups after the import, by name, with their parents.
	parents := map[string]string{}
	if mode == Merge {
		for _, g := range existing {
			parents[g.Name] = ""
			if g.Edges.Parent != nil {
				parents[g.Name] = g.Edges.Parent.Name
			}
		}
	}
	seen := map[string]bool{}
	for i, g := range p.Groups {
		switch {
		case strings.TrimSpace(g.Name) == "" || len(g.Name) > 150:
			bad("groups[%d]: the name must have 1 to 150 characters", i)
		case seen[g.Name]:
			bad("groups[%d]: the group %q is listed twice", i, g.Name)
		}
		seen[g.Name] = true
		parents[g.Name] = g.Parent
	}
	for i, g := range p.Groups {
		if g.Parent == "" {
			continue
		}
		if _, ok := parents[g.Parent]; !ok {
			bad("groups[%d]: the parent %q of %q is not a group", i, g.Parent, g.Name)
			continue
		}
		for at, n := g.Parent, 0; at != "" && n <= len(parents); at, n = parents[at], n+1 {
			if at == g.Name {
				bad("groups[%d]: the group %q is its own ancestor", i, g.Name)
				break
			}
		}
	}
	isUser := func(name string) bool { return slices.Contains(users, name) }
	subject := func(where, s string) {
		kind, name, _ := strings.Cut(s, ":")
		switch {
		case kind == "user" && isUser(name):
		case kind == "group" && hasKey(parents, name):
		case kind == "user":
			bad("%s: there is no user %q", where, name)
		case kind == "group":
			bad("%s: there is no group %q", where, name)
		default:
			bad(`%s: the subject %q is neither "user:<username>" nor "group:<name>"`, where, s)
		}
	}
	for i, m := range p.Memberships {
		where := fmt.Sprintf("memberships[%d]", i)
		subject(where, "user:"+m.User)
		subject(where, "group:"+m.Group)
	}
	for i, g := range p.Grants {
		where := fmt.Sprintf("grants[%d]", i)
		subject(where, g.Subject)
		base, id, one := strings.Cut(g.Resource, "/")
		if _, ok := res.Resource(base); !ok {
			bad("%s: there is no resource %q", where, base)
		} else if one && !res.ValidID(base, id) {
			bad("%s: %q is not an id of %s", where, id, base)
		}
		if g.Action == "" {
			bad("%s: the action is empty", where)
		}
		if g.Effect != allow && g.Effect != "deny" {
			bad(`%s: the effect %q is neither "allow" nor "deny"`, where, g.Effect)
		}
		if err := e.ValidateConditions(g.Resource, g.Conditions); err != nil {
			bad("%s: invalid conditions: %v", where, err)
		}
	}
	for i, g := range p.FieldGrants {
		where := fmt.Sprintf("field_grants[%d]", i)
		subject(where, g.Subject)
		if fields, ok := res.Resource(g.Resource); !ok {
			bad("%s: there is no resource %q", where, g.Resource)
		} else if !slices.Contains(fields, g.Field) {
			bad("%s: %s has no field %q", where, g.Resource, g.Field)
		}
		if !slices.Contains(accessNames[:], g.Access) {
			bad(`%s: the access %q is not "hidden", "readonly" or "write"`, where, g.Access)
		}
	}
	for i, g := range p.ObjectGrants {
		where := fmt.Sprintf("object_grants[%d]", i)
		subject(where, g.Subject)
		if _, ok := res.Resource(g.Resource); !ok {
			bad("%s: there is no resource %q", where, g.Resource)
		} else if !res.ValidID(g.Resource, g.ObjectID) {
			bad("%s: %q is not an id of %s", where, g.ObjectID, g.Resource)
		}
		if g.Action == "" {
			bad("%s: the action is empty", where)
		}
	}
	if len(problems) > 0 {
		return &ImportError{Problems: problems}
	}
	return nil
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}
