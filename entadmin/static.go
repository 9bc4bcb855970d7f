package entadmin

import (
	"net/http"

	"github.com/entadmin/entadmin/views"
)

// staticHandler serves the embedded CSS, JavaScript and htmx.
func staticHandler() http.Handler {
	files := http.FileServerFS(views.Static())
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}
