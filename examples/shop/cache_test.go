package main

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/rbac"
)

// cacheInstance starts one more instance of the shop on the prepared
// database at dsn, with a Redis client when redisURL is set, and returns it with the base URL of its admin.
func cacheInstance(t *testing.T, dsn, redisURL string) (*app, string) {
	t.Helper()
	ctx := context.Background()
	db, err := openDB(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if redisURL != "" {
		if db.redis, err = openRedis(ctx, redisURL); err != nil {
			t.Skip("no Redis:", err)
		}
	}
	a, srv := serveApp(t, db)
	return a, srv.URL + "/admin"
}

// listCount is the number of products the product list says it has.
var listCount = regexp.MustCompile(`(\d[\d,]*) products?\b`)

// productCount returns the count the product list shows b.
func productCount(t *testing.T, b *browserless) int {
	t.Helper()
	status, body := b.do("GET", "/product/", nil)
	if status != http.StatusOK {
		t.Fatalf("product list: status %d", status)
	}
	m := listCount.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the product list shows no count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

func TestAWriteOnOneInstanceIsReadFreshOnTheOther(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, redis string }{
		{"with Redis", "redis://127.0.0.1:6379/0"},
		{"with PostgreSQL's LISTEN/NOTIFY", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := seededPostgres(t, 20)
			a, baseA := cacheInstance(t, dsn, tc.redis)
			_, baseB := cacheInstance(t, dsn, tc.redis)
			hash, _ := password.Hash("pw of root")
			a.own.User.Create().SetUsername("root").SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(true).SaveX(ctx)
			onA, onB := login(t, baseA, "root", "pw of root"), login(t, baseB, "root", "pw of root")
			for range 2 { // the second read is served by the cache
				if n := productCount(t, onB); n != 20 {
					t.Fatalf("B shows %d products, want 20", n)
				}
			}
			// The application's own code, through A's client.
			p := a.db.client.Product.Create().SetName("Fresh").SetPrice(1).SaveX(ctx)
			if n := productCount(t, onB); n != 21 {
				t.Errorf("after a create on A, B shows %d products, want 21", n)
			}
			// The admin's delete, on A.
			if status, _ := onA.do("POST", "/product/"+strconv.Itoa(p.ID)+"/delete/", nil); status != http.StatusSeeOther {
				t.Fatalf("delete on A: status %d", status)
			}
			if n := productCount(t, onB); n != 20 {
				t.Errorf("after a delete on A, B shows %d products, want 20", n)
			}
			if n := productCount(t, onA); n != 20 {
				t.Errorf("after its own delete, A shows %d products, want 20", n)
			}
			var st struct {
				QueryCache struct {
					Hits int `json:"hits"`
				} `json:"query_cache"`
			}
			status, body := onB.do("GET", "/cache/json", nil)
			if err := json.Unmarshal([]byte(body), &st); status != http.StatusOK || err != nil {
				t.Fatalf("cache JSON: status %d, %v", status, err)
			}
			if st.QueryCache.Hits == 0 {
				t.Error("B's cache served no hit")
			}
		})
	}
}

func TestAScopedCountIsNeverServedToAnotherUser(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, eve, _ := shopWithUsers(t) // eve views every product
	// sam sees one product only, through an object grant.
	sam := newStaff(t, a, "sam")
	id := a.db.client.Product.Query().FirstIDX(ctx)
	a.own.ObjectGrant.Create().SetUserID(sam).SetResource("product").SetObjectID(strconv.Itoa(id)).SetAction("view").SaveX(ctx)
	asSam := login(t, eve.base, "sam", "pw of sam")
	all := productCount(t, eve)
	for i := range 2 {
		if n := productCount(t, asSam); n != 1 {
			t.Errorf("read %d: sam sees %d products, want 1", i, n)
		}
		if n := productCount(t, eve); n != all {
			t.Errorf("read %d: eve sees %d products, want %d", i, n, all)
		}
	}
}

func TestTheCacheDashboardNeedsItsOwnPermission(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	a, eve, _ := shopWithUsers(t)
	vic := newStaff(t, a, "vic")
	if err := a.enforcer.Grant(ctx, rbac.UserSubject(vic), "product", string(entadmin.ActionView)); err != nil {
		t.Fatal(err)
	}
	asVic := login(t, eve.base, "vic", "pw of vic")
	for _, path := range []string{"/cache/", "/cache/json"} {
		if status, _ := asVic.do("GET", path, nil); status != http.StatusForbidden {
			t.Errorf("%s as a user with view on products only: status %d, want 403", path, status)
		}
	}
	if err := a.enforcer.Grant(ctx, rbac.UserSubject(vic), "cache", "view"); err != nil {
		t.Fatal(err)
	}
	status, body := asVic.do("GET", "/cache/", nil)
	if status != http.StatusOK || !regexp.MustCompile(`hx-trigger="every 5s"`).MatchString(body) {
		t.Errorf("/cache/ with view on cache: status %d, or no refresh every 5 s", status)
	}
	productCount(t, eve)
	productCount(t, eve)
	status, body = asVic.do("GET", "/cache/json", nil)
	var st map[string]any
	if err := json.Unmarshal([]byte(body), &st); status != http.StatusOK || err != nil {
		t.Fatalf("/cache/json: status %d, %v", status, err)
	}
	if h := st["query_cache"].(map[string]any)["hits"].(float64); h < 1 {
		t.Errorf("hits = %v after the same list twice, want at least 1", h)
	}
}
