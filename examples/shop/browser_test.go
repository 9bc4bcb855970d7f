package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

// browser gives a test a browser context of its own in the package's
// headless Chromium, or skips the test when Chromium is missing outside CI.
// A test may take two minutes in it: browser tests run in parallel, on
// machines as small as two cores.
func browser(t *testing.T) context.Context {
	t.Helper()
	return browserWithin(t, 2*time.Minute)
}

// browserWithin is browser for a test that may take up to d in the browser.
// The context is a fresh browser context (as an incognito window): the
// test shares no cookies, storage or cache with the others, which may run
// in parallel in other browser contexts of the same Chromium.
func browserWithin(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; .ci/run installs it")
		}
		t.Skip("chromium is not installed (apt-get install -y chromium)")
	}
	parent, err := chromium.start(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	ctx, cancelTimeout := context.WithTimeout(ctx, d)
	t.Cleanup(func() { cancelTimeout(); cancel() })
	return ctx
}

// chromium is the one headless Chromium of the package's browser tests,
// started by the first of them and stopped by TestMain.
var chromium sharedBrowser

// sharedBrowser is a headless Chromium that tests share.
type sharedBrowser struct {
	once    sync.Once
	ctx     context.Context // a chromedp context whose browser runs
	dataDir string
	stop    func()
	err     error
}

// start starts Chromium at path, once, and returns a chromedp context on
// it from which each test makes its own.
func (b *sharedBrowser) start(path string) (context.Context, error) {
	b.once.Do(func() {
		if b.dataDir, b.err = os.MkdirTemp("", "shop-chromium-"); b.err != nil {
			return
		}
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.UserDataDir(b.dataDir),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-sync", true),
			chromedp.WindowSize(1280, 900),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(allocCtx)
		b.ctx = ctx
		b.stop = func() { cancel(); cancelAlloc() }
		// The first run starts the browser and binds its life to ctx.
		if err := chromedp.Do(ctx); err != nil {
			b.err = fmt.Errorf("start chromium: %w", err)
		}
	})
	return b.ctx, b.err
}

// close stops Chromium, if it was started, and removes its profile.
func (b *sharedBrowser) close() {
	if b.stop != nil {
		b.stop()
	}
	if b.dataDir != "" {
		os.RemoveAll(b.dataDir)
	}
}

// TestBrowserSearchEditAndSave drives the example as a user would: log in
// through the login page, search the product list, open a product, change
// its price, save, and find the change in the list.
func TestBrowserSearchEditAndSave(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	db, err := openDB(context.Background(), "", filepath.Join(t.TempDir(), "shop.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := prepare(context.Background(), db, 40); err != nil {
		t.Fatal(err)
	}
	target := db.client.Product.Query().Order(product.ByID()).FirstX(context.Background())
	a, err := newApp(context.Background(), db, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.Close)
	hash, _ := password.Hash("a long enough password")
	a.own.User.Create().SetUsername("admin").SetPasswordHash(hash).SetIsStaff(true).SetIsSuperuser(true).ExecX(context.Background())
	srv := httptest.NewServer(a.router())
	t.Cleanup(srv.Close)

	// Not logged in: the login page, which then leads back to the list.
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/admin/product/"),
		chromedp.WaitVisible(`input[name="username"]`),
		chromedp.SendKeys(`input[name="username"]`, "admin"),
		chromedp.SendKeys(`input[name="password"]`, "a long enough password"),
		chromedp.Submit(`input[name="password"]`),
		chromedp.WaitVisible(`#results table`),
		// The results follow the search box as the user types, swapped in
		// place; then the URL is pushed.
		chromedp.SendKeys(`input[name="q"]`, target.Name),
		chromedp.Poll[chromedp.Void](`location.search.includes("q=") && document.querySelectorAll("#results tbody tr").length === 1`),
	)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := chromedp.Run(ctx, chromedp.Text(`#results tbody`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rows, target.Name) {
		t.Fatalf("search for %q shows:\n%s", target.Name, rows)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(`#results tbody a[href*="/product/`+strconv.Itoa(target.ID)+`/?"]`),
		chromedp.WaitVisible(`input[name="price"]`),
		chromedp.SetValue(`input[name="price"]`, "9999.99"),
		chromedp.Click(`button[name="_save"]`),
		chromedp.WaitVisible(`#results table`),
	)
	if err != nil {
		t.Fatal(err)
	}
	if message, err := textContaining(ctx, `[role="status"]`, "was changed"); err != nil {
		t.Errorf("message after saving = %q (%v)", message, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/admin/product/?o=-price"),
		chromedp.WaitVisible(`#results table`),
	)
	if err != nil {
		t.Fatal(err)
	}
	first, err := chromedp.Run(ctx, chromedp.Text(`#results tbody tr:first-child`))
	if err != nil {
		t.Fatal(err)
	}
	// The price is edited in the list (list_editable): its input holds it.
	price, err := chromedp.Run(ctx, chromedp.Value(`#results tbody tr:first-child input[name$=".price"]`))
	if err != nil {
		t.Fatal(err)
	}
	if price != "9999.99" || !strings.Contains(first, target.Name) {
		t.Errorf("the list sorted by price starts with %q at %q, want %s at 9999.99", first, price, target.Name)
	}
	if got := db.client.Product.GetX(context.Background(), target.ID).Price; got != 9999.99 {
		t.Errorf("saved price = %v", got)
	}
}
