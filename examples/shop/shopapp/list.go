package shopapp

import (
	"context"
	"fmt"
	"net/http"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/adminres"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

// configureList adds the behaviour of the shop's lists written in Go: the
// product list's margin column (declared with admin.Computed) and its
// price bands filter.
func configureList(res *adminres.Resources) {
	res.Product.Column("margin", entadmin.Computed(margin).
		Header("Margin").
		Needs("price", "cost_price").
		Numeric())
	res.Product.Filter(priceBands{})
}

// margin is a product's gross margin in percent of its price; nothing
// without a cost price.
func margin(p *ent.Product) string {
	if p.CostPrice == nil || p.Price <= 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%%", 100*(p.Price-*p.CostPrice)/p.Price)
}

// priceBands filters products by price band.
type priceBands struct{}

// Title implements entadmin.CustomFilter.
func (priceBands) Title() string { return "By price" }

// Param implements entadmin.CustomFilter.
func (priceBands) Param() string { return "price_band" }

// Choices implements entadmin.CustomFilter.
func (priceBands) Choices(context.Context, *http.Request) ([]entadmin.FilterChoice, error) {
	return []entadmin.FilterChoice{
		{Value: "low", Label: "Under 20", Where: product.PriceLT(20)},
		{Value: "mid", Label: "20 to 100", Where: product.And(product.PriceGTE(20), product.PriceLT(100))},
		{Value: "high", Label: "100 and more", Where: product.PriceGTE(100)},
	}, nil
}
