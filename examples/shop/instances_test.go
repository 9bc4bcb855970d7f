package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/rbac"
)

// instanceEnv, set to an address, makes the test binary serve the shop
// there instead of running the tests: an instance of startInstances.
const instanceEnv = "SHOP_TEST_INSTANCE_ADDR"

// instance is a shop process of the test.
type instance struct {
	cmd  *exec.Cmd
	url  string // e.g. http://127.0.0.1:41234
	mu   sync.Mutex
	log  strings.Builder
	done chan error
}

// readyURL finds the address in the shop's "ready" log line.
var readyURL = regexp.MustCompile(`url=(http://\S+)/admin/`)

// failuresMetric finds the count of failed logins in an instance's metrics.
var failuresMetric = regexp.MustCompile(`(?m)^entadmin_login_failures_total (\d+)$`)

// startInstances starts n processes of the shop on the Postgres database
// at dsn with one secret key, and stops them when the test ends.
func startInstances(t *testing.T, dsn string, n int) []*instance {
	t.Helper()
	key := make([]byte, 32)
	rand.Read(key)
	var out []*instance
	for range n {
		in := &instance{done: make(chan error, 1)}
		in.cmd = exec.Command(os.Args[0])
		in.cmd.Env = append(os.Environ(), instanceEnv+"=127.0.0.1:0", "DATABASE_URL="+dsn, "ENTADMIN_SECRET_KEY="+hex.EncodeToString(key))
		stderr, err := in.cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		// Held open until this process exits: see TestMain.
		if _, err := in.cmd.StdinPipe(); err != nil {
			t.Fatal(err)
		}
		if err := in.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make(chan string, 1)
		go func() {
			sc := bufio.NewScanner(stderr)
			for sc.Scan() {
				in.mu.Lock()
				in.log.WriteString(sc.Text() + "\n")
				in.mu.Unlock()
				if m := readyURL.FindStringSubmatch(sc.Text()); m != nil {
					ready <- m[1]
				}
			}
			in.done <- in.cmd.Wait()
		}()
		t.Cleanup(func() {
			if in.cmd.ProcessState == nil {
				in.cmd.Process.Kill()
				<-in.done
			}
		})
		select {
		case in.url = <-ready:
		case <-time.After(30 * time.Second):
			t.Fatalf("the instance did not start within 30 s:\n%s", in.output())
		}
		out = append(out, in)
	}
	return out
}

func (in *instance) output() string {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.log.String()
}

// stop sends SIGTERM and waits for the instance to exit.
func (in *instance) stop(t *testing.T) {
	t.Helper()
	in.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-in.done:
		if err != nil || !strings.Contains(in.output(), "shop: stopped") {
			t.Errorf("the instance at %s did not stop cleanly on SIGTERM: %v\n%s", in.url, err, in.output())
		}
	case <-time.After(10 * time.Second):
		t.Errorf("the instance at %s still runs 10 s after SIGTERM", in.url)
	}
}

// proxied is a user's browser behind the proxy.
type proxied struct{ browserless }

func newProxied(t *testing.T, base string) *proxied {
	jar, _ := cookiejar.New(nil)
	return &proxied{browserless{t: t, base: base, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}}
}

// answer is a response of an instance.
type answer struct {
	status   int
	body     string
	location string
	servedBy int
}

// do sends a request through the proxy, to instance on, or to the next
// one when on is -1.
func (p *proxied) do(on int, method, path string, form url.Values) answer {
	p.t.Helper()
	header := http.Header{}
	if on >= 0 {
		header.Set(instanceHeader, strconv.Itoa(on))
	}
	resp, body := p.send(method, path, form, header)
	served, _ := strconv.Atoi(resp.Header.Get(instanceHeader))
	return answer{resp.StatusCode, body, resp.Header.Get("Location"), served}
}

// login logs in through instance on.
func (p *proxied) login(on int, username, pw string) answer {
	p.t.Helper()
	return p.do(on, http.MethodPost, "/admin/login/", url.Values{"username": {username}, "password": {pw}})
}

