package shopapp

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/adminres"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
	"github.com/entadmin/entadmin/views"
)

// configureActions adds the product list's bulk action and the products'
// custom endpoints. "Delete selected" is built in; price, is_active and
// stock_count are edited in the list (admin.ListEditable in the schema).
//
// Each declares with Writes the fields its permission lets it write
// whatever the user's field access: a clerk granted "activate" or
// "restock" may have is_active or stock_count read-only on the form, and a
// copy keeps the values of fields its user may not see (staff do not see
// cost prices). Other writes of fields the user may not change are refused
// (package policy/fieldaccess).
func configureActions(res *adminres.Resources) {
	res.Product.Action("activate", "Mark as active", activate).
		Permission("activate"). // grant it with rbac: ("product", "activate")
		Writes("is_active")
	res.Product.ObjectEndpoint("duplicate", duplicate).
		Permission(entadmin.ActionAdd).
		Writes("name", "description", "price", "cost_price", "category", "brand", "status", "is_active", "tags").
		Button("Duplicate")
	res.Product.ListEndpoint("restock", restock).
		Permission("restock").
		Writes("stock_count").
		Button("Restock empty products")
}

// activate marks the selected products as active. They are loaded in the
// admin's transaction, so their updates run in it, with the client's hooks.
func activate(w http.ResponseWriter, r *http.Request, ps []*ent.Product) (string, error) {
	n := 0
	for _, p := range ps {
		if p.IsActive {
			continue
		}
		if err := p.Update().SetIsActive(true).Exec(r.Context()); err != nil {
			return "", err
		}
		n++
	}
	return fmt.Sprintf("Marked %d %s as active.", n, plural(n, "product", "products")), nil
}

// duplicate copies a product (as a draft) and opens the copy's form:
// /admin/product/{id}/duplicate/.
func duplicate(w http.ResponseWriter, r *http.Request, p *ent.Product) error {
	ctx := r.Context()
	tags, err := p.QueryTags().IDs(ctx)
	if err != nil {
		return err
	}
	tx := ent.TxFromContext(ctx) // POST endpoints run in a transaction
	cp, err := tx.Product.Create().
		SetName("Copy of " + p.Name).
		SetDescription(p.Description).
		SetPrice(p.Price).
		SetNillableCostPrice(p.CostPrice).
		SetNillableCategoryID(nonZero(p.CategoryID)).
		SetBrand(p.Brand).
		SetStatus(product.StatusDraft).
		SetIsActive(false).
		AddTagIDs(tags...).
		Save(ctx)
	if err != nil {
		return err
	}
	entadmin.AddMessage(w, r, views.LevelSuccess, fmt.Sprintf("The product “%s” was copied; this is the copy.", p.Name))
	http.Redirect(w, r, entadmin.Prefix(r)+"/product/"+strconv.Itoa(cp.ID)+"/", http.StatusSeeOther)
	return nil
}

// restock sets the stock of the products the user may change that have
// none to 10: /admin/product/restock/.
func restock(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	tx := ent.TxFromContext(ctx) // POST endpoints run in a transaction
	n, err := tx.Product.Update().Where(product.StockCount(0)).SetStockCount(10).Save(ctx)
	if err != nil {
		return err
	}
	entadmin.AddMessage(w, r, views.LevelSuccess, fmt.Sprintf("Restocked %d %s.", n, plural(n, "product", "products")))
	return nil
}

func nonZero(id int) *int {
	if id == 0 {
		return nil
	}
	return &id
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
