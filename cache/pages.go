package cache

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/views"
)

// PagesResource is the permission object of the dashboard: "view" on it
// opens the dashboard to users who are not superusers.
const PagesResource = "cache"

// Paths of the dashboard below the site's prefix.
const (
	DashboardPath = "/cache/"
	JSONPath      = "/cache/json"
)

// Pages serve the cache dashboard at /cache/ (refreshing every five
// seconds) and its figures as JSON at /cache/json, to users the site's
// Authorizer allows "view" on PagesResource:
//
//	site.Configure(entadmin.WithPages(&cache.Pages{Cache: c}))
type Pages struct {
	Cache *Cache
}

var _ entadmin.Pages = (*Pages)(nil)

var _ entadmin.NavLinker = (*Pages)(nil)

// NavLinks implements entadmin.NavLinker: the dashboard, for the users it
// opens to.
func (p *Pages) NavLinks(s *entadmin.Site, r *http.Request) []views.Link {
	if !s.Allowed(r.Context(), entadmin.ActionView, PagesResource) {
		return nil
	}
	return []views.Link{{Label: "Cache", URL: DashboardPath}}
}

// PrivateRoutes implements entadmin.Pages.
func (p *Pages) PrivateRoutes(s *entadmin.Site, r chi.Router) {
	r = r.With(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !s.Allowed(r.Context(), entadmin.ActionView, PagesResource) {
				s.Error(w, r, http.StatusForbidden, "The cache dashboard needs the “view” permission on “"+PagesResource+"”.")
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	r.Get(DashboardPath, func(w http.ResponseWriter, r *http.Request) {
		st, err := p.Cache.Stats(r.Context())
		if err != nil {
			s.ServerError(w, r, err)
			return
		}
		page := views.CacheDashboardPage{Page: s.Page(w, r, "Cache"), RefreshURL: entadmin.Prefix(r) + DashboardPath}
		page.Breadcrumbs = []views.Link{{Label: "Home", URL: page.Prefix + "/"}, {Label: "Cache"}}
		fill(&page, st)
		s.Render(w, r, http.StatusOK, views.CacheDashboardView(page))
	})
	r.Get(JSONPath, func(w http.ResponseWriter, r *http.Request) {
		st, err := p.Cache.Stats(r.Context())
		if err != nil {
			s.ServerError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		json.NewEncoder(w).Encode(st)
	})
}

// fill puts the figures of st on the dashboard's page.
func fill(p *views.CacheDashboardPage, st Stats) {
	q, tt := st.QueryCache, st.TwoTier
	n := func(v int64) string { return strconv.FormatInt(v, 10) }
	p.Figures = []views.CacheFigure{
		{Label: "Hit rate", Value: q.HitRate},
		{Label: "Requests", Value: n(q.TotalRequests)},
		{Label: "Hits", Value: n(q.Hits)},
		{Label: "Misses", Value: n(q.Misses)},
		{Label: "Values stored", Value: n(q.Sets)},
		{Label: "Invalidations", Value: n(q.Invalidations)},
		{Label: "Tables tracked", Value: strconv.Itoa(q.TableCount)},
	}
	p.Tiers = []views.CacheTier{{Label: "In process (L1)", Percent: strconv.Itoa(tt.L1HitRatePct), Hits: n(tt.L1Hits)}}
	if tt.L2 {
		p.Tiers = append(p.Tiers, views.CacheTier{Label: "Redis (L2)", Percent: strconv.Itoa(tt.L2HitRatePct), Hits: n(tt.L2Hits)})
	}
	p.Tiers = append(p.Tiers, views.CacheTier{Label: "Overall", Percent: strconv.Itoa(tt.OverallHitRatePct), Hits: n(tt.L1Hits + tt.L2Hits)})
	p.LocMem = "The in-process tier is off."
	if m := st.LocMem; m != nil {
		p.LocMem = fmt.Sprintf("In process: %d of %d entries (%d%%).", m.Entries, m.MaxSize, m.UtilizationPct)
	}
	for _, v := range st.TableVersions {
		p.Versions = append(p.Versions, views.CacheFigure{Label: v.Name, Value: n(v.Version)})
	}
}
