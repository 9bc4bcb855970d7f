package entadmin

import (
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/views"
)

// staticHandler serves the embedded CSS, JavaScript and htmx at the path
// below /static/ that chi matched, whatever the mount prefix.
func staticHandler() http.Handler {
	files := http.FileServerFS(views.Static())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := new(http.Request)
		*r2 = *r
		r2.URL = new(url.URL)
		*r2.URL = *r.URL
		r2.URL.Path = "/" + chi.URLParam(r, "*")
		r2.URL.RawPath = ""
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r2)
	})
}
