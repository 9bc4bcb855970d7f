// Package rbac decides what entadmin's users may do, after Django's model:
// users belong to groups, groups inherit the permissions of their parent
// group, and permissions name a resource ("product", or one object
// "product/42") and an action ("view", "add", "change", "delete", ...).
//
// It runs casbin with the model of package policy. Subjects are
// "user:<id>" and "group:<id>", the ids of entadmin's User and Group rows.
// Permission and field-access rules are rows of the PolicyRule table;
// memberships and parent groups are the ent edges themselves (see Adapter).
// Superusers and inactive users are the caller's business. Pages serves
// the pages of the policy below /rbac/ on an entadmin site.
package rbac

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/persist"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/group"
	"github.com/entadmin/entadmin/policy"
	"github.com/entadmin/entadmin/policy/condition"
)

// allow is the effect of a rule that grants; "deny" is the other.
const allow = "allow"

// Enforcer answers permission questions from an in-memory copy of the
// policy. It writes each change to the database, reloads, and tells the
// other instances through its watcher, so that memory always mirrors the
// database. It is safe for concurrent use.
//
// It runs casbin's SyncedEnforcer, not the cached one, whose answers go
// stale after grouping changes.
type Enforcer struct {
	client  *ent.Client
	adapter *Adapter
	se      *casbin.SyncedEnforcer
	watcher persist.Watcher
	logger  *slog.Logger
	reload  sync.Mutex // serialises Reload, so that the newest load is applied last

	// Contextual rules (check.go).
	clock       func() time.Time
	userAttrs   map[string]UserAttributeFunc
	objectAttrs map[string]ObjectAttributeFunc // by "resource.name"
	rules       map[string]RuleFunc
	condMu      sync.RWMutex
	conds       map[string]conditional // the conditions of p rules, by ruleKey
}

// Option configures an Enforcer.
type Option func(*Enforcer)

// WithWatcher makes the Enforcer reload when the watcher reports a change
// by another instance, and tell the watcher after each of its own changes.
// The caller closes the watcher.
func WithWatcher(w persist.Watcher) Option { return func(e *Enforcer) { e.watcher = w } }

// WithLogger sets the logger for failed reloads triggered by the watcher
// (default slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(e *Enforcer) { e.logger = l } }

