package rbac

import (
	"net/http"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/views"
)

var _ entadmin.NavLinker = (*Pages)(nil)

// NavLinks implements entadmin.NavLinker: the permission pages, for the
// users they open to.
func (p *Pages) NavLinks(s *entadmin.Site, r *http.Request) []views.Link {
	if !s.Allowed(r.Context(), entadmin.ActionView, PagesResource) {
		return nil
	}
	return []views.Link{{Label: "Permissions", URL: rbacPath}}
}
