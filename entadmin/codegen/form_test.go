package codegen

import (
	"strings"
	"testing"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// Shop, Item, Label and Owner exercise the form options: Item has a unique
// edge to Owner, a many-to-many edge to Label and an enum.
type Item struct {
	ent.Schema
	ants []schema.Annotation
}

func (Item) Fields() []ent.Field {
	return []ent.Field{
		field.String("name"),
		field.String("slug"),
		field.Bool("ok").Default(true),
		field.Enum("state").Values("a", "b"),
		field.JSON("meta", map[string]any{}).Optional(),
	}
}

func (Item) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("owner", Owner.Type).Ref("items").Unique(),
		edge.To("labels", Label.Type),
	}
}

func (i Item) Annotations() []schema.Annotation { return i.ants }

type Owner struct{ ent.Schema }

func (Owner) Fields() []ent.Field { return []ent.Field{field.String("name")} }
func (Owner) Edges() []ent.Edge   { return []ent.Edge{edge.To("items", Item.Type)} }
func (Owner) Annotations() []schema.Annotation {
	return []schema.Annotation{admin.SearchFields("name")}
}

type Label struct{ ent.Schema }

func (Label) Fields() []ent.Field { return []ent.Field{field.String("name")} }
func (Label) Edges() []ent.Edge {
	return []ent.Edge{edge.From("items", Item.Type).Ref("labels")}
}

func TestBadFormOptionsFailWithSchemaAnnotationAndName(t *testing.T) {
	tests := []struct {
		name string
		ants []schema.Annotation
		want string
	}{
		{"autocomplete on a field", []schema.Annotation{admin.AutocompleteFields("name")}, `Item: admin.AutocompleteFields: field "name" is not a unique edge`},
		{"autocomplete on a many-to-many edge", []schema.Annotation{admin.AutocompleteFields("labels")}, `Item: admin.AutocompleteFields: edge "labels" is not a unique edge`},
		{"raw id of an unknown edge", []schema.Annotation{admin.RawIDFields("ownr")}, `Item: admin.RawIDFields: unknown field "ownr"`},
		{"two widgets for one edge", []schema.Annotation{admin.RawIDFields("owner"), admin.AutocompleteFields("owner")}, `Item: admin.RawIDFields: edge "owner" is in AutocompleteFields too`},
		{"dual select on a unique edge", []schema.Annotation{admin.FilterHorizontal("owner")}, `Item: admin.FilterHorizontal: edge "owner" is not a many-to-many edge`},
		{"radio on a string", []schema.Annotation{admin.RadioFields(admin.Vertical, "name")}, `Item: admin.RadioFields: field "name" is neither an enum field nor a unique edge`},
		{"radio layout", []schema.Annotation{admin.RadioFields("diagonal", "state")}, `admin.RadioFields: unknown layout "diagonal"`},
		{"toggle on every string", []schema.Annotation{admin.FormfieldOverride(field.TypeString, admin.WidgetToggle)}, `Item: admin.FormfieldOverride: widget "toggle" does not fit field "name" of type string`},
		{"unknown override widget", []schema.Annotation{admin.FormfieldOverride(field.TypeString, "slider")}, `admin.FormfieldOverride: unknown widget "slider"`},
		{"prepopulated from nothing", []schema.Annotation{admin.PrepopulatedFields("slug", "title")}, `Item: admin.PrepopulatedFields: unknown field "title"`},
		{"prepopulated bool", []schema.Annotation{admin.PrepopulatedFields("ok", "name")}, `Item: admin.PrepopulatedFields: target "ok" is not a string field`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generate(t, Item{ants: tt.ants}, Owner{}, Label{})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

func TestAutocompleteNeedsASearchableRegisteredTarget(t *testing.T) {
	_, err := generate(t, Gadget{}, Maker{})
	if want := `Gadget: admin.AutocompleteFields: edge "maker": the related type Maker has no SearchFields to search in`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %s", err, want)
	}
}

// Gadget's maker cannot be an autocomplete: Maker has no search fields.
type Gadget struct{ ent.Schema }

func (Gadget) Edges() []ent.Edge {
	return []ent.Edge{edge.From("maker", Maker.Type).Ref("gadgets").Unique()}
}
func (Gadget) Annotations() []schema.Annotation {
	return []schema.Annotation{admin.AutocompleteFields("maker")}
}

type Maker struct{ ent.Schema }

func (Maker) Edges() []ent.Edge { return []ent.Edge{edge.To("gadgets", Gadget.Type)} }

func TestFormOptionsReachTheGeneratedFields(t *testing.T) {
	files, err := generate(t, Item{ants: []schema.Annotation{
		admin.AutocompleteFields("owner"),
		admin.RadioFields(admin.Vertical, "state"),
		admin.FilterVertical("labels"),
		admin.PrepopulatedFields("slug", "name"),
		admin.FormfieldOverride(field.TypeJSON, admin.WidgetJSON),
		admin.SaveOnTop(),
	}}, Owner{}, Label{})
	if err != nil {
		t.Fatal(err)
	}
	var src string
	for _, f := range files {
		if f.name == "item.go" {
			src = string(f.src)
		}
	}
	for _, want := range []string{
		`Widget: "autocomplete"`,
		`Widget: "radio"`,
		`Layout: "vertical"`,
		`Kind:   entadmin.KindEdges`,
		`Prepopulate: []string{"name"}`,
		`Widget: "json"`,
		`SaveOnTop: true`,
		`mm.AddLabelIDs(store.Typed[int](d.Add)...)`,
		`mm.RemoveLabelIDs(store.Typed[int](d.Remove)...)`,
	} {
		if !strings.Contains(strings.Join(strings.Fields(src), " "), strings.Join(strings.Fields(want), " ")) {
			t.Errorf("item.go lacks %s", want)
		}
	}
}
