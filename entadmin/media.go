package entadmin

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
)

// mediaPath is where the hashed assets are served, below the site's
// prefix: the resources' stylesheets and scripts (Resource.MediaCSS and
// MediaJS) and the stylesheet of the registered themes.
const mediaPath = "/static/media/"

// WithMedia sets the file system the resources' MediaCSS and MediaJS
// paths are read from, e.g. an embed.FS of the application's. The site
// reads each file once, when it builds its Handler, and serves it below
// its prefix at a URL holding a hash of its content, cached by browsers
// for a year: a changed file gets a new URL.
func WithMedia(fsys fs.FS) Option { return func(s *Site) { s.mediaFS = fsys } }

// asset is a file served below mediaPath.
type asset struct {
	body        []byte
	contentType string
}

// assets are the hashed files of a site, by their name below mediaPath,
// and the hashed name of each source path.
type assets struct {
	files map[string]asset
	names map[string]string
}

// add serves body under a name made of name and the hash of body, and
// returns that name.
func (a *assets) add(name string, body []byte) string {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
	ctype := mime.TypeByExtension(ext)
	if ctype == "" {
		ctype = http.DetectContentType(body)
	}
	a.files[hashed] = asset{body: body, contentType: ctype}
	a.names[name] = hashed
	return hashed
}

// buildAssets reads the media of every resource and renders the themes'
// stylesheet. It fails on a file that cannot be read: a programming error
// Handler reports when the program starts.
func (s *Site) buildAssets() (*assets, error) {
	a := &assets{files: map[string]asset{}, names: map[string]string{}}
	if css := s.ThemeCSS(); css != "" {
		a.add(themesCSS, []byte(css))
	}
	for _, res := range s.resources {
		m := res.meta()
		css, js := res.media()
		for _, p := range slices.Concat(css, js) {
			if _, done := a.names[p]; done {
				continue
			}
			if s.mediaFS == nil {
				return nil, fmt.Errorf("entadmin: resource %s: media %q, but the site has no media file system (see WithMedia)", m.slug, p)
			}
			if !fs.ValidPath(p) {
				return nil, fmt.Errorf("entadmin: resource %s: media %q is not a valid path of an fs.FS", m.slug, p)
			}
			body, err := fs.ReadFile(s.mediaFS, p)
			if err != nil {
				return nil, fmt.Errorf("entadmin: resource %s: read media: %w", m.slug, err)
			}
			a.add(p, body)
		}
	}
	return a, nil
}

// url returns the URL of the hashed file of a source path below prefix.
func (a *assets) url(prefix, name string) string {
	return prefix + mediaPath + a.names[name]
}

// serveMedia serves the hashed files, cached for a year.
func (s *Site) serveMedia(w http.ResponseWriter, r *http.Request) {
	f, ok := s.assets.files[chi.URLParam(r, "*")]
	if !ok {
		s.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
}
