package codegen

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/entc/gen"
	"entgo.io/ent/entc/load"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"github.com/entadmin/entadmin/entadmin/admin"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// Note and Author are a small schema with one field of every kind.
type Note struct{ ent.Schema }

func (Note) Fields() []ent.Field {
	return []ent.Field{
		field.String("title").NotEmpty().MaxLen(120),
		field.Text("body").Optional().Annotations(admin.WidgetAttrs("rows", "3", "placeholder", "What happened?")),
		field.Int64("views").Default(0),
		field.Uint8("priority").Optional(),
		field.Float32("score").Optional().Nillable().Annotations(admin.WidgetAttrs("step", "0.5")),
		field.Bool("pinned").Default(false),
		field.Time("due_at").Optional().Nillable(),
		field.Time("created_at").Default(time.Now).Immutable(),
		field.Time("updated_at").Default(time.Now).UpdateDefault(time.Now),
		field.Enum("state").Values("open", "done"),
		field.JSON("labels", []string{}).Optional(),
		field.UUID("ref", uuid.UUID{}).Default(uuid.New),
		field.String("secret").Sensitive().Optional(),
	}
}

func (Note) Edges() []ent.Edge {
	return []ent.Edge{edge.From("author", Author.Type).Ref("notes").Unique()}
}

func (Note) Annotations() []schema.Annotation {
	return []schema.Annotation{
		admin.ListDisplay("title", "author", "state", "pinned", "due_at"),
		admin.ListFilter("state", "pinned", "author", "due_at"),
		admin.SearchFields("title", "body"),
		admin.Ordering("-created_at", "title"),
		admin.ListPerPage(50),
	}
}

type Author struct{ ent.Schema }

func (Author) Fields() []ent.Field {
	return []ent.Field{field.String("username").Unique()}
}

func (Author) Edges() []ent.Edge {
	return []ent.Edge{edge.To("notes", Note.Type)}
}

