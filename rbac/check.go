package rbac

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/ruleuse"
	"github.com/entadmin/entadmin/policy/condition"
)

// Request is one permission question with its circumstances, which the
// conditions of rules are checked against.
type Request struct {
	UserID           int
	Resource, Action string
	// ObjectID, when set, asks about one object: rules on
	// "resource/objectID" and object attribute conditions apply.
	ObjectID string
	// ClientAddr is the client's address (entadmin.ClientAddr); the zero
	// Addr is in no range.
	ClientAddr netip.Addr
	// Time is when the question is asked; zero means now.
	Time time.Time
	// Use records a use of a rate-limited rule that allows the request.
	// Set it for the requests that act (writes), not for those that only
	// decide what to show.
	Use bool
}

// UserAttributeFunc returns an attribute of a user for attribute
// conditions, such as the user's department.
type UserAttributeFunc func(ctx context.Context, u *ent.User) (string, error)

// ObjectAttributeFunc returns an attribute of the object of a resource
// with the id, as it appears in URLs, for attribute conditions, such as
// the id of the product's owner.
type ObjectAttributeFunc func(ctx context.Context, objectID string) (string, error)

// RuleFunc is a custom condition: it reports whether a rule naming it
// applies to the request. A false answer should come with a reason for
// people, which the checker shows.
type RuleFunc func(ctx context.Context, req Request) (ok bool, reason string, err error)

// WithUserAttribute registers an attribute of users for attribute
// conditions. Built in are "id", "username" and "email".
func WithUserAttribute(name string, fn UserAttributeFunc) Option {
	return func(e *Enforcer) { e.userAttrs[name] = fn }
}

// WithObjectAttribute registers an attribute of the objects of a resource
// (by slug) for attribute conditions, e.g. "owner" of "product".
func WithObjectAttribute(resource, name string, fn ObjectAttributeFunc) Option {
	return func(e *Enforcer) { e.objectAttrs[resource+"."+name] = fn }
}

// WithRule registers a custom condition under a name that rules list in
// their "custom" conditions.
func WithRule(name string, fn RuleFunc) Option {
	return func(e *Enforcer) { e.rules[name] = fn }
}

// WithClock replaces time.Now, for tests.
func WithClock(now func() time.Time) Option { return func(e *Enforcer) { e.clock = now } }

// conditional is a stored rule with conditions.
type conditional struct {
	id  int
	set *condition.Set
}

// ruleKey identifies a p rule by its values.
func ruleKey(rule []string) string { return strings.Join(rule, "\x00") }

// loadConditions reads the conditions of every p rule that has some.
func (e *Enforcer) loadConditions(ctx context.Context) (map[string]conditional, error) {
	rows, err := e.client.PolicyRule.Query().
		Where(policyrule.Ptype("p"), policyrule.ConditionsNotNil()).
		All(system(ctx))
	if err != nil {
		return nil, fmt.Errorf("rbac: load rule conditions: %w", err)
	}
	conds := make(map[string]conditional, len(rows))
	for _, r := range rows {
		if r.Conditions.Empty() {
			continue
		}
		rule := trimRule([]string{r.V0, r.V1, r.V2, r.V3, r.V4, r.V5})
		conds[ruleKey(rule)] = conditional{id: r.ID, set: r.Conditions}
	}
	return conds, nil
}

// trimRule drops trailing empty values, as the adapter does on load.
func trimRule(rule []string) []string {
	for len(rule) > 0 && rule[len(rule)-1] == "" {
		rule = rule[:len(rule)-1]
	}
	return rule
}

