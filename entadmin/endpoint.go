package entadmin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"

	"github.com/entadmin/entadmin/policy/fieldaccess"
	"github.com/entadmin/entadmin/views"
)

// ReservedEndpointNames are the URL segments the site serves itself below
// a resource; custom endpoints cannot take them.
var ReservedEndpointNames = []string{
	"add", "partial", "autocomplete", "filter-choices", "validate", "export", "inline-row", "list-save",
	"history", "delete", "confirm-delete", "password", "columns", "change",
}

// EndpointFunc handles a custom endpoint of a resource's list,
// /{slug}/{name}/. It writes its response, or writes nothing and the user
// goes back to the list (with the messages queued with AddMessage). An
// *entadmin.FormError or *entadmin.FieldError is shown as an error message,
// and so is the refusal of a write of a field the user may not change (see
// Endpoint.Writes); other errors are logged and answered with 500.
type EndpointFunc func(w http.ResponseWriter, r *http.Request) error

// ObjectEndpointFunc handles a custom endpoint of one entity,
// /{slug}/{id}/{name}/, which it gets loaded within the user's row scope
// (an id outside it is a 404). It answers like an EndpointFunc; writing
// nothing goes back to the entity's form.
type ObjectEndpointFunc[T any] func(w http.ResponseWriter, r *http.Request, e T) error

// Endpoint is a custom page of a resource (the reference's model_action),
// served behind the site's login and permission checks. Requests other than
// GET run in one database transaction, like saves. Add one with
// Resource.ListEndpoint or Resource.ObjectEndpoint, and configure it with
// its methods:
//
//	res.Product.ObjectEndpoint("duplicate", duplicate).
//		Permission(entadmin.ActionAdd).
//		Button("Duplicate")
type Endpoint struct {
	name    string
	perm    Action
	methods []string
	button  string
	object  bool
	serve   func(w http.ResponseWriter, r *http.Request, id string) error
	writes  []string
	check   func(where string, fields []string) // the resource's checkWrites
}

// Permission sets the permission the endpoint needs on the resource, beside
// view: ActionChange by default, another built-in one, or a name of its own
// such as "restock", which the Authorizer is asked about like the others.
func (e *Endpoint) Permission(p Action) *Endpoint {
	if !validName(string(p)) {
		panic(fmt.Sprintf("entadmin: endpoint %q: Permission(%q): want lower-case letters, digits, '_' and '-'", e.name, p))
	}
	e.perm = p
	return e
}

// Writes declares the fields and edges, by ent name, that the endpoint's
// permission lets it write whatever the user's access to them, as
// BulkAction.Writes does for an action. It panics on a name that is not a
// field or edge of the resource.
func (e *Endpoint) Writes(fields ...string) *Endpoint {
	e.check(fmt.Sprintf("entadmin: endpoint %q", e.name), fields)
	e.writes = append(e.writes, fields...)
	return e
}

// Methods sets the HTTP methods the endpoint accepts (default POST only).
func (e *Endpoint) Methods(methods ...string) *Endpoint {
	for _, m := range methods {
		if m != http.MethodGet && m != http.MethodPost {
			panic(fmt.Sprintf("entadmin: endpoint %q: method %q: want GET or POST", e.name, m))
		}
	}
	e.methods = methods
	return e
}

// Button shows a button with the label to the users who may use the
// endpoint: on the list for a list endpoint, on the form for an object
// endpoint. It posts when the endpoint accepts POST, and links otherwise.
func (e *Endpoint) Button(label string) *Endpoint {
	e.button = label
	return e
}

// ListEndpoint adds a custom endpoint at /{slug}/{name}/. It panics on a
// name that is malformed, taken, or reserved (ReservedEndpointNames), which
// are programming errors.
func (r *Resource[T]) ListEndpoint(name string, fn EndpointFunc) *Endpoint {
	e := r.addEndpoint("ListEndpoint", name, fn == nil)
	e.serve = func(w http.ResponseWriter, req *http.Request, _ string) error { return fn(w, req) }
	return e
}