// graphOf loads schemas the way entc does, without running a subprocess.
func graphOf(t *testing.T, schemas ...ent.Interface) *gen.Graph {
	t.Helper()
	g, err := loadGraph(t.TempDir(), schemas...)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// generate loads the schemas and renders the admin package, as go generate
// would, returning the first error.
func generate(t *testing.T, schemas ...ent.Interface) ([]file, error) {
	g, err := loadGraph(t.TempDir(), schemas...)
	if err != nil {
		return nil, err
	}
	return New().render(g)
}

func loadGraph(target string, schemas ...ent.Interface) (*gen.Graph, error) {
	var loaded []*load.Schema
	for _, s := range schemas {
		b, err := load.MarshalSchema(s)
		if err != nil {
			return nil, err
		}
		ls, err := load.UnmarshalSchema(b)
		if err != nil {
			return nil, err
		}
		loaded = append(loaded, ls)
	}
	return gen.NewGraph(&gen.Config{Package: "example.com/app/ent", Target: target, Storage: drivers["sql"]}, loaded...)
}

var drivers = func() map[string]*gen.Storage {
	s, _ := gen.NewStorage("sql")
	return map[string]*gen.Storage{"sql": s}
}()

func TestGeneratedCodeMatchesGoldenFiles(t *testing.T) {
	files, err := New().render(graphOf(t, Note{}, Author{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		golden(t, f)
	}
}

// golden compares a generated file with testdata/NAME.golden, or rewrites
// it with -update.
func golden(t *testing.T, f file) {
	t.Helper()
	path := filepath.Join("testdata", f.name+".golden")
	if *update {
		if err := os.WriteFile(path, f.src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), string(f.src)); diff != "" {
		actual := path + ".actual"
		os.WriteFile(actual, f.src, 0o644)
		t.Errorf("%s differs from %s (-want +got), written to %s:\n%s", f.name, path, actual, diff)
	}
}

// Bad is a schema whose annotations name things that do not exist or do
// not fit; each case adds one annotation to it.
type Bad struct {
	ent.Schema
	ants []schema.Annotation
}

func (Bad) Fields() []ent.Field {
	return []ent.Field{
		field.String("name"),
		field.Int("count"),
		field.JSON("meta", map[string]any{}).Optional(),
		field.Bool("ok").Default(true),
	}
}

func (b Bad) Annotations() []schema.Annotation { return b.ants }

func TestBadAnnotationsFailWithSchemaAnnotationAndName(t *testing.T) {
	tests := []struct {
		name string
		ants []schema.Annotation
		want string
	}{
		{"unknown list column", []schema.Annotation{admin.ListDisplay("name", "prise")}, `Bad: admin.ListDisplay: unknown field "prise"`},
		{"link outside the list", []schema.Annotation{admin.ListDisplay("name"), admin.ListDisplayLinks("count")}, `Bad: admin.ListDisplayLinks: field "count" is not in ListDisplay`},
		{"unknown filter", []schema.Annotation{admin.ListFilter("colour")}, `Bad: admin.ListFilter: unknown field "colour"`},
		{"filter on a number", []schema.Annotation{admin.ListFilter("count")}, `Bad: admin.ListFilter: field "count" of type int cannot be filtered`},
		{"search on a non-string field", []schema.Annotation{admin.SearchFields("name", "count")}, `Bad: admin.SearchFields: field "count" is not a string field (it is int)`},
		{"ordering on a JSON field", []schema.Annotation{admin.Ordering("-meta")}, `Bad: admin.Ordering: field "meta" is not orderable`},
		{"ordering on an unknown field", []schema.Annotation{admin.Ordering("-nope")}, `Bad: admin.Ordering: unknown field "nope"`},
		{"duplicate fieldset entry", []schema.Annotation{admin.Fieldsets(admin.Fieldset("A", "name", "count"), admin.Fieldset("B", "count"))}, `Bad: admin.Fieldsets: fieldset "B": duplicate entry "count" (already in fieldset "A")`},
		{"unknown fieldset entry", []schema.Annotation{admin.Fieldsets(admin.Fieldset("A", "nmae"))}, `Bad: admin.Fieldsets: fieldset "A": unknown field "nmae"`},
		{"unknown read-only field", []schema.Annotation{admin.ReadOnlyFields("created")}, `Bad: admin.ReadOnlyFields: unknown field "created"`},
		{"unknown excluded field", []schema.Annotation{admin.ExcludeFields("created")}, `Bad: admin.ExcludeFields: unknown field "created"`},
		{"display field that is not a string", []schema.Annotation{admin.DisplayField("count")}, `Bad: admin.DisplayField: field "count" is not a string`},
		{"a column named twice", []schema.Annotation{admin.ListDisplay("name", "name")}, `Bad: admin.ListDisplay: field "name" is named twice`},
		{"bad page size", []schema.Annotation{admin.ListPerPage(0)}, `schema "Bad": admin.ListPerPage: 0 is outside 1..1000`},
		{"bad slug", []schema.Annotation{admin.Slug("Bad Slug")}, `schema "Bad": admin.Slug: "Bad Slug" is not a URL segment`},
		{"every error at once", []schema.Annotation{admin.ListDisplay("a"), admin.SearchFields("b")}, `Bad: admin.ListDisplay: unknown field "a"` + "\n" + `Bad: admin.SearchFields: unknown field "b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generate(t, Bad{ants: tt.ants})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

// WidgetMisfit puts a toggle on a string field.
type WidgetMisfit struct{ ent.Schema }

func (WidgetMisfit) Fields() []ent.Field {
	return []ent.Field{field.String("name").Annotations(admin.Widget(admin.WidgetToggle))}
}

func TestAWidgetThatDoesNotFitTheFieldFails(t *testing.T) {
	_, err := generate(t, WidgetMisfit{})
	if want := `WidgetMisfit: admin.Widget: widget "toggle" does not fit field "name" of type string`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestDefaultsWithoutAnnotations(t *testing.T) {
	rs, err := buildResources(graphOf(t, Author{}, Note{}))
	if err != nil {
		t.Fatal(err)
	}
	a := rs[0]
	if a.Slug != "author" || a.Label != "author" || a.LabelPlural != "authors" || a.PerPage != 25 || a.EmptyValue != "-" {
		t.Errorf("defaults: %+v", a)
	}
	if !slices.Equal(a.ListDisplay, []string{"username"}) || !slices.Equal(a.Links, []string{"username"}) {
		t.Errorf("list display %q links %q", a.ListDisplay, a.Links)
	}
	for _, f := range rs[1].Fields {
		if f.Name == "secret" {
			t.Error("a sensitive field is in the admin")
		}
	}
}

// WidgetAttrsMisfit sets attributes widgets may not take.
type WidgetAttrsMisfit struct {
	ent.Schema
	ant schema.Annotation
}

func (w WidgetAttrsMisfit) Fields() []ent.Field {
	return []ent.Field{field.Text("body").Annotations(w.ant)}
}

func TestWidgetAttrsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		name string
		ant  schema.Annotation
		want string
	}{
		{"an unknown attribute", admin.WidgetAttrs("onclick", "x"), `WidgetAttrsMisfit: admin.WidgetAttrs: attribute "onclick" of field "body" is not one of autocomplete, cols, inputmode, max, min, pattern, placeholder, rows, size, spellcheck, step`},
		{"rows that are not a number", admin.WidgetAttrs("rows", "tall"), `WidgetAttrsMisfit: admin.WidgetAttrs: attribute "rows" of field "body" is "tall", want a whole number above 0`},
		{"a name without its value", admin.WidgetAttrs("rows"), `admin.WidgetAttrs: want name and value pairs, got 1 arguments`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := generate(t, WidgetAttrsMisfit{ant: tc.ant})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %s", err, tc.want)
			}
		})
	}
}
