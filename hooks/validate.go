package hooks

import (
	"context"
	"fmt"

	entgo "entgo.io/ent"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
)

// ValidatePolicy returns an ent hook, for the client of entadmin's own
// models, that refuses malformed grants before they are stored, whoever
// writes them: an object grant must name exactly one user or group, a
// resource of site and an id that resource can have; a policy rule's
// conditions must be well formed, on a permission ("p") rule, and name
// registered attributes and custom rules. It refuses with an
// entadmin.FieldError, which the admin shows on the form.
func ValidatePolicy(e *rbac.Enforcer, site *entadmin.Site) entgo.Hook {
	return func(next entgo.Mutator) entgo.Mutator {
		return entgo.MutateFunc(func(ctx context.Context, m entgo.Mutation) (entgo.Value, error) {
			if m.Op().Is(entgo.OpCreate | entgo.OpUpdate | entgo.OpUpdateOne) {
				var err error
				switch m := m.(type) {
				case *ent.ObjectGrantMutation:
					err = validateObjectGrant(ctx, site, m)
				case *ent.PolicyRuleMutation:
					err = validateConditions(ctx, e, m)
				}
				if err != nil {
					return nil, err
				}
			}
			return next.Mutate(ctx, m)
		})
	}
}

// grant is an object grant as a mutation leaves it.
type grant struct {
	userID, groupID            *int
	resource, objectID, action string
}

// grantAfter returns the object grant as m leaves it: its new values over
// the old ones of the row it updates.
func grantAfter(ctx context.Context, m *ent.ObjectGrantMutation) (grant, error) {
	var g grant
	if id, ok := m.ID(); ok && m.Op().Is(entgo.OpUpdateOne) {
		old, err := m.Client().ObjectGrant.Get(system(ctx), id)
		if err != nil {
			return g, err
		}
		g = grant{old.UserID, old.GroupID, old.Resource, old.ObjectID, old.Action}
	}
	if v, ok := m.UserID(); ok {
		g.userID = &v
	}
	if m.UserIDCleared() || m.UserCleared() {
		g.userID = nil
	}
	if v, ok := m.GroupID(); ok {
		g.groupID = &v
	}
	if m.GroupIDCleared() || m.GroupCleared() {
		g.groupID = nil
	}
	if v, ok := m.Resource(); ok {
		g.resource = v
	}
	if v, ok := m.ObjectID(); ok {
		g.objectID = v
	}
	if v, ok := m.Action(); ok {
		g.action = v
	}
	return g, nil
}

func validateObjectGrant(ctx context.Context, site *entadmin.Site, m *ent.ObjectGrantMutation) error {
	if m.Op().Is(entgo.OpUpdate) {
		return &entadmin.FormError{Message: "Object grants are changed one at a time."}
	}
	g, err := grantAfter(ctx, m)
	if err != nil {
		return err
	}
	return CheckObjectGrant(site, g.userID != nil, g.groupID != nil, g.resource, g.objectID)
}

// CheckObjectGrant checks the parts of an object grant that ValidatePolicy
// checks: exactly one subject, a resource of site, an id it can have.
func CheckObjectGrant(site *entadmin.Site, hasUser, hasGroup bool, resource, objectID string) error {
	if hasUser == hasGroup {
		return &entadmin.FieldError{Field: "user", Message: "Choose either a user or a group (exactly one)."}
	}
	res, ok := site.Resource(resource)
	if !ok {
		return &entadmin.FieldError{Field: "resource", Message: fmt.Sprintf("There is no resource %q in this admin.", resource)}
	}
	if _, err := res.ParseID(objectID); err != nil {
		return &entadmin.FieldError{Field: "object_id", Message: fmt.Sprintf("%q is not an id of %s.", objectID, res.LabelPlural)}
	}
	return nil
}

func validateConditions(ctx context.Context, e *rbac.Enforcer, m *ent.PolicyRuleMutation) error {
	conds, set := m.Conditions()
	if !set || conds.Empty() {
		return nil
	}
	if m.Op().Is(entgo.OpUpdate) { // no single rule to check against
		if err := conds.Validate(); err != nil {
			return &entadmin.FieldError{Field: "conditions", Message: "Invalid conditions: " + err.Error()}
		}
		return nil
	}
	if ptype := value(ctx, m.Ptype, m.OldPtype); ptype != "p" {
		return &entadmin.FieldError{Field: "conditions", Message: fmt.Sprintf("Only permission rules (ptype p) take conditions, not %q.", ptype)}
	}
	if err := e.ValidateConditions(value(ctx, m.V1, m.OldV1), conds); err != nil {
		return &entadmin.FieldError{Field: "conditions", Message: "Invalid conditions: " + err.Error()}
	}
	return nil
}

// system returns ctx without the admin user, for reads that the user's row
// scope must not limit.
func system(ctx context.Context) context.Context {
	if entadmin.UserFrom(ctx) == nil {
		return ctx
	}
	return entadmin.WithUser(ctx, nil)
}
