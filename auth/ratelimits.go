package auth

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/ent/policyrule"
	"github.com/entadmin/entadmin/ent/ruleuse"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/views"
)

// RateLimitsResource is the slug of the permission that opens the page of
// login throttling to users who are not superusers: "view" on it.
const RateLimitsResource = "ratelimit"

// rateLimitsPath is the page of login throttling below the site's prefix.
const rateLimitsPath = "/ratelimits/"

var _ entadmin.NavLinker = (*Authorizer)(nil)

// NavLinks implements entadmin.NavLinker: the login rate limits, for the
// users they open to.
func (a *Authorizer) NavLinks(s *entadmin.Site, r *http.Request) []views.Link {
	if !s.Allowed(r.Context(), entadmin.ActionView, RateLimitsResource) {
		return nil
	}
	return []views.Link{{Label: "Login rate limits", URL: rateLimitsPath}}
}

// Bounds of the page: the failures it reads and the rows of each table.
const (
	maxScanned   = 10000
	maxLimitRows = 100
)

// rateLimits shows the state of login throttling (see WithThrottle), read
// from the failed logins of the audit log, which every instance shares.
func (h handlers) rateLimits(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !h.site.Allowed(ctx, entadmin.ActionView, RateLimitsResource) {
		h.site.Error(w, r, http.StatusForbidden, "This page needs the “view” permission on “"+RateLimitsResource+"”.")
		return
	}
	a := h.a
	now := a.now()
	failures, err := a.client.AuditEntry.Query().
		Where(auditentry.Action(actionLoginFailed), auditentry.AtGT(now.Add(-a.window))).
		Order(auditentry.ByAt(sql.OrderDesc()), auditentry.ByID(sql.OrderDesc())).
		Limit(maxScanned+1).
		Select(auditentry.FieldAt, auditentry.FieldUserName, auditentry.FieldIP).
		All(own(ctx))
	if err != nil {
		h.serverError(w, r, fmt.Errorf("read failed logins: %w", err))
		return
	}
	p := views.RateLimitsPage{
		Page:      h.site.Page(w, r, "Login rate limits"),
		Window:    window(a.window),
		Truncated: len(failures) > maxScanned,
	}
	failures = failures[:min(len(failures), maxScanned)]
	p.Scanned = len(failures)
	// Each group's failures, newest first, as the throttle reads them.
	type key struct{ username, ip string }
	byIP, byPair, byName := map[key][]time.Time{}, map[key][]time.Time{}, map[key][]time.Time{}
	for _, f := range failures {
		byIP[key{ip: f.IP}] = append(byIP[key{ip: f.IP}], f.At)
		byPair[key{f.UserName, f.IP}] = append(byPair[key{f.UserName, f.IP}], f.At)
		byName[key{username: f.UserName}] = append(byName[key{username: f.UserName}], f.At)
	}
	rows := func(groups map[key][]time.Time, limit int) []views.RateLimitRow {
		var out []views.RateLimitRow
		for k, at := range groups {
			row := views.RateLimitRow{Username: k.username, IP: k.ip, Failures: len(at), Limit: limit}
			if limit > 0 && len(at) >= limit {
				t := throttling{until: at[limit-1].Add(a.window)}
				row.Blocked = fmt.Sprintf("%d min", t.minutes(now))
			}
			if limit == 0 {
				row.Delay = throttling{failures: len(at)}.delay().String()
			}
			out = append(out, row)
		}
		slices.SortFunc(out, func(x, y views.RateLimitRow) int {
			return cmp.Or(cmp.Compare(y.Failures, x.Failures), cmp.Compare(x.Username, y.Username), cmp.Compare(x.IP, y.IP))
		})
		return out[:min(len(out), maxLimitRows)]
	}
	p.Addresses = rows(byIP, a.ipLimit)
	p.Pairs = rows(byPair, a.userLimit)
	p.Usernames = rows(byName, 0)
	if p.RuleUses, err = h.ruleUses(r, now); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.site.Render(w, r, http.StatusOK, views.RateLimitsView(p))
}

// ruleUses returns the uses of rate-limited policy rules in the day
// before now, by rule and user, most used first; bounded as the failures
// are.
func (h handlers) ruleUses(r *http.Request, now time.Time) ([]views.RuleUseRow, error) {
	ctx := own(r.Context())
	uses, err := h.a.client.RuleUse.Query().
		Where(ruleuse.AtGT(now.Add(-24 * time.Hour))).
		Order(ruleuse.ByAt(sql.OrderDesc())).
		Limit(maxScanned).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("read rule uses: %w", err)
	}
	type key struct{ rule, user int }
	count, last := map[key]int{}, map[key]time.Time{}
	var ruleIDs, userIDs []int
	for _, u := range uses {
		k := key{u.RuleID, u.UserID}
		if count[k] == 0 {
			last[k] = u.At
			ruleIDs, userIDs = append(ruleIDs, u.RuleID), append(userIDs, u.UserID)
		}
		count[k]++
	}
	rules, err := h.a.client.PolicyRule.Query().Where(policyrule.IDIn(ruleIDs...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("read rate-limited rules: %w", err)
	}
	users, err := h.a.client.User.Query().Where(user.IDIn(userIDs...)).Select(user.FieldUsername).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("read the rules' users: %w", err)
	}
	ruleName, userName := map[int]string{}, map[int]string{}
	for _, p := range rules {
		ruleName[p.ID] = fmt.Sprintf("#%d: %s may %s %s", p.ID, p.V0, p.V2, p.V1)
	}
	for _, u := range users {
		userName[u.ID] = u.Username
	}
	out := make([]views.RuleUseRow, 0, len(count))
	for k, n := range count {
		out = append(out, views.RuleUseRow{
			Rule: cmp.Or(ruleName[k.rule], fmt.Sprintf("#%d (deleted)", k.rule)),
			User: cmp.Or(userName[k.user], fmt.Sprintf("#%d (deleted)", k.user)),
			Uses: n,
			Last: last[k].Format(time.DateTime),
		})
	}
	slices.SortFunc(out, func(x, y views.RuleUseRow) int {
		return cmp.Or(cmp.Compare(y.Uses, x.Uses), cmp.Compare(x.Rule, y.Rule), cmp.Compare(x.User, y.User))
	})
	return out[:min(len(out), maxLimitRows)], nil
}

// window says how long d is, e.g. "15 minutes".
func window(d time.Duration) string {
	if d%time.Minute == 0 {
		if d == time.Minute {
			return "minute"
		}
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}
