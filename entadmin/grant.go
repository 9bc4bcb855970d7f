package entadmin

import (
	"context"
	"net/http"
	"reflect"
	"sync"
)

// grant is what the user of one request may do with one resource: the
// actions they hold, each field's access, the related types they may view
// and the rows they may see and change. It is decided once per request and
// resource (see meta.grant) and every handler takes its permission checks,
// fields, row scopes and writes from it, so that a page cannot apply one
// rule and forget another.
type grant struct {
	m   *meta
	ctx context.Context // the authenticated request's
	u   User
	set *grants // the request's other grants; nil outside a request

	mu      sync.Mutex
	actions []decision        // the Authorizer's answers, by action
	decided [4]decision       // room for the answers of the usual actions
	fields  []fieldDecision   // the Authorizer's answers, by meta.fieldIndex
	others  map[string]Access // its answers on names outside the index
	capped  map[Action]map[string]Access
	scopes  map[Action]Predicate
}

// grants holds the grants of one request, by resource slug.
type grants struct {
	ctx context.Context
	u   User

	mu     sync.Mutex
	site   *Site
	all    []grant           // by meta.pos, the site's resources'
	bySlug map[string]*grant // the others'
}

type grantsKey struct{}

// withGrants gives the request, once authenticated, the store of its
// grants.
func (s *Site) withGrants(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		set := &grants{u: UserFrom(r.Context()), site: s, all: make([]grant, len(s.resources))}
		ctx := context.WithValue(r.Context(), grantsKey{}, set)
		set.ctx = ctx
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// grant returns the grant of the user in ctx on the resource: the one the
// request already decided, or a new one outside a request or for another
// user than the request's.
func (m *meta) grant(ctx context.Context) *grant {
	u := UserFrom(ctx)
	set, _ := ctx.Value(grantsKey{}).(*grants)
	if set == nil || !sameUser(set.u, u) {
		return &grant{m: m, ctx: ctx, u: u}
	}
	set.mu.Lock()
	defer set.mu.Unlock()
	if m.site == set.site && m.pos > 0 && m.pos <= len(set.all) {
		g := &set.all[m.pos-1]
		if g.m == nil {
			g.m, g.ctx, g.u, g.set = m, set.ctx, u, set
		}
		return g
	}
	g := set.bySlug[m.slug]
	if g == nil {
		g = &grant{m: m, ctx: set.ctx, u: u, set: set}
		if set.bySlug == nil {
			set.bySlug = map[string]*grant{}
		}
		set.bySlug[m.slug] = g
	}
	return g
}

// sameUser reports whether a and b are the same user value.
func sameUser(a, b User) bool {
	t := reflect.TypeOf(a)
	return t != nil && t == reflect.TypeOf(b) && t.Comparable() && a == b
}

// can reports whether the user may do action on the resource.
func (g *grant) can(action Action) bool {
	if g.m.viewOnly && action != ActionView || g.m.refusesAdd() && action == ActionAdd {
		return false
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, d := range g.actions {
		if d.action == action {
			return d.ok
		}
	}
	ok := g.m.site.auth.Allowed(g.ctx, g.u, action, g.m.slug)
	if g.actions == nil {
		g.actions = g.decided[:0]
	}
	g.actions = append(g.actions, decision{action, ok})
	return ok
}

// decision is the Authorizer's answer for an action.
type decision struct {
	action Action
	ok     bool
}

// fieldDecision is the Authorizer's answer for a field, once decided.
type fieldDecision struct {
	access  Access
	decided bool
}

// fieldAccess is the Authorizer's access of the user to a field of the
// resource, by ent field name, before the model permissions cap it.
func (g *grant) fieldAccess(name string) Access {
	fa, ok := g.m.site.auth.(FieldAccesser)
	if !ok {
		return AccessWrite
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	i, indexed := g.m.fieldIndex[name]
	if indexed {
		if g.fields == nil {
			g.fields = make([]fieldDecision, len(g.m.fieldIndex))
		}
		if d := g.fields[i]; d.decided {
			return d.access
		}
	} else if a, seen := g.others[name]; seen {
		return a
	}
	a := fa.FieldAccess(g.ctx, g.u, g.m.slug, name)
	switch {
	case indexed:
		g.fields[i] = fieldDecision{a, true}
	case g.others == nil:
		g.others = map[string]Access{name: a}
	default:
		g.others[name] = a
	}
	return a
}

// visible reports whether the user may see the field (the first edge of a
// path such as "category.name").
func (g *grant) visible(name string) bool {
	return g.fieldAccess(pathHead(name)) != AccessHidden
}

// canViewType reports whether the user may view the resource with the
// slug, related to this one by an edge. A type that is not in the admin
// has no permissions of its own: it follows the edge's.
func (g *grant) canViewType(slug string) bool {
	res, ok := g.m.site.bySlug[slug]
	if !ok {
		return true
	}
	return res.meta().grant(g.ctx).can(ActionView)
}

// scope returns the predicate limiting the rows the user may see (view),
// change or delete: the resource's Scope and the Authorizer's row and
// object scopes together; nil for every row.
func (g *grant) scope(action Action) (Predicate, error) {
	g.mu.Lock()
	p, seen := g.scopes[action]
	g.mu.Unlock()
	if seen {
		return p, nil
	}
	p, err := g.m.rowScope(g.ctx, g.u, action)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.scopes == nil {
		g.scopes = map[Action]Predicate{}
	}
	g.scopes[action] = p
	return p, nil
}

// scoped reports whether some rows of the resource are out of the user's
// sight.
func (g *grant) scoped() (bool, error) {
	p, err := g.scope(ActionView)
	return p != nil, err
}

// access returns the user's access to every field of the resource for
// action: the Authorizer's, capped by the model permissions (without the
// action, at most read-only) and, for an edge, by the view permission on
// its related type: without it the user cannot see what they would choose
// from, so the edge is read-only and kept as stored. The map is shared:
// copy it before changing it.
func (r *Resource[T]) access(ctx context.Context, action Action) map[string]Access {
	g := r.m.grant(ctx)
	g.mu.Lock()
	a, seen := g.capped[action]
	g.mu.Unlock()
	if seen {
		return a
	}
	ceiling := AccessReadOnly
	if g.can(action) {
		ceiling = AccessWrite
	}
	a = make(map[string]Access, len(r.Fields))
	for _, f := range r.Fields {
		fa := min(g.fieldAccess(f.Name), ceiling)
		if (f.Kind == KindEdge || f.Kind == KindEdges) && !g.canViewType(f.Target) {
			fa = min(fa, AccessReadOnly)
		}
		a[f.Name] = fa
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.capped == nil {
		g.capped = map[Action]map[string]Access{}
	}
	g.capped[action] = a
	return a
}
