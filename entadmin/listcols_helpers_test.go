package entadmin_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/fixture/ent"
	"github.com/entadmin/entadmin/internal/fixture/ent/adminres"
	"github.com/entadmin/entadmin/internal/fixture/ent/product"
)

// shopColumns adds what the shop's schema declares for Go code: the margin
// column, and a price bands filter.
func shopColumns(res *adminres.Resources) {
	res.Product.Column("margin", entadmin.Computed(func(p *ent.Product) string {
		if p.CostPrice == nil || p.Price <= 0 {
			return ""
		}
		return fmt.Sprintf("%.0f%%", 100*(p.Price-*p.CostPrice)/p.Price)
	}).Header("Margin").Needs("cost_price").Numeric())
	res.Product.Filter(priceBands{})
}

type priceBands struct{}

func (priceBands) Title() string { return "By price" }
func (priceBands) Param() string { return "price_band" }
func (priceBands) Choices(context.Context, *http.Request) ([]entadmin.FilterChoice, error) {
	return []entadmin.FilterChoice{
		{Value: "low", Label: "Under 1", Where: product.PriceLT(1)},
		{Value: "high", Label: "1 and more", Where: product.PriceGTE(1)},
	}, nil
}
