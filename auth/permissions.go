package auth

import (
	"context"
	"sync"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
)

var _ entadmin.ObjectScoper = (*Authorizer)(nil)

// requestMemo holds what the permission checks of one request share: the
// resources and actions of the user's object grants, loaded at most once,
// and the answers of the enforcer, so that a write request uses a
// rate-limited permission once however often it is checked.
type requestMemo struct {
	once   sync.Once
	grants map[[2]string]bool
	err    error

	mu      sync.Mutex
	answers map[[2]string]bool
}

// allowedByPolicy answers Allowed from the enforcer: a rule of the user or
// its groups, with its conditions checked against the request, or else at
// least one object grant (which then limits the rows, see ObjectScope).
func (a *Authorizer) allowedByPolicy(ctx context.Context, u *User, action entadmin.Action, slug string) bool {
	ok, err := a.modelAllowed(ctx, u, action, slug)
	if err != nil {
		a.logger.Error("auth: permission check failed", "user", u.ID, "action", action, "resource", slug, "err", err)
		return false
	}
	if ok || action == entadmin.ActionAdd {
		return ok
	}
	grants, err := a.objectGrants(ctx, u)
	if err != nil {
		a.logger.Error("auth: permission check failed", "user", u.ID, "action", action, "resource", slug, "err", err)
		return false
	}
	return grants[[2]string{slug, string(action)}]
}

// modelAllowed reports whether the user holds action on the whole
// resource, once per request. The first check of a write request (a method
// other than GET, HEAD, OPTIONS) uses the permission: it counts against
// the rate limit of the rule that allows it.
func (a *Authorizer) modelAllowed(ctx context.Context, u *User, action entadmin.Action, slug string) (bool, error) {
	if a.permissions != nil {
		return a.permissions(ctx, u, action, slug), nil
	}
	info := entadmin.RequestInfoFrom(ctx)
	req := rbac.Request{UserID: u.ID, Resource: slug, Action: string(action), ClientAddr: info.ClientAddr, Use: info.Writes()}
	m := u.memo
	if m == nil {
		req.Use = false
		return a.enforcer.Decide(ctx, req)
	}
	key := [2]string{slug, string(action)}
	m.mu.Lock()
	defer m.mu.Unlock()
	if ok, seen := m.answers[key]; seen {
		return ok, nil
	}
	ok, err := a.enforcer.Decide(ctx, req)
	if err != nil {
		return false, err
	}
	if m.answers == nil {
		m.answers = map[[2]string]bool{}
	}
	m.answers[key] = ok
	return ok, nil
}

// objectGrants returns the resources and actions of the user's object
// grants, once per request.
func (a *Authorizer) objectGrants(ctx context.Context, u *User) (map[[2]string]bool, error) {
	if u.memo == nil {
		return a.enforcer.ObjectGrantsOf(ctx, u.ID)
	}
	u.memo.once.Do(func() { u.memo.grants, u.memo.err = a.enforcer.ObjectGrantsOf(ctx, u.ID) })
	return u.memo.grants, u.memo.err
}

// ObjectScope implements entadmin.ObjectScoper: users who hold the action
// on the whole resource (superusers included) see and change every row;
// others only the objects their object grants name (none without any).
func (a *Authorizer) ObjectScope(ctx context.Context, eu entadmin.User, t entadmin.ScopeTarget) (entadmin.Predicate, error) {
	u, ok := eu.(*User)
	if !ok || u == nil || u.User == nil || u.IsSuperuser || a.enforcer == nil {
		return nil, nil
	}
	all, err := a.modelAllowed(ctx, u, t.Action, t.Slug)
	if err != nil || all {
		return nil, err
	}
	return a.enforcer.ObjectPredicate(u.ID, t.Slug, string(t.Action), t.IDColumn, t.NumericID), nil
}
