package codegen

import (
	"bytes"
	"strings"
	"testing"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/index"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// Crate holds bottles.
type Crate struct{ ent.Schema }

func (Crate) Fields() []ent.Field { return []ent.Field{field.String("name")} }

// Bottle is listed newest first and filtered by its crate.
type Bottle struct {
	ent.Schema
	indexes []ent.Index
}

func (Bottle) Fields() []ent.Field {
	return []ent.Field{field.Int("crate_id").Optional(), field.Time("created_at")}
}

func (Bottle) Edges() []ent.Edge {
	return []ent.Edge{edge.To("crate", Crate.Type).Unique().Field("crate_id")}
}

func (b Bottle) Indexes() []ent.Index { return b.indexes }

func (Bottle) Annotations() []schema.Annotation {
	return []schema.Annotation{admin.Ordering("-created_at"), admin.ListFilter("crate")}
}

func TestAnEdgeFilterOfAnOrderedListWantsAnIndexOfTheKeyAndTheOrdering(t *testing.T) {
	const want = `admin.ListFilter: edge "crate" filters a list ordered by "created_at", so a filtered page reads and sorts every row of the chosen Crate; add index.Fields("crate_id", "created_at") to Bottle.Indexes()`
	tests := []struct {
		name    string
		indexes []ent.Index
		warned  bool
	}{
		{"no index", nil, true},
		{"an index of the key alone", []ent.Index{index.Fields("crate_id"), index.Fields("created_at")}, true},
		{"an index of the key and the ordering", []ent.Index{index.Fields("crate_id", "created_at"), index.Fields("created_at")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var w bytes.Buffer
			if _, err := New(WithWarnings(&w)).render(graphOf(t, Crate{}, Bottle{indexes: tt.indexes})); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(w.String(), want); got != tt.warned {
				t.Errorf("warned %v, want %v:\n%s", got, tt.warned, w.String())
			}
		})
	}
}

// Carton is filtered by its crate, through an edge without an edge field.
type Carton struct{ ent.Schema }

func (Carton) Fields() []ent.Field { return []ent.Field{field.String("name")} }

func (Carton) Edges() []ent.Edge { return []ent.Edge{edge.To("crate", Crate.Type).Unique()} }

func (Carton) Annotations() []schema.Annotation {
	return []schema.Annotation{admin.ListFilter("crate")}
}

// ent knows no field named after an edge's foreign key: the advice for an
// edge without an edge field must be an index of the edge, which ent's
// codegen accepts.
func TestTheIndexAdviceForAnEdgeWithoutAFieldNamesTheEdge(t *testing.T) {
	var w bytes.Buffer
	if _, err := New(WithWarnings(&w)).render(graphOf(t, Crate{}, Carton{})); err != nil {
		t.Fatal(err)
	}
	want := `admin.ListFilter: edge "crate" has no index, so the list scans the table; add index.Edges("crate") to Carton.Indexes()`
	if !strings.Contains(w.String(), want) {
		t.Errorf("warnings lack %q:\n%s", want, w.String())
	}
}