// ValidateConditions checks conditions before they are stored: their form,
// and that the attributes and custom rules they name are registered.
func (e *Enforcer) ValidateConditions(resource string, s *condition.Set) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if s == nil {
		return nil
	}
	var errs []string
	for _, a := range s.Attrs {
		if a.On == condition.OnUser && !e.hasUserAttr(a.Name) {
			errs = append(errs, fmt.Sprintf("unknown user attribute %q", a.Name))
		}
		if a.On == condition.OnObject && e.objectAttrs[objectBase(resource)+"."+a.Name] == nil {
			errs = append(errs, fmt.Sprintf("unknown attribute %q of %s objects", a.Name, objectBase(resource)))
		}
		if a.User != "" && !e.hasUserAttr(a.User) {
			errs = append(errs, fmt.Sprintf("unknown user attribute %q", a.User))
		}
	}
	for _, c := range s.Custom {
		if e.rules[c] == nil {
			errs = append(errs, fmt.Sprintf("unknown custom rule %q", c))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// objectBase returns the resource of "product/42": "product".
func objectBase(resource string) string {
	base, _, _ := strings.Cut(resource, "/")
	return base
}

func (e *Enforcer) hasUserAttr(name string) bool {
	switch name {
	case "id", "username", "email":
		return true
	}
	return e.userAttrs[name] != nil
}

// Check answers req: whether the user may do it, which rule decided, and
// why each rule whose conditions failed did not apply. Rules are those of
// the user and of its groups and their parents; a deny rule that applies
// beats any allow rule.
func (e *Enforcer) Check(ctx context.Context, req Request) (Explanation, error) {
	d, err := e.decide(ctx, req)
	if err != nil {
		return Explanation{}, err
	}
	if d.rule == nil {
		reason := fmt.Sprintf("denied: no rule grants %s on %s to %s", req.Action, d.obj, UserSubject(req.UserID))
		if len(d.failed) > 0 {
			reason += "; " + strings.Join(d.failed, "; ")
		}
		return Explanation{Reason: reason, Failed: d.failed}, nil
	}
	x, err := e.explain(ctx, req.UserID, d.allowed, d.rule)
	x.Failed = d.failed
	return x, err
}

// Decide answers req as Check does, without the explanation, which costs a
// query.
func (e *Enforcer) Decide(ctx context.Context, req Request) (bool, error) {
	if !e.conditional() {
		ok, err := e.se.Enforce(UserSubject(req.UserID), objectKey(req), req.Action)
		if err != nil {
			return false, fmt.Errorf("rbac: %w", err)
		}
		return ok, nil
	}
	d, err := e.decide(ctx, req)
	return d.allowed, err
}

// objectKey returns the casbin object of req: "product" or "product/42".
func objectKey(req Request) string {
	if req.ObjectID != "" {
		return req.Resource + "/" + req.ObjectID
	}
	return req.Resource
}

// decision is the outcome of decide.
type decision struct {
	allowed bool
	obj     string
	rule    []string // the deciding rule, nil when none applies
	failed  []string // why rules with conditions did not apply
}

// decide evaluates the rules for req.
func (e *Enforcer) decide(ctx context.Context, req Request) (decision, error) {
	if req.Time.IsZero() {
		req.Time = e.clock()
	}
	obj := objectKey(req)
	subjects := map[string]bool{UserSubject(req.UserID): true}
	roles, err := e.se.GetImplicitRolesForUser(UserSubject(req.UserID))
	if err != nil {
		return decision{}, fmt.Errorf("rbac: %w", err)
	}
	for _, r := range roles {
		subjects[r] = true
	}
	rules, err := e.se.GetNamedPolicy("p")
	if err != nil {
		return decision{}, fmt.Errorf("rbac: %w", err)
	}
	e.condMu.RLock()
	conds := e.conds
	e.condMu.RUnlock()
	ev := evaluation{e: e, req: req}
	var allowRule, denyRule []string
	var allowCond *conditional
	var failed []string
	for _, r := range rules { // sub, obj, act, eft
		if len(r) < 4 || !subjects[r[0]] || !(obj == r[1] || strings.HasPrefix(obj, r[1]+"/")) || !actionMatches(r[2], r[3], req.Action) {
			continue
		}
		c, hasCond := conds[ruleKey(r)]
		if r[3] == allow && allowRule != nil && allowCond == nil {
			continue // already allowed by a rule without conditions
		}
		if hasCond {
			why, err := ev.failed(ctx, c)
			if err != nil {
				return decision{}, err
			}
			if why != "" {
				failed = append(failed, fmt.Sprintf("the rule (%s) did not apply: %s", strings.Join(r, ", "), why))
				continue
			}
		}
		if r[3] != allow {
			denyRule = r
			break
		}
		if allowRule == nil || (allowCond != nil && !hasCond) {
			allowRule = r
			allowCond = nil
			if hasCond {
				allowCond = &c
			}
		}
	}
	d := decision{allowed: allowRule != nil && denyRule == nil, obj: obj, rule: allowRule, failed: failed}
	if denyRule != nil {
		d.rule = denyRule
	}
	if d.allowed && req.Use && allowCond != nil && allowCond.set.Rate != nil {
		if err := e.client.RuleUse.Create().SetRuleID(allowCond.id).SetUserID(req.UserID).SetAt(req.Time).Exec(system(ctx)); err != nil {
			return decision{}, fmt.Errorf("rbac: record a use of rule %d: %w", allowCond.id, err)
		}
	}
	return d, nil
}

// actionMatches reports whether a rule on ruleAction with the effect
// applies to a request for action, as the matcher of policy's model
// decides: "*" matches any action, and as in Django an allowed change
// allows view too.
func actionMatches(ruleAction, effect, action string) bool {
	return ruleAction == "*" || ruleAction == action || action == "view" && ruleAction == "change" && effect == allow
}

// explain describes the deciding rule and the chain of groups through
// which it reaches the user.
func (e *Enforcer) explain(ctx context.Context, userID int, ok bool, rule []string) (Explanation, error) {
	chains, err := e.chains(ctx, userID)
	if err != nil {
		return Explanation{}, err
	}
	via, found := chains[rule[0]]
	if !found { // the policy changed in between
		via = []string{rule[0]}
	}
	verdict := "denied"
	if ok {
		verdict = "allowed"
	}
	reason := fmt.Sprintf("%s by the rule of %s (%s)", verdict, via[len(via)-1], strings.Join(rule, ", "))
	if len(via) > 1 {
		reason += ", reached through " + strings.Join(via, " → ")
	}
	return Explanation{Allowed: ok, Reason: reason, Rule: rule}, nil
}

// evaluation checks the conditions of rules for one request, loading the
// user at most once.
type evaluation struct {
	e    *Enforcer
	req  Request
	user *ent.User
}

// failed returns why the conditions do not hold, or "" when they do.
func (ev *evaluation) failed(ctx context.Context, c conditional) (string, error) {
	s, req := c.set, ev.req
	if len(s.CIDR) > 0 && !condition.InRanges(req.ClientAddr, s.CIDR) {
		addr := "unknown"
		if req.ClientAddr.IsValid() {
			addr = req.ClientAddr.String()
		}
		return fmt.Sprintf("the client address %s is outside %s", addr, strings.Join(s.CIDR, ", ")), nil
	}
	if s.Time != nil && !s.Time.Contains(req.Time) {
		return fmt.Sprintf("%s is outside the time window %s", req.Time.UTC().Format("Mon 15:04 UTC"), s.Time), nil
	}
	for _, a := range s.Attrs {
		why, err := ev.attr(ctx, a)
		if why != "" || err != nil {
			return why, err
		}
	}
	for _, name := range s.Custom {
		fn := ev.e.rules[name]
		if fn == nil {
			return fmt.Sprintf("the custom rule %q is not registered", name), nil
		}
		ok, reason, err := fn(ctx, req)
		if err != nil {
			return "", fmt.Errorf("rbac: custom rule %q: %w", name, err)
		}
		if !ok {
			return fmt.Sprintf("the custom rule %q failed: %s", name, reason), nil
		}
	}
	if s.Rate != nil {
		window, err := s.Rate.Duration()
		if err != nil {
			return err.Error(), nil
		}
		n, err := ev.e.client.RuleUse.Query().
			Where(ruleuse.RuleID(c.id), ruleuse.UserID(req.UserID), ruleuse.AtGT(req.Time.Add(-window))).
			Count(system(ctx))
		if err != nil {
			return "", fmt.Errorf("rbac: count uses of rule %d: %w", c.id, err)
		}
		if n >= s.Rate.Max {
			return fmt.Sprintf("the rate limit of %d uses per %s is reached", s.Rate.Max, s.Rate.Window), nil
		}
	}
	return "", nil
}

// attr returns why the attribute condition does not hold, or "".
func (ev *evaluation) attr(ctx context.Context, a condition.Attr) (string, error) {
	var got string
	switch a.On {
	case condition.OnUser:
		v, err := ev.userAttr(ctx, a.Name)
		if err != nil {
			return "", err
		}
		got = v
	case condition.OnObject:
		if ev.req.ObjectID == "" {
			return fmt.Sprintf("%s needs an object, and none was asked about", a), nil
		}
		fn := ev.e.objectAttrs[ev.req.Resource+"."+a.Name]
		if fn == nil {
			return fmt.Sprintf("the attribute %q of %s objects is not registered", a.Name, ev.req.Resource), nil
		}
		v, err := fn(ctx, ev.req.ObjectID)
		if err != nil {
			return "", fmt.Errorf("rbac: object attribute %s.%s: %w", ev.req.Resource, a.Name, err)
		}
		got = v
	default:
		return fmt.Sprintf("%s: unknown side", a), nil
	}
	want := a.Value
	if a.User != "" {
		v, err := ev.userAttr(ctx, a.User)
		if err != nil {
			return "", err
		}
		want = v
	}
	if !a.Holds(got, want) {
		return fmt.Sprintf("%s does not hold (%s.%s is %q)", a, a.On, a.Name, got), nil
	}
	return "", nil
}

// userAttr returns an attribute of the request's user.
func (ev *evaluation) userAttr(ctx context.Context, name string) (string, error) {
	if name == "id" {
		return fmt.Sprint(ev.req.UserID), nil
	}
	if ev.user == nil {
		u, err := ev.e.client.User.Get(system(ctx), ev.req.UserID)
		if err != nil {
			return "", fmt.Errorf("rbac: load user %d: %w", ev.req.UserID, err)
		}
		ev.user = u
	}
	switch name {
	case "username":
		return ev.user.Username, nil
	case "email":
		return ev.user.Email, nil
	}
	fn := ev.e.userAttrs[name]
	if fn == nil {
		return "", fmt.Errorf("rbac: user attribute %q is not registered", name)
	}
	v, err := fn(ctx, ev.user)
	if err != nil {
		return "", fmt.Errorf("rbac: user attribute %q: %w", name, err)
	}
	return v, nil
}
