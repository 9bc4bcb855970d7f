package batteries_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/entadmin/entadmin/batteries"
	"github.com/entadmin/entadmin/cache"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/rbac"
)

// TestSessionCacheEndsSessionsAtOnce checks, for a staff user limited to
// viewing categories, that with the site's cache the sessions remembered
// in process end at the next request when the user logs out, is
// deactivated or gets another password, and that the remembered user is
// still refused what they were not granted.
func TestSessionCacheEndsSessionsAtOnce(t *testing.T) {
	for _, d := range dialects {
		t.Run(d, func(t *testing.T) {
			ctx := context.Background()
			c, err := cache.New(ctx)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.Close)
			s := install(t, d, false, batteries.WithCache(c))
			hash, _ := password.Hash("the staff password")
			users := s.pack.Client().User
			staff := users.Create().SetUsername("sam").SetPasswordHash(hash).SetIsStaff(true).SaveX(ctx)
			if err := s.pack.Enforcer().Grant(ctx, rbac.UserSubject(staff.ID), "category", "view"); err != nil {
				t.Fatal(err)
			}
			expect := func(c *http.Client, path string, want int, when string) {
				t.Helper()
				if status, _ := s.get(c, path); status != want {
					t.Errorf("%s: GET %s: status %d, want %d", when, path, status, want)
				}
			}
			loggedIn := func(c *http.Client, when string) {
				t.Helper()
				for range 3 { // the first validates the session, the others find it remembered
					expect(c, "/category/", http.StatusOK, when)
					expect(c, "/product/", http.StatusForbidden, when)
					expect(c, "/user/", http.StatusForbidden, when)
				}
			}
			refused := func(c *http.Client, when string) {
				t.Helper()
				expect(c, "/category/", http.StatusSeeOther, when)
			}

			sam := s.login("sam", "the staff password")
			loggedIn(sam, "logged in")
			before := s.login("sam", "the staff password") // a second session, to replay after logout
			loggedIn(before, "second session")
			admin, _ := url.Parse(s.base + "/")
			cookies := before.Jar.Cookies(admin)
			if status, _ := s.post(before, "/logout/", url.Values{}); status != http.StatusSeeOther {
				t.Fatalf("log out: status %d", status)
			}
			refused(before, "after logout")
			before.Jar.SetCookies(admin, cookies) // the cookie from before the logout, replayed
			refused(before, "after logout")
			loggedIn(sam, "the other session after logout")

			users.UpdateOneID(staff.ID).SetIsActive(false).ExecX(ctx)
			refused(sam, "after deactivation")
			users.UpdateOneID(staff.ID).SetIsActive(true).ExecX(ctx)
			refused(sam, "after reactivation") // the deactivation ended the session

			sam = s.login("sam", "the staff password")
			loggedIn(sam, "logged in again")
			other, _ := password.Hash("another password")
			users.UpdateOneID(staff.ID).SetPasswordHash(other).ExecX(ctx)
			refused(sam, "after a password change")

			st, err := c.Stats(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.QueryCache.Hits == 0 {
				t.Error("no session was found in the cache")
			}
		})
	}
}
