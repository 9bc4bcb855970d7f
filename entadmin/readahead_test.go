package entadmin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"

	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/category"
)

// TestAListServedInATransactionShowsWhatItShowsOutside serves first pages
// of the product list (a search, filters, the date drill-down, the
// sidebar's choices) to a staff user within a row scope, in requests whose
// context carries a transaction, as a site's middleware may open one. A
// transaction runs one statement at a time: its first page is read in
// order, not ahead, and written whole at the end, and is the page the same
// request gets outside it.
func TestAListServedInATransactionShowsWhatItShowsOutside(t *testing.T) {
	t.Parallel()
	onBoth(t, func(t *testing.T, d string) {
		s := scopedShop(t, d)
		garden := s.client.Category.Query().Where(category.Name("Garden")).OnlyIDX(context.Background())
		site := s.srv.Config.Handler
		inTx := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			tx, err := s.client.Tx(r.Context())
			if err != nil {
				http.Error(w, err.Error(), http.StatusInternalServerError)
				return
			}
			defer tx.Rollback()
			site.ServeHTTP(w, r.WithContext(ent.NewTxContext(r.Context(), tx)))
		}))
		t.Cleanup(inTx.Close)
		for _, path := range []string{
			"/product/",
			"/product/?q=Product+0",
			"/product/?is_active=yes&o=-price",
			"/product/?q=Product&category=" + strconv.Itoa(garden),
		} {
			want := s.get(path)
			req, _ := http.NewRequest(http.MethodGet, inTx.URL+s.prefix+path, nil)
			got := s.do(req)
			if got.status != http.StatusOK || want.status != http.StatusOK {
				t.Fatalf("%s: status %d in a transaction, %d outside: %.300s", path, got.status, want.status, got.body)
			}
			if !slices.Equal(got.rows(), want.rows()) || got.summary() != want.summary() || len(got.rows()) == 0 {
				t.Errorf("%s: in a transaction the list shows %q (%s), outside %q (%s)", path, got.rows(), got.summary(), want.rows(), want.summary())
			}
			// Outside, the page is written around its results while they
			// are read; inside, whole at the end.
			if got.body != want.body {
				t.Errorf("%s: the page in a transaction differs from the page outside", path)
			}
		}
	})
}