// New returns an Enforcer over client, with the policy loaded.
func New(ctx context.Context, client *ent.Client, opts ...Option) (*Enforcer, error) {
	m, err := policy.Model()
	if err != nil {
		return nil, fmt.Errorf("rbac: %w", err)
	}
	se, err := casbin.NewSyncedEnforcer(m)
	if err != nil {
		return nil, fmt.Errorf("rbac: %w", err)
	}
	e := &Enforcer{
		client: client, adapter: NewAdapter(client), se: se, logger: slog.Default(),
		clock: time.Now, userAttrs: map[string]UserAttributeFunc{}, objectAttrs: map[string]ObjectAttributeFunc{}, rules: map[string]RuleFunc{},
	}
	for _, opt := range opts {
		opt(e)
	}
	if e.watcher != nil {
		// Before the first load, so that no change after it goes unseen.
		if err := e.watcher.SetUpdateCallback(e.onUpdate); err != nil {
			return nil, fmt.Errorf("rbac: %w", err)
		}
	}
	if err := e.Reload(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// onUpdate is the watcher's callback.
func (e *Enforcer) onUpdate(string) {
	if err := e.Reload(context.Background()); err != nil {
		e.logger.Error("rbac: reload the policy after a change elsewhere", "err", err)
	}
}

// Reload loads the whole policy from the database and swaps it in.
func (e *Enforcer) Reload(ctx context.Context) error {
	e.reload.Lock()
	defer e.reload.Unlock()
	m, err := policy.Model()
	if err != nil {
		return fmt.Errorf("rbac: %w", err)
	}
	if err := e.adapter.LoadPolicyCtx(system(ctx), m); err != nil {
		return err
	}
	conds, err := e.loadConditions(ctx)
	if err != nil {
		return err
	}
	defer func() {
		e.condMu.Lock()
		e.conds = conds
		e.condMu.Unlock()
	}()
	lock := e.se.GetLock()
	lock.Lock()
	defer lock.Unlock()
	e.se.SetModel(m)
	// The embedded Enforcer's: the SyncedEnforcer's would take the lock again.
	if err := e.se.Enforcer.BuildRoleLinks(); err != nil {
		return fmt.Errorf("rbac: %w", err)
	}
	return nil
}

// GroupsChanged reloads the policy, and tells the other instances, after
// memberships or parent groups changed through ent. Call it once the change
// is committed: from a hook of User and Group mutations on a client outside
// a transaction, or after Tx.Commit.
func (e *Enforcer) GroupsChanged(ctx context.Context) error {
	return e.changed(ctx)
}

// changed reloads after a write and tells the other instances.
func (e *Enforcer) changed(ctx context.Context) error {
	err := e.Reload(ctx)
	if e.watcher != nil {
		if uerr := e.watcher.Update(); uerr != nil {
			err = errors.Join(err, fmt.Errorf("rbac: the policy changed, but the other instances were not told: %w", uerr))
		}
	}
	return err
}

// Allowed reports whether the user may perform action on resource, through
// its own rules and those of its groups and their parents. It is false for
// a user without rules and groups, unknown users included.
//
// Rules with conditions apply only when their conditions hold for a
// request at this moment with no client address and no object; use Check
// to give the circumstances.
func (e *Enforcer) Allowed(userID int, resource, action string) bool {
	ok, err := e.Decide(context.Background(), Request{UserID: userID, Resource: resource, Action: action})
	return err == nil && ok
}

// conditional reports whether some rule has conditions.
func (e *Enforcer) conditional() bool {
	e.condMu.RLock()
	defer e.condMu.RUnlock()
	return len(e.conds) > 0
}

// Grant stores the rule that subject ("user:<id>" or "group:<id>") may
// perform action ("*" for any) on resource ("product" or "product/42").
// Granting what is already granted does nothing.
func (e *Enforcer) Grant(ctx context.Context, subject, resource, action string) error {
	rule, err := permissionRule(subject, resource, action)
	if err != nil {
		return err
	}
	if err := e.adapter.AddPolicyCtx(ctx, "p", "p", rule); err != nil {
		return err
	}
	return e.changed(ctx)
}

// Revoke deletes the rule that Grant stores. It leaves deny rules alone.
func (e *Enforcer) Revoke(ctx context.Context, subject, resource, action string) error {
	rule, err := permissionRule(subject, resource, action)
	if err != nil {
		return err
	}
	if err := e.adapter.RemovePolicyCtx(ctx, "p", "p", rule); err != nil {
		return err
	}
	return e.changed(ctx)
}

// permissionRule returns the p rule granting action on resource to subject.
func permissionRule(subject, resource, action string) ([]string, error) {
	if _, err := parseSubject(subject); err != nil {
		return nil, fmt.Errorf("rbac: %w", err)
	}
	if resource == "" || action == "" {
		return nil, errors.New("rbac: empty resource or action")
	}
	return []string{subject, resource, action, allow}, nil
}

// Access is how much of a field a user may see: Hidden < ReadOnly < Write.
type Access int

// The field access levels, least permissive first.
const (
	Hidden Access = iota
	ReadOnly
	Write
)

var accessNames = [...]string{Hidden: "hidden", ReadOnly: "readonly", Write: "write"}

// String returns the name stored in p2 rules: "hidden", "readonly" or
// "write".
func (a Access) String() string {
	if a < Hidden || a > Write {
		return "Access(" + strconv.Itoa(int(a)) + ")"
	}
	return accessNames[a]
}

// ParseAccess parses an access name stored in p2 rules. Anything else is
// Hidden, so that a mistyped rule fails closed.
func ParseAccess(s string) Access {
	if i := slices.Index(accessNames[:], s); i >= 0 {
		return Access(i)
	}
	return Hidden
}

// SetFieldAccess stores the subject's access to field of resource, in place
// of the subject's previous rule for that field.
func (e *Enforcer) SetFieldAccess(ctx context.Context, subject, resource, field string, a Access) error {
	if _, err := parseSubject(subject); err != nil {
		return fmt.Errorf("rbac: %w", err)
	}
	if resource == "" || field == "" {
		return errors.New("rbac: empty resource or field")
	}
	if a < Hidden || a > Write {
		return fmt.Errorf("rbac: invalid %v", a)
	}
	if err := e.adapter.replace(ctx, "p2", []string{subject, resource, field, a.String(), allow}, 3); err != nil {
		return err
	}
	return e.changed(ctx)
}

// FieldAccess returns the user's access to field of resource: the most
// permissive over the field-access rules of the user and of all its groups
// and their parents (Django's union of permissions). explicit is false when
// no such rule names the field; the caller then derives the access from the
// model permissions (change gives Write, view gives ReadOnly). Rules whose
// effect is not "allow" are ignored.
func (e *Enforcer) FieldAccess(userID int, resource, field string) (a Access, explicit bool) {
	rules, err := e.se.GetNamedImplicitPermissionsForUser("p2", "g", UserSubject(userID))
	if err != nil {
		return Hidden, true // fail closed
	}
	for _, r := range rules { // sub, obj, fld, act, eft
		if len(r) < 5 || r[1] != resource || r[2] != field || r[4] != allow {
			continue
		}
		if v := ParseAccess(r[3]); !explicit || v > a {
			a = v
		}
		explicit = true
	}
	return a, explicit
}

// Permission is one thing a user may do, and where the permission comes
// from.
type Permission struct {
	Resource, Action string
	// Via is the chain from the user to the subject that holds the grant,
	// e.g. ["user:1", "group:3 (editors)", "group:2 (staff)"]; just
	// ["user:1"] for the user's own rule.
	Via []string
	// Conditions, when not nil, are the conditions under which the rule
	// applies; Effective does not evaluate them.
	Conditions *condition.Set
}

// Effective returns every permission the user has, through its own rules
// and those of its groups and their parents, sorted by resource and action.
// A permission that several rules give appears once, with the shortest
// chain; one that a deny rule overrides does not appear.
func (e *Enforcer) Effective(ctx context.Context, userID int) ([]Permission, error) {
	chains, err := e.chains(ctx, userID)
	if err != nil {
		return nil, err
	}
	rules, err := e.se.GetNamedPolicy("p")
	if err != nil {
		return nil, fmt.Errorf("rbac: %w", err)
	}
	best := make(map[[2]string]Permission)
	for _, r := range rules { // sub, obj, act, eft
		via, ok := chains[r[0]]
		if !ok || len(r) < 4 || r[3] != allow {
			continue
		}
		key := [2]string{r[1], r[2]}
		e.condMu.RLock()
		c, conditional := e.conds[ruleKey(r)]
		e.condMu.RUnlock()
		if p, dup := best[key]; dup {
			unconditional := p.Conditions == nil
			if unconditional && conditional || unconditional == !conditional && len(p.Via) <= len(via) {
				continue // one without conditions, or with a shorter chain, already gives it
			}
		}
		switch {
		case conditional:
			best[key] = Permission{Resource: r[1], Action: r[2], Via: via, Conditions: c.set}
		case e.Allowed(userID, r[1], r[2]):
			best[key] = Permission{Resource: r[1], Action: r[2], Via: via}
		}
	}
	return slices.SortedFunc(maps.Values(best), func(a, b Permission) int {
		return cmp.Or(strings.Compare(a.Resource, b.Resource), strings.Compare(a.Action, b.Action))
	}), nil
}

// Explanation says why a user may or may not do something.
type Explanation struct {
	Allowed bool
	// Reason is a sentence for people: which rule decided, and through
	// which chain of groups the user reaches its subject.
	Reason string
	// Rule is the deciding rule (subject, resource, action, effect), or nil
	// when no rule matched.
	Rule []string
	// Failed says, for each rule whose conditions did not hold, which
	// condition failed.
	Failed []string
}

// Explain says whether the user may perform action on resource, and why:
// the rule that allowed or denied it and the chain of groups through which
// it applies, or that no rule grants it. It is Check for a request now,
// without client address or object.
func (e *Enforcer) Explain(ctx context.Context, userID int, resource, action string) (Explanation, error) {
	return e.Check(ctx, Request{UserID: userID, Resource: resource, Action: action})
}

// chains returns, for the user and each group it reaches through
// memberships and parents, the shortest chain from the user to it, with
// groups labelled "group:<id> (<name>)".
func (e *Enforcer) chains(ctx context.Context, userID int) (map[string][]string, error) {
	g, err := e.se.GetNamedGroupingPolicy("g")
	if err != nil {
		return nil, fmt.Errorf("rbac: %w", err)
	}
	parents := make(map[string][]string)
	for _, r := range g {
		parents[r[0]] = append(parents[r[0]], r[1])
	}
	start := UserSubject(userID)
	paths := map[string][]string{start: {start}}
	var groupIDs []int
	for queue := []string{start}; len(queue) > 0; queue = queue[1:] {
		sub := queue[0]
		for _, p := range slices.Sorted(slices.Values(parents[sub])) {
			if _, seen := paths[p]; seen {
				continue
			}
			paths[p] = append(slices.Clip(paths[sub]), p)
			queue = append(queue, p)
			if s, err := parseSubject(p); err == nil && s.group {
				groupIDs = append(groupIDs, s.id)
			}
		}
	}
	groups, err := e.client.Group.Query().
		Where(group.IDIn(groupIDs...)).
		Select(group.FieldID, group.FieldName).
		All(system(ctx))
	if err != nil {
		return nil, fmt.Errorf("rbac: load group names: %w", err)
	}
	labels := make(map[string]string, len(groups))
	for _, g := range groups {
		labels[GroupSubject(g.ID)] = fmt.Sprintf("%s (%s)", GroupSubject(g.ID), g.Name)
	}
	for sub, path := range paths {
		labelled := make([]string, len(path))
		for i, s := range path {
			labelled[i] = cmp.Or(labels[s], s)
		}
		paths[sub] = labelled
	}
	return paths, nil
}

// Client returns the client of entadmin's models the Enforcer reads.
func (e *Enforcer) Client() *ent.Client { return e.client }