// form returns the values of the edit form (the one with a version) of
// the page at path, loaded from instance on, as a browser would submit it
// unchanged.
func (p *proxied) form(on int, path string) url.Values {
	p.t.Helper()
	a := p.do(on, http.MethodGet, path, nil)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(a.body))
	if a.status != http.StatusOK || err != nil {
		p.t.Fatalf("GET %s on instance %d: status %d, %v", path, on, a.status, err)
	}
	return formValues(doc.Find("form").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Find("[name=_version]").Length() > 0
	}).First())
}

func TestTwoInstancesBehindAProxyShareSessionsThrottlingPermissionsAndData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// The schema, the products and the users, made before the instances
	// start, so that they have nothing to migrate or seed.
	var dsn string
	a, _ := startSeeded(t, 20, func(s string) string { dsn = s; return s })
	users := map[string]int{}
	for _, u := range []struct {
		name      string
		superuser bool
	}{{"root", true}, {"sam", false}, {"mallory", false}} {
		hash, _ := password.Hash("pw of " + u.name)
		users[u.name] = a.own.User.Create().SetUsername(u.name).SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(u.superuser).SaveX(ctx).ID
	}
	if err := a.enforcer.Grant(ctx, rbac.UserSubject(users["sam"]), "product", "view"); err != nil {
		t.Fatal(err)
	}
	product := a.db.client.Product.Query().FirstX(ctx)
	productPath := fmt.Sprintf("/admin/product/%d/", product.ID)

	start := time.Now()
	instances := startInstances(t, dsn, 2)
	t.Logf("two instances started in %v", time.Since(start).Round(time.Millisecond))
	var targets []*url.URL
	for _, in := range instances {
		u, _ := url.Parse(in.url)
		targets = append(targets, u)
	}
	proxy := httptest.NewServer(roundRobin(targets))
	t.Cleanup(proxy.Close)

	// A session made on one instance works on the other, and requests
	// alternate between them.
	root := newProxied(t, proxy.URL)
	if r := root.login(0, "root", "pw of root"); r.status != http.StatusSeeOther || r.servedBy != 0 {
		t.Fatalf("root's login on instance 0: status %d, served by %d", r.status, r.servedBy)
	}
	if r := root.do(1, http.MethodGet, "/admin/", nil); r.status != http.StatusOK || !strings.Contains(r.body, ">root<") {
		t.Errorf("root's session made on instance 0, on instance 1: status %d", r.status)
	}
	served := map[int]bool{}
	for range 4 {
		r := root.do(-1, http.MethodGet, "/admin/product/", nil)
		served[r.servedBy] = true
		if r.status != http.StatusOK {
			t.Errorf("the product list through the proxy, on instance %d: status %d", r.servedBy, r.status)
		}
	}
	if len(served) != 2 {
		t.Errorf("the proxy sent four requests to instances %v, want both", served)
	}

	// Failed logins count across both: five wrong passwords, spread over
	// the two (three on one, two on the other), block the right one.
	var wg sync.WaitGroup
	for i := range 5 {
		wg.Go(func() {
			if r := newProxied(t, proxy.URL).login(i%2, "mallory", "wrong"); r.status != http.StatusUnauthorized {
				t.Errorf("mallory's wrong password %d on instance %d: status %d, want 401", i, i%2, r.status)
			}
		})
	}
	wg.Wait()
	if r := newProxied(t, proxy.URL).login(1, "mallory", "pw of mallory"); r.status != http.StatusTooManyRequests {
		t.Errorf("mallory's right password after five failures over both instances: status %d, want 429", r.status)
	}
	// Each instance's metrics count its own refusals.
	failures := 0
	for i := range instances {
		m := root.do(i, http.MethodGet, "/metrics", nil).body
		match := failuresMetric.FindStringSubmatch(m)
		if match == nil {
			t.Errorf("instance %d's metrics lack the failed logins", i)
			continue
		}
		n, _ := strconv.Atoi(match[1])
		failures += n
		if want := fmt.Sprintf("entadmin_login_throttled_total %d\n", i); !strings.Contains(m, want) {
			t.Errorf("instance %d's metrics lack %q", i, want)
		}
	}
	if failures != 5 {
		t.Errorf("the instances' metrics count %d failed logins, want 5", failures)
	}

	// A grant made on instance 0 opens categories to sam on instance 1
	// within a second (the policy watcher's LISTEN/NOTIFY).
	sam := newProxied(t, proxy.URL)
	if r := sam.login(1, "sam", "pw of sam"); r.status != http.StatusSeeOther {
		t.Fatalf("sam's login: status %d", r.status)
	}
	if r := sam.do(1, http.MethodGet, "/admin/category/", nil); r.status != http.StatusForbidden {
		t.Errorf("categories for sam before the grant: status %d, want 403", r.status)
	}
	if r := sam.do(1, http.MethodGet, "/admin/ratelimits/", nil); r.status != http.StatusForbidden {
		t.Errorf("the rate limits for sam: status %d, want 403", r.status)
	}
	grant := url.Values{"ptype": {"p"}, "v0": {rbac.UserSubject(users["sam"])}, "v1": {"category"}, "v2": {"view"}, "v3": {"allow"}}
	if r := root.do(0, http.MethodPost, "/admin/policyrule/add/", grant); r.status != http.StatusSeeOther {
		t.Fatalf("root grants sam view on categories on instance 0: status %d", r.status)
	}
	granted := time.Now()
	for {
		r := sam.do(1, http.MethodGet, "/admin/category/", nil)
		if r.status == http.StatusOK {
			t.Logf("instance 1 applied the grant made on instance 0 after %v", time.Since(granted).Round(time.Millisecond))
			break
		}
		if time.Since(granted) > time.Second {
			t.Errorf("categories for sam on instance 1, a second after the grant on instance 0: status %d, want 200", r.status)
			break
		}
		time.Sleep(20 * time.Millisecond)
	}

	// A save on instance 0 is seen at once on instance 1, and a form that
	// instance 1 loaded before it is refused as stale.
	stale := root.form(1, productPath)
	form := root.form(0, productPath)
	form.Set("name", "Renamed on instance 0")
	if r := root.do(0, http.MethodPost, productPath, form); r.status != http.StatusSeeOther {
		t.Fatalf("saving product %d on instance 0: status %d", product.ID, r.status)
	}
	if r := root.do(1, http.MethodGet, productPath, nil); !strings.Contains(r.body, "Renamed on instance 0") {
		t.Errorf("the product's form on instance 1 lacks the name saved on instance 0 (status %d)", r.status)
	}
	if r := sam.do(1, http.MethodGet, "/admin/product/?q=Renamed", nil); !strings.Contains(r.body, "Renamed on instance 0") {
		t.Errorf("the product list on instance 1 lacks the name saved on instance 0 (status %d)", r.status)
	}
	stale.Set("name", "Stale save on instance 1")
	if r := root.do(1, http.MethodPost, productPath, stale); r.status != http.StatusConflict || !strings.Contains(r.body, `id="conflict"`) {
		t.Errorf("a stale save on instance 1: status %d, want 409 with the conflict banner", r.status)
	}
	if got := a.db.client.Product.GetX(ctx, product.ID).Name; got != "Renamed on instance 0" {
		t.Errorf("the product's name is %q after the stale save", got)
	}

	// Logging out on instance 1 ends the session on both.
	u, _ := url.Parse(proxy.URL)
	cookies := root.http.Jar.Cookies(u)
	if r := root.do(1, http.MethodPost, "/admin/logout/", url.Values{}); r.status != http.StatusSeeOther {
		t.Fatalf("root's logout on instance 1: status %d", r.status)
	}
	again := newProxied(t, proxy.URL)
	again.http.Jar.SetCookies(u, cookies)
	for i := range instances {
		if r := again.do(i, http.MethodGet, "/admin/", nil); r.status != http.StatusSeeOther || !strings.Contains(r.location, "/login/") {
			t.Errorf("root's old session cookie on instance %d after logging out on instance 1: status %d, want a redirect to the login page", i, r.status)
		}
	}

	// Both stop cleanly on SIGTERM.
	for _, in := range instances {
		in.stop(t)
	}
	if t.Failed() {
		for i, in := range instances {
			t.Logf("instance %d's log:\n%s", i, in.output())
		}
	}
}
