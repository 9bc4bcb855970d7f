// Package codegen is entadmin's ent extension. It reads the admin.*
// annotations and ent's own field information, validates every name they
// mention, and writes typed glue into a subpackage adminres ("admin
// resources") of the generated ent package:
//
//	// ent/entc.go
//	//go:build ignore
//
//	func main() {
//		err := entc.Generate("./schema", &gen.Config{}, entc.Extensions(codegen.New()))
//		if err != nil {
//			log.Fatal("running ent codegen: ", err)
//		}
//	}
//
// The generated ent/adminres package has one file per ent type and a
// Register function that adds every type to an entadmin.Site and returns
// their typed resources, adminres.Resources. Its name differs from the
// annotation package admin that schemas import and from the runtime package
// entadmin, so a file may import all three without aliases.
//
// The package is separate from the runtime so that user binaries never link
// entc/gen.
package codegen

import (
	"io"
	"os"

	"entgo.io/ent/entc"
	"entgo.io/ent/entc/gen"
)

// Extension is the entc.Extension that generates the admin glue.
type Extension struct {
	entc.DefaultExtension
	pkg       string
	warnings  io.Writer        // where index warnings go
	templates []templateSource // user blocks that replace entadmin's
}

// Option configures an Extension.
type Option func(*Extension)

// WithPackage sets the name of the generated subpackage (default "adminres").
func WithPackage(name string) Option {
	return func(e *Extension) { e.pkg = name }
}

// WithWarnings sets where code generation writes its warnings, such as a
// list ordered or filtered by a column without an index (default
// os.Stderr).
func WithWarnings(w io.Writer) Option {
	return func(e *Extension) { e.warnings = w }
}

// New returns the extension.
func New(opts ...Option) *Extension {
	e := &Extension{pkg: "adminres", warnings: os.Stderr}
	for _, opt := range opts {
		opt(e)
	}
	return e
}

// Hooks implements entc.Extension: one hook validates the annotations before
// ent writes anything and writes the admin package after ent has written its
// own code.
func (e *Extension) Hooks() []gen.Hook {
	return []gen.Hook{e.hook}
}

func (e *Extension) hook(next gen.Generator) gen.Generator {
	return gen.GenerateFunc(func(g *gen.Graph) error {
		files, err := e.render(g)
		if err != nil {
			return err
		}
		if err := next.Generate(g); err != nil {
			return err
		}
		return writeFiles(g.Target, e.pkg, files)
	})
}

// Options implements entc.Extension: the generated glue needs ent's
// sql/execquery feature, so that the audit log writes its entries with the
// client (or transaction) of the write it records.
func (e *Extension) Options() []entc.Option {
	return []entc.Option{entc.FeatureNames("sql/execquery")}
}

var _ entc.Extension = (*Extension)(nil)
