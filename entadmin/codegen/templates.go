package codegen

import (
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"text/template"

	"entgo.io/ent/entc/gen"
)

// templateSource is a set of user templates: the files of fsys that match
// patterns.
type templateSource struct {
	fsys     fs.FS
	patterns []string
}

// TemplateDir adds the templates of the *.tmpl files in dir to those the
// admin package is rendered with. A block they define replaces entadmin's
// block of the same name (see "Overriding blocks" in the package
// documentation); dir is relative to the directory go generate runs in.
func TemplateDir(dir string) Option {
	return TemplateFS(os.DirFS(dir), "*.tmpl")
}

// TemplateFS is TemplateDir for the files of fsys that match patterns, such
// as an embed.FS.
func TemplateFS(fsys fs.FS, patterns ...string) Option {
	return func(e *Extension) {
		e.templates = append(e.templates, templateSource{fsys, patterns})
	}
}

// fieldData is what the blocks of one field receive.
type fieldData struct {
	R *resource   // the resource the field belongs to
	T *gen.Type   // its ent type, R.T
	F *adminField // the field
}

// inlineData is what the block of one inline receives.
type inlineData struct {
	R  *resource   // the parent resource
	T  *gen.Type   // its ent type, R.T
	In *inlineSpec // the inline
}

// override parses the user templates into tmpl, after entadmin's own, so
// that their blocks replace entadmin's of the same name. A template named
// entadmin/... that entadmin does not have is an error: it would never be
// rendered.
func (e *Extension) override(tmpl *template.Template) (*template.Template, error) {
	var builtin []string
	for _, t := range tmpl.Templates() {
		builtin = append(builtin, t.Name())
	}
	for _, src := range e.templates {
		var err error
		if tmpl, err = tmpl.ParseFS(src.fsys, src.patterns...); err != nil {
			return nil, fmt.Errorf("parse user templates: %w", err)
		}
	}
	for _, t := range tmpl.Templates() {
		if name := t.Name(); strings.HasPrefix(name, "entadmin/") && !slices.Contains(builtin, name) {
			return nil, fmt.Errorf("user template %q: entadmin has no block of that name", name)
		}
	}
	return tmpl, nil
}
