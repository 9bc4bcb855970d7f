package batteries_test

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/entadmin/entadmin/auth"
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

// TestSessionCacheKeepsToExpiryIdlenessStaffStatusAndGrants checks that a
// session remembered in process is refused once it expires or goes idle,
// though no table changed and it was validated less than a minute before,
// and that a remembered staff user loses the admin when is_staff is
// cleared and a grant when it is revoked.
func TestSessionCacheKeepsToExpiryIdlenessStaffStatusAndGrants(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	wait := func(d time.Duration) { mu.Lock(); defer mu.Unlock(); now = now.Add(d) }
	for _, tc := range []struct {
		name string
		opt  auth.Option
	}{
		{"expiry", auth.WithMaxAge(40 * time.Second)},
		{"idleness", auth.WithIdleTimeout(40 * time.Second)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := cache.New(ctx)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(c.Close)
			s := install(t, dialect.Postgres, false, batteries.WithCache(c), batteries.WithAuthOptions(auth.WithClock(clock), tc.opt))
			hash, _ := password.Hash("the staff password")
			staff := s.pack.Client().User.Create().SetUsername("sam").SetPasswordHash(hash).SetIsStaff(true).SaveX(ctx)
			if err := s.pack.Enforcer().Grant(ctx, rbac.UserSubject(staff.ID), "category", "view"); err != nil {
				t.Fatal(err)
			}
			sam := s.login("sam", "the staff password")
			for range 2 { // validated, then remembered
				if status, _ := s.get(sam, "/category/"); status != http.StatusOK {
					t.Fatalf("logged in: status %d", status)
				}
			}
			wait(45 * time.Second)
			if status, _ := s.get(sam, "/category/"); status != http.StatusSeeOther {
				t.Errorf("after %s: status %d, want 303 to the login", tc.name, status)
			}
		})
	}
	t.Run("staff status and grants", func(t *testing.T) {
		c, err := cache.New(ctx)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Close)
		s := install(t, dialect.Postgres, false, batteries.WithCache(c))
		hash, _ := password.Hash("the staff password")
		users := s.pack.Client().User
		staff := users.Create().SetUsername("sam").SetPasswordHash(hash).SetIsStaff(true).SaveX(ctx)
		e := s.pack.Enforcer()
		for _, r := range []string{"category", "product"} {
			if err := e.Grant(ctx, rbac.UserSubject(staff.ID), r, "view"); err != nil {
				t.Fatal(err)
			}
		}
		sam := s.login("sam", "the staff password")
		for range 2 {
			if status, _ := s.get(sam, "/product/"); status != http.StatusOK {
				t.Fatalf("logged in: status %d", status)
			}
		}
		if err := e.Revoke(ctx, rbac.UserSubject(staff.ID), "product", "view"); err != nil {
			t.Fatal(err)
		}
		if status, _ := s.get(sam, "/product/"); status != http.StatusForbidden {
			t.Errorf("after the grant is revoked: status %d, want 403", status)
		}
		if status, _ := s.get(sam, "/category/"); status != http.StatusOK {
			t.Errorf("the other grant: status %d, want 200", status)
		}
		users.UpdateOneID(staff.ID).SetIsStaff(false).ExecX(ctx)
		if status, _ := s.get(sam, "/category/"); status != http.StatusSeeOther {
			t.Errorf("after is_staff is cleared: status %d, want 303 to the login", status)
		}
	})
}
