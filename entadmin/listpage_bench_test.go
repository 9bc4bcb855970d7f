package entadmin_test

import (
	"io"
	"net/http"
	"testing"

	"entgo.io/ent/dialect"
)

// BenchmarkListPage requests the product list (25 rows, three editable
// columns, bulk actions) over HTTP on Postgres, and reports the statements
// per request.
func BenchmarkListPage(b *testing.B) {
	s := newShop(b, dialect.Postgres, "/admin")
	s.seed(30)
	client := &http.Client{}
	u := s.srv.URL + "/admin/product/"
	s.counter.Reset()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.Status)
		}
	}
	b.ReportMetric(float64(s.counter.Count())/float64(b.N), "stmts/op")
}