// ObjectEndpoint adds a custom endpoint at /{slug}/{id}/{name}/. It panics
// like ListEndpoint.
func (r *Resource[T]) ObjectEndpoint(name string, fn ObjectEndpointFunc[T]) *Endpoint {
	e := r.addEndpoint("ObjectEndpoint", name, fn == nil)
	e.object = true
	e.serve = func(w http.ResponseWriter, req *http.Request, id string) error {
		entity, err := r.Get(req.Context(), id)
		if err != nil {
			return err
		}
		return fn(w, req, entity)
	}
	return e
}

func (r *Resource[T]) addEndpoint(method, name string, nilFunc bool) *Endpoint {
	where := fmt.Sprintf("entadmin: %s.%s(%q)", r.Type, method, name)
	switch {
	case !validName(name):
		panic(where + ": want a name of lower-case letters, digits, '_' and '-'")
	case slices.Contains(ReservedEndpointNames, name):
		panic(fmt.Sprintf("%s: the site serves /%s/%s/ itself; pick another name (reserved: %q)", where, r.Slug, name, ReservedEndpointNames))
	case slices.ContainsFunc(r.endpoints, func(e *Endpoint) bool { return e.name == name }):
		panic(where + ": added twice")
	case nilFunc:
		panic(where + ": nil function")
	}
	e := &Endpoint{name: name, perm: ActionChange, methods: []string{http.MethodPost}, check: r.checkWrites}
	r.endpoints = append(r.endpoints, e)
	return e
}

// serveEndpoint serves the endpoint named name, of the entity with the id
// ("" for a list endpoint); it reports false when the resource has none.
func (r *Resource[T]) serveEndpoint(w http.ResponseWriter, req *http.Request, id, name string) (bool, error) {
	i := slices.IndexFunc(r.endpoints, func(e *Endpoint) bool { return e.name == name && e.object == (id != "") })
	if i < 0 {
		return false, nil
	}
	e := r.endpoints[i]
	site := r.m.site
	if !slices.Contains(e.methods, req.Method) && !(req.Method == http.MethodHead && slices.Contains(e.methods, http.MethodGet)) {
		w.Header().Set("Allow", fmt.Sprint(e.methods))
		return true, refuse(http.StatusMethodNotAllowed, "This page does not accept "+req.Method+" requests.")
	}
	if err := r.m.check(req, ActionView); err != nil {
		return true, err
	}
	if err := r.m.check(req, e.perm); err != nil {
		return true, err
	}
	back := Prefix(req) + "/" + r.Slug + "/"
	if id != "" {
		back += url.PathEscape(id) + "/"
	}
	rec := &responseRecorder{ResponseWriter: w}
	req = req.WithContext(fieldaccess.Allow(acting(req.Context(), r.Slug, e.perm), r, e.writes...))
	var err error
	if req.Method == http.MethodGet || req.Method == http.MethodHead {
		err = e.serve(rec, req, id)
	} else {
		err = r.Atomic(req.Context(), func(ctx context.Context) error { return e.serve(rec, req.WithContext(ctx), id) })
	}
	switch {
	case rec.wrote:
		if err != nil {
			site.logger.Error("entadmin: endpoint failed after it answered", "endpoint", e.name, "path", req.URL.Path, "err", err)
		}
		return true, nil
	case err != nil && r.isNotFound(err):
		return true, r.orNotFound(err)
	case err != nil:
		text, ok := userError(err)
		if !ok {
			return true, err
		}
		AddMessage(w, req, views.LevelError, text)
	}
	http.Redirect(w, req, back, http.StatusSeeOther)
	return true, nil
}

// tools returns the buttons of the endpoints the request's user may use:
// list endpoints for id "", object endpoints of the entity otherwise.
func (r *Resource[T]) tools(req *http.Request, base, id string) []views.Tool {
	var out []views.Tool
	for _, e := range r.endpoints {
		if e.button == "" || e.object != (id != "") || !r.m.can(req, e.perm) {
			continue
		}
		u := base + e.name + "/"
		if id != "" {
			u = base + url.PathEscape(id) + "/" + e.name + "/"
		}
		out = append(out, views.Tool{Label: e.button, URL: u, Post: slices.Contains(e.methods, http.MethodPost)})
	}
	return out
}
