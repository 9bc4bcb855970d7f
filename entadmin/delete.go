package entadmin

import (
	"context"
	"fmt"
	"github.com/entadmin/entadmin/entadmin/store"
	"net/http"
	"net/url"
	"slices"

	"github.com/entadmin/entadmin/views"
)

// maxRelatedShown caps the related rows a delete confirmation lists per
// group.
const maxRelatedShown = 20

// serveDelete shows the confirmation of a delete (GET) or deletes (POST).
func (r *Resource[T]) serveDelete(w http.ResponseWriter, req *http.Request, id string) error {
	if err := r.m.check(req, ActionDelete); err != nil {
		return err
	}
	site := r.m.site
	ctx := req.Context()
	e, err := r.Get(ctx, id)
	if err != nil {
		return r.orNotFound(err)
	}
	related, err := r.related(req, id)
	if err != nil {
		return err
	}
	protected := false
	for _, g := range related {
		protected = protected || g.Effect == store.EffectProtected
	}
	prefix := Prefix(req)
	base := prefix + "/" + r.Slug + "/"
	name := r.Display(e)
	refused := "" // why a delete hook refused the delete
	if req.Method == http.MethodPost && !protected {
		if err := r.Atomic(ctx, func(ctx context.Context) error { return r.Delete(ctx, id) }); err != nil {
			if r.isNotFound(err) {
				return ErrNotFound
			}
			refused = RefusalMessage(err)
			if refused == "" && !r.IsConstraint(err) {
				return err
			}
			protected = refused == "" // rows appeared since the page was shown
		} else {
			AddMessage(w, req, views.LevelSuccess, fmt.Sprintf("The %s “%s” was deleted.", r.Label, name))
			http.Redirect(w, req, r.respond(req, e, false, true, listReturn(base, changelistFilters(req))), http.StatusSeeOther)
			return nil
		}
	}
	page := r.deletePage(req, id, name, related, protected)
	page.Page = site.page(w, req, "Delete "+r.Label+" “"+name+"”", r.Slug)
	if refused != "" {
		page.Messages = append(page.Messages, views.Message{Level: views.LevelError, Text: "The " + r.Label + " was not deleted: " + refused})
	}
	page.Breadcrumbs = []views.Link{{Label: "Home", URL: prefix + "/"}, {Label: capitalize(r.LabelPlural), URL: listReturn(base, changelistFilters(req))}, {Label: name, URL: page.CancelURL}, {Label: "Delete"}}
	status := http.StatusOK
	if req.Method == http.MethodPost {
		status = http.StatusConflict
	}
	site.render(w, req, status, r.views().Delete(page))
	return nil
}

// related lists the rows that deleting the entity with the id affects:
// every one of them counted, since the delete affects them whether or not
// the user may see them, but named only where the user may view them.
func (r *Resource[T]) related(req *http.Request, id string) ([]store.RelatedRows, error) {
	ctx := req.Context()
	groups, err := r.Related(Unscoped(ctx), id, maxRelatedShown)
	if err != nil {
		return nil, err
	}
	for i := range groups {
		g := &groups[i]
		t, ok := r.m.site.bySlug[g.Target]
		if !ok {
			continue
		}
		if !t.meta().can(req, ActionView) {
			g.Items = nil
			continue
		}
		ids := make([]string, len(g.Items))
		for j, item := range g.Items {
			ids[j] = item.ID
		}
		names, err := t.names(ctx, ids)
		if err != nil {
			return nil, err
		}
		g.Items = slices.DeleteFunc(g.Items, func(item store.Ref) bool {
			_, ok := names[item.ID]
			return !ok
		})
		for j := range g.Items {
			g.Items[j].Label = names[g.Items[j].ID]
		}
	}
	return groups, nil
}

// deletePage is the confirmation of the delete of the entity with the id
// and name: the related rows it affects, and whether they protect it. The
// caller adds the frame of the page.
func (r *Resource[T]) deletePage(req *http.Request, id, name string, related []store.RelatedRows, protected bool) views.DeletePage {
	prefix := Prefix(req)
	edit := prefix + "/" + r.Slug + "/" + url.PathEscape(id) + "/"
	page := views.DeletePage{
		Object:    name,
		TypeLabel: r.Label,
		Action:    keepFilters(edit+"delete/", changelistFilters(req)),
		CancelURL: keepFilters(edit, changelistFilters(req)),
		Protected: protected,
	}
	for _, g := range related {
		vr := views.Related{Label: g.Label, Effect: g.Effect, More: g.Total - len(g.Items)}
		for _, item := range g.Items {
			link := views.Link{Label: item.Label}
			if g.Target != "" {
				link.URL = prefix + "/" + g.Target + "/" + url.PathEscape(item.ID) + "/"
			}
			vr.Items = append(vr.Items, link)
		}
		page.Related = append(page.Related, vr)
	}
	return page
}
