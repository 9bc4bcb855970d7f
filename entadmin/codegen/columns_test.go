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

// Org, Team, Member and Badge are a schema with edge paths two levels
// deep and a to-many edge; Member's annotations are set per test.
type Org struct{ ent.Schema }

func (Org) Fields() []ent.Field {
	return []ent.Field{field.String("name"), field.String("secret").Sensitive(), field.JSON("meta", map[string]any{}).Optional()}
}

func (Org) Edges() []ent.Edge { return []ent.Edge{edge.To("teams", Team.Type)} }

type Team struct{ ent.Schema }

func (Team) Fields() []ent.Field { return []ent.Field{field.String("name")} }

func (Team) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("org", Org.Type).Ref("teams").Unique(),
		edge.To("members", Member.Type),
	}
}

type Badge struct{ ent.Schema }

func (Badge) Fields() []ent.Field { return []ent.Field{field.String("name")} }

type Member struct {
	ent.Schema
	ants []schema.Annotation
}

func (Member) Fields() []ent.Field {
	return []ent.Field{field.String("name"), field.Float("score").Optional().Annotations(admin.EmptyValue("unscored"))}
}

func (Member) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("team", Team.Type).Ref("members").Unique(),
		edge.To("badges", Badge.Type),
	}
}

func (m Member) Annotations() []schema.Annotation { return m.ants }

// The list of a member shows every kind of column: a field with its own
// empty value, an edge, a path two edges deep, a to-many edge and a
// computed column; the golden file pins the eager loads (one With per
// edge, nested for the path) and the path columns.
func TestColumnsOfEveryKindAreGenerated(t *testing.T) {
	files, err := generate(t, Org{}, Team{}, Badge{}, Member{ants: []schema.Annotation{
		admin.ListDisplay("name", "score", "rank", "team", "team.org.name", "badges"),
		admin.Computed("rank"),
		admin.ListFilter("team.org", "team.name", "badges"),
		admin.SortableBy("name", "team"),
		admin.SearchFields("^name"),
		admin.Facets(),
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.name == "member.go" {
			golden(t, f)
		}
	}
}

func TestBadColumnsFailWithSchemaAnnotationAndName(t *testing.T) {
	tests := []struct {
		name string
		ants []schema.Annotation
		want string
	}{
		{"unknown step of a path", []schema.Annotation{admin.ListDisplay("name", "team.nme")}, `Member: admin.ListDisplay: path "team.nme": Team has no field or edge "nme"`},
		{"unknown first step", []schema.Annotation{admin.ListDisplay("name", "tema.name")}, `Member: admin.ListDisplay: unknown field "tema.name"`},
		{"a field after a to-many edge", []schema.Annotation{admin.ListDisplay("badges.name")}, `Member: admin.ListDisplay: path "badges.name": edge "badges" of Member leads to many entities, so only the last step of a path may follow it (e.g. "badges")`},
		{"a sensitive field at the end", []schema.Annotation{admin.ListDisplay("team.org.secret")}, `Member: admin.ListDisplay: path "team.org.secret": field "secret" of Org is sensitive`},
		{"a computed column never declared", []schema.Annotation{admin.ListDisplay("name", "rank")}, `Member: admin.ListDisplay: unknown field "rank"`},
		{"a computed column named like a field", []schema.Annotation{admin.Computed("score")}, `Member: admin.Computed: "score" is the name of a field or edge`},
		{"sortable column outside the list", []schema.Annotation{admin.ListDisplay("name"), admin.SortableBy("score")}, `Member: admin.SortableBy: field "score" is not in ListDisplay`},
		{"a filter path ending on JSON", []schema.Annotation{admin.ListFilter("team.org.meta")}, `Member: admin.ListFilter: path "team.org.meta" ends on field "meta" of type map[string]interface {}, which cannot be filtered`},
		{"a search prefix on a number", []schema.Annotation{admin.SearchFields("^score")}, `Member: admin.SearchFields: field "score" is not a string field (it is float64)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generate(t, Org{}, Team{}, Badge{}, Member{ants: tt.ants})
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}
