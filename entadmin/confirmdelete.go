package entadmin

import (
	"github.com/entadmin/entadmin/entadmin/store"
	"net/http"

	"github.com/entadmin/entadmin/views"
)

// serveConfirmDelete answers GET /{slug}/{id}/confirm-delete/ with the
// delete confirmation as a modal dialog fragment: what the entity is, what
// the delete takes along, and a button that posts to the delete page. The
// delete links of the form open it with htmx; without JavaScript they lead
// to the delete page itself.
func (r *Resource[T]) serveConfirmDelete(w http.ResponseWriter, req *http.Request, id string) error {
	if err := r.m.check(req, ActionDelete); err != nil {
		return err
	}
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
	page := r.deletePage(req, id, r.Display(e), related, protected)
	page.Page = views.Page{Prefix: Prefix(req), Title: "Delete " + r.Label + " “" + page.Object + "”"}
	r.m.site.render(w, req, http.StatusOK, views.DeleteDialog(page))
	return nil
}
