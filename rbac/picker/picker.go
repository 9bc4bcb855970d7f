// Package picker is the permission picker of the group and user forms: a
// grid of the site's resources by actions with a checkbox per model
// permission, a select per field for field access, the grants inherited
// from groups shown checked and disabled, and the rules the grid cannot
// express (deny, conditional and per-object rules, object grants) listed
// read-only and kept by a save. batteries.Install puts it on the forms:
//
//	res.Group.FormParts = append(res.Group.FormParts, picker.New(site, client, picker.OfGroup))
//
// A save writes the difference as policy rules through the ent client, in
// the form's transaction, so the escalation guard (package hooks) checks
// every rule, and the audit log records it.
package picker

import (
	"context"
	"fmt"
	"net/http"

	"github.com/a-h/templ"

	"github.com/entadmin/entadmin/auth"
	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/rbac"
	"github.com/entadmin/entadmin/views"
)

// Actions are the model permissions of the grid's columns; a resource's
// own permissions (of its bulk actions and endpoints) come after them.
var Actions = []string{"view", "add", "change", "delete"}

// The names of the picker's inputs.
const (
	markerInput = "_permissions" // posted with the picker: absent, nothing changes
	permInput   = "_perm"        // one value "slug:action" per checked box
	accessInput = "_access:"     // "_access:slug:field", the field's access
)

// policyRules is the slug of the policy rules' resource, whose permissions
// decide whether the picker is shown and editable.
const policyRules = "policyrule"

// Picker is the permission picker of the form of T, a group or a user: an
// entadmin.FormPart.
type Picker[T any] struct {
	site    *entadmin.Site
	client  *ent.Client
	subject func(T) (Subject, bool)
}

// Subject is whom a picker edits the permissions of.
type Subject struct {
	ID    int
	Group bool // a group, else a user
}

// String returns the subject as casbin rules name it: "group:3", "user:7".
func (s Subject) String() string {
	if s.Group {
		return rbac.GroupSubject(s.ID)
	}
	return rbac.UserSubject(s.ID)
}

// OfGroup returns the subject of a group's permissions; false for the
// group of an add form (nil).
func OfGroup(g *ent.Group) (Subject, bool) {
	if g == nil {
		return Subject{}, false
	}
	return Subject{ID: g.ID, Group: true}, true
}

// OfUser returns the subject of a user's permissions; false for the user
// of an add form (nil).
func OfUser(u *ent.User) (Subject, bool) {
	if u == nil {
		return Subject{}, false
	}
	return Subject{ID: u.ID}, true
}

// New returns the picker of the forms of T on site, reading and writing
// policy rules with client (the client of entadmin's own models); subject
// returns whom an entity's permissions belong to.
func New[T any](site *entadmin.Site, client *ent.Client, subject func(T) (Subject, bool)) *Picker[T] {
	return &Picker[T]{site: site, client: client, subject: subject}
}

var _ entadmin.FormPart[*ent.Group] = (*Picker[*ent.Group])(nil)

// visible reports whether the user of the request may see the picker: who
// may view policy rules.
func (p *Picker[T]) visible(req *http.Request) bool {
	return p.site.Allowed(req.Context(), entadmin.ActionView, policyRules) || p.editable(req)
}

// editable reports whether the user of the request may change permissions
// with the picker: who may add and delete policy rules.
func (p *Picker[T]) editable(req *http.Request) bool {
	ctx := req.Context()
	return p.site.Allowed(ctx, entadmin.ActionAdd, policyRules) && p.site.Allowed(ctx, entadmin.ActionDelete, policyRules)
}

// self reports whether the entity is the admin user of the request, who
// may not change their own permissions unless a superuser (see
// hooks.EscalationGuard).
func (p *Picker[T]) self(req *http.Request, e T) bool {
	sub, ok := p.subject(e)
	u, isUser := entadmin.UserFrom(req.Context()).(*auth.User)
	return ok && !sub.Group && isUser && u.User != nil && u.ID == sub.ID && !u.IsSuperuser
}

// Decode implements entadmin.FormPart: it reads the checked boxes and the
// fields' access. A post without the picker, or from a user who may not
// change these permissions, changes nothing.
func (p *Picker[T]) Decode(req *http.Request, e T) (any, error) {
	if !req.PostForm.Has(markerInput) || !p.editable(req) || p.self(req, e) {
		return nil, nil
	}
	return decode(req, newCatalog(p.site.Resources()))
}

// Save implements entadmin.FormPart: it writes the difference between the
// posted permissions and the subject's own rules, in the transaction ctx
// carries.
func (p *Picker[T]) Save(ctx context.Context, e T, v any) error {
	po, ok := v.(*posted)
	if !ok {
		return fmt.Errorf("picker: posted value of type %T", v)
	}
	sub, ok := p.subject(e)
	if !ok {
		return nil
	}
	client := p.client
	if tx := ent.TxFromContext(ctx); tx != nil {
		client = tx.Client()
	}
	changes, err := save(ctx, client, sub, newCatalog(p.site.Resources()), po)
	if err != nil || len(changes) == 0 {
		return err
	}
	return p.record(ctx, e, sub, changes)
}

// View implements entadmin.FormPart.
func (p *Picker[T]) View(req *http.Request, e T, v any, readOnly bool) (templ.Component, error) {
	if !p.visible(req) {
		return nil, nil
	}
	po, _ := v.(*posted)
	pk, err := p.view(req, e, po, readOnly || !p.editable(req) || p.self(req, e))
	if err != nil {
		return nil, err
	}
	return views.PermissionPickerView(pk), nil
}
