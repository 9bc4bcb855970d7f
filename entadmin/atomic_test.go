package entadmin_test

import (
	"context"
	"errors"
	"testing"

	"entgo.io/ent"
	"entgo.io/ent/dialect"
)

func TestAtomicRollsBackEveryWriteOfTheSave(t *testing.T) {
	t.Parallel()
	for _, d := range []string{dialect.Postgres, dialect.SQLite} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			s := newShop(t, d, "/admin")
			f := s.seed(1)
			ctx := context.Background()
			cats, prods := s.client.Category.Query().CountX(ctx), s.client.Product.Query().CountX(ctx)
			refused := errors.New("refused")
			err := s.res.Category.Atomic(ctx, func(ctx context.Context) error {
				c, err := s.res.Category.Create(ctx, func(m ent.Mutation) error {
					if err := m.SetField("name", "Rolled back"); err != nil {
						return err
					}
					return m.SetField("slug", "rolled-back")
				})
				if err != nil {
					return err
				}
				// Another resource on the same client joins the transaction
				// and sees the uncommitted row.
				if _, err := s.res.Category.Get(ctx, s.res.Category.ID(c)); err != nil {
					return err
				}
				if err := s.res.Product.Delete(ctx, s.res.Product.ID(f.products[0])); err != nil {
					return err
				}
				return refused
			})
			if !errors.Is(err, refused) {
				t.Fatalf("Atomic = %v, want the error of fn", err)
			}
			if got := s.client.Category.Query().CountX(ctx); got != cats {
				t.Errorf("categories = %d after rollback, want %d", got, cats)
			}
			if got := s.client.Product.Query().CountX(ctx); got != prods {
				t.Errorf("products = %d after rollback, want %d", got, prods)
			}
		})
	}
}
