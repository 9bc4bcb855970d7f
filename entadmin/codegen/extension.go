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
//
// # Overriding blocks
//
// The generated files are rendered from named text/template blocks. A
// project replaces one by defining a template of the same name in a file it
// passes with TemplateDir (or TemplateFS), the way ent's entc.TemplateDir
// replaces ent's blocks; the other blocks stay as they are:
//
//	entc.Extensions(codegen.New(codegen.TemplateDir("./template/admin")))
//
//	{{/* ent/template/admin/display.tmpl */}}
//	{{ define "entadmin/resource/display" }}{{ $t := .T -}}
//	// {{ .DisplayFunc }} names a {{ $t.Name }} in the admin.
//	func {{ .DisplayFunc }}(e *ent.{{ $t.Name }}) string {
//		{{ .DisplayBody }}
//	}
//	{{- end }}
//
// The blocks, and what each renders. Unless noted, a block receives the
// resource of one ent type (its ent type is .T, a *gen.Type); the
// entadmin/resource/* blocks inside the Resource literal, and those from
// query to errors inside the literal of its store.Store, start with a
// newline and end with a comma:
//
//	entadmin/resource                    the file of one type: the blocks below
//	entadmin/resource/imports            its import declaration
//	entadmin/resource/import/additional  extra import lines (empty)
//	entadmin/resource/display            the display function naming an entity
//	entadmin/resource/new                the constructor of the entadmin.Resource: Type, labels,
//	                                     ID, Display, NoAudit, ViewOnly, the blocks below, Store
//	entadmin/resource/fields             Fields: one entadmin/resource/field each
//	entadmin/resource/field              one field; receives .R (resource), .T, .F (field)
//	entadmin/resource/field/edge         an edge field's Choices, Exists, Set, Clear; as above
//	entadmin/resource/paths              PathColumns: columns and filters across edges
//	entadmin/resource/list               the change list: columns, filters, search, ordering,
//	                                     paging, counting, date drill-down, SaveOnTop, EmptyValue
//	entadmin/resource/form               Fieldsets and SaveAs
//	entadmin/resource/query              Store: Table, Driver, IDColumn, ParseID and the reads:
//	                                     List, Count, Distinct, Exists, GroupCount, Get
//	entadmin/resource/write              Store: Create, Update, UpdateLoaded, Delete
//	entadmin/resource/related            Store: Related: the rows a delete affects
//	entadmin/resource/atomic             Store: Atomic: the transaction of a save
//	entadmin/resource/hooks              Store: what the audit log and the write hooks use:
//	                                     Values, Opaque, Version, Affected, Exec, AfterCommit, ...
//	entadmin/resource/errors             Store: IsNotFound, IsConstraint, ErrorField
//	entadmin/resource/additional         extra keyed elements of the Resource literal (empty)
//	entadmin/inlines                     the _inline.go file of a type with inlines
//	entadmin/inlines/inline              one inline; receives .R (parent resource), .T, .In
//	entadmin/register                    register.go: the blocks below; receives .Config,
//	                                     .Resources and .Named
//	entadmin/register/resources          the Resources struct
//	entadmin/register/func               the Register function
//	entadmin/register/names              the name methods of the types other types refer to
//
// A block has the functions of entadmin's templates (pkgname, pascal, label,
// strings, idstring, displayfunc, goidtype, targetslug, fieldof, inlineof)
// and may call the other blocks with template. Defining a template named
// entadmin/... that is not in the list fails, so that a misspelt name does
// not go unnoticed. As in text/template, a definition whose body is only
// spaces and comments does not replace a block: write {{ "" }} for an empty
// one. The output is formatted with goimports, so indentation does not
// matter, but blank lines do.
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
