package entadmin_test

import (
	"context"
	"strconv"
	"testing"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect"
)

// BenchmarkSave measures an admin save (one UpdateOne in a transaction, as
// the form does) without and with the audit log, on Postgres; it reports
// the statements per save.
func BenchmarkSave(b *testing.B) {
	for _, audited := range []bool{false, true} {
		name := "plain"
		if audited {
			name = "audited"
		}
		b.Run(name, func(b *testing.B) {
			var s *shop
			if audited {
				s = newAuditShopB(b)
			} else {
				s = newShop(b, dialect.Postgres, "/admin")
			}
			f := s.seed(1)
			id := strconv.Itoa(f.products[0].ID)
			ctx := entadminUser(context.Background())
			s.counter.Reset()
			b.ResetTimer()
			for i := range b.N {
				err := s.res.Product.Atomic(ctx, func(ctx context.Context) error {
					_, err := s.res.Product.Update(ctx, id, func(m entgo.Mutation) error { return m.SetField("price", float64(100+i%50)) })
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(s.counter.Count())/float64(b.N), "stmts/save")
		})
	}
}
