package shopapp

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/entadmin/entadmin/auth"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/adminres"
	"github.com/entadmin/entadmin/examples/shop/ent/product"
)

// customizeForms registers the shop's per-request form behaviour, in typed
// Go, on the generated resources.
func customizeForms(res *adminres.Resources) {
	// Only superusers change the price of a published product; for everyone
	// else it is shown read-only, and a posted price is not accepted.
	res.Product.FormHooks.ReadOnlyFields = func(r *http.Request, p *ent.Product) []string {
		if p != nil && p.Status == product.StatusPublished && !isSuperuser(r) {
			return []string{"price"}
		}
		return nil
	}
	// An order line is named by its quantity and product (loaded with the
	// lines on the order's form and in the lines' list).
	res.OrderLine.Display = func(l *ent.OrderLine) string {
		if p := l.Edges.Product; p != nil {
			return fmt.Sprintf("%d × %s", l.Quantity, p.Name)
		}
		return fmt.Sprintf("%d × product %d", l.Quantity, l.ProductID)
	}
	// After a product is deleted, the user goes back to the products of its
	// category rather than to the whole list.
	res.Product.Responses.Delete = func(r *http.Request, p *ent.Product) entadmin.Response {
		if p.CategoryID == 0 {
			return entadmin.ToList()
		}
		return entadmin.ToURL(entadmin.Prefix(r) + "/product/?category=" + strconv.Itoa(p.CategoryID))
	}
}

// isSuperuser reports whether the request comes from a superuser; with
// authentication off (-open) everybody counts as one.
func isSuperuser(r *http.Request) bool {
	switch u := entadmin.UserFrom(r.Context()).(type) {
	case *auth.User:
		return u.IsSuperuser
	case nil:
		return false
	}
	return true
}
