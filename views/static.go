package views

import (
	"embed"
	"io/fs"
)

//go:embed static
var staticFiles embed.FS

// Static returns the assets the pages load (admin.css, admin.js,
// htmx.min.js), to be served under Prefix + "/static/".
func Static() fs.FS {
	sub, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err) // cannot happen: "static" is a valid path
	}
	return sub
}
