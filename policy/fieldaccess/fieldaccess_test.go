package fieldaccess_test

import (
	"context"
	"errors"
	"testing"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/internal/fixture/ent"
	_ "github.com/entadmin/entadmin/internal/fixture/ent/runtime" // validators and defaults
	"github.com/entadmin/entadmin/internal/testdb"
	"github.com/entadmin/entadmin/policy/fieldaccess"
)

// denied is a resource whose user may not write the named fields in a
// context marked with asUser; the admin's resources decide from the user's
// grant instead.
type denied struct{ fields map[string]string }

type userKey struct{}

func asUser(ctx context.Context) context.Context { return context.WithValue(ctx, userKey{}, true) }

func (d *denied) Unwritable(ctx context.Context, _ bool) map[string]string {
	if ctx.Value(userKey{}) == nil {
		return nil
	}
	return d.fields
}

func TestTheHookRefusesWhatTheCallerWritesOfUnwritableFields(t *testing.T) {
	db := testdb.Postgres(t)
	client := ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.DB)))
	bg := context.Background()
	if err := client.Schema.Create(bg); err != nil {
		t.Fatal(err)
	}
	products := &denied{map[string]string{"stock_count": "Stock count", "category": "Category", "tags": "Tags", "brand": "Brand"}}
	client.Product.Use(fieldaccess.Mutations(products, fieldaccess.Defaults{
		Create: []string{"is_active"},
		Update: []string{"stock_count"}, // as if ent set it on every update
	}))
	cat := client.Category.Create().SetName("Kitchen").SaveX(bg)
	tag := client.Tag.Create().SetName("red").SaveX(bg)
	p := client.Product.Create().SetName("Kettle").SetPrice(3).SaveX(bg) // no user: unchecked
	ctx := asUser(bg)

	tests := []struct {
		name  string
		write func(context.Context) error
		field string // refused as this field; "" when allowed
	}{
		{"a set value ent may have filled in on update", func(ctx context.Context) error {
			return client.Product.UpdateOneID(p.ID).SetStockCount(3).Exec(ctx)
		}, ""},
		{"an addition, never ent's", func(ctx context.Context) error {
			return client.Product.UpdateOneID(p.ID).AddStockCount(1).Exec(ctx)
		}, "stock_count"},
		{"a bulk update", func(ctx context.Context) error {
			return client.Product.Update().SetBrand("Acme").Exec(ctx)
		}, "brand"},
		{"a clear", func(ctx context.Context) error {
			return client.Product.UpdateOneID(p.ID).ClearBrand().Exec(ctx)
		}, "brand"},
		{"an update's value on create, which ent does not fill in", func(ctx context.Context) error {
			return client.Product.Create().SetName("Pot").SetPrice(2).SetStockCount(3).Exec(ctx)
		}, "stock_count"},
		{"an edge's foreign key, checked as the edge", func(ctx context.Context) error {
			return client.Product.UpdateOneID(p.ID).SetCategoryID(cat.ID).Exec(ctx)
		}, "category"},
		{"a many-to-many edge", func(ctx context.Context) error {
			return client.Product.UpdateOneID(p.ID).AddTagIDs(tag.ID).Exec(ctx)
		}, "tags"},
		{"a writable field", func(ctx context.Context) error {
			return client.Product.UpdateOneID(p.ID).SetName("Big kettle").Exec(ctx)
		}, ""},
		{"a field allowed on the resource", func(ctx context.Context) error {
			return client.Product.UpdateOneID(p.ID).SetBrand("Acme").Exec(fieldaccess.Allow(ctx, products, "brand"))
		}, ""},
		{"a field allowed on another resource", func(ctx context.Context) error {
			return client.Product.UpdateOneID(p.ID).SetBrand("Acme").Exec(fieldaccess.Allow(ctx, &denied{}, "brand"))
		}, "brand"},
	}
	for _, tt := range tests {
		err := tt.write(ctx)
		var de *fieldaccess.Error
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: %v, want it allowed", tt.name, err)
		case tt.field != "" && (!errors.Is(err, fieldaccess.ErrDenied) || !errors.As(err, &de) || de.Field != tt.field || de.Type != "Product"):
			t.Errorf("%s: %v, want Product.%s refused", tt.name, err, tt.field)
		}
		if err := tt.write(bg); err != nil {
			t.Errorf("%s without a user: %v, want it allowed", tt.name, err)
		}
	}
	if err := client.Product.DeleteOneID(p.ID).Exec(ctx); err != nil {
		t.Errorf("a delete: %v; deletes are the delete permission's", err)
	}
}
