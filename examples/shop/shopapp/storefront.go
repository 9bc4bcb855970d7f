package shopapp

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/examples/shop/ent"
)

// productURL is where the storefront shows a product; the admin links it
// from the product form as "View on site".
func productURL(p *ent.Product) string { return "/shop/products/" + strconv.Itoa(p.ID) + "/" }

var productPage = template.Must(template.New("product").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Name }}</title></head>
<body><h1>{{ .Name }}</h1><p>{{ printf "%.2f" .Price }} €</p><p>{{ .Description }}</p></body></html>
`))

// serveProduct is the storefront's product page, the target of "View on
// site".
func (a *App) serveProduct(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(chi.URLParam(r, "id"))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	p, err := a.DB.Client.Product.Get(r.Context(), id)
	if ent.IsNotFound(err) || err == nil && !p.IsActive {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, "the product could not be loaded", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	productPage.Execute(w, p)
}
