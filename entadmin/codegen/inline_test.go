package codegen

import (
	"strings"
	"testing"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/edge"
	"entgo.io/ent/schema/field"

	"github.com/entadmin/entadmin/entadmin/admin"
)

// Shelf, Book, Reader and Loan exercise inlines: Book rows on the Shelf
// form over a one-to-many edge, and Loan rows (an edge schema) on the Reader
// form over a many-to-many edge through it.
type Shelf struct {
	ent.Schema
	inline *admin.InlineAnnotation
}

func (Shelf) Fields() []ent.Field { return []ent.Field{field.String("name")} }

func (s Shelf) Edges() []ent.Edge {
	e := edge.To("books", Book.Type)
	if s.inline != nil {
		e = e.Annotations(s.inline)
	}
	return []ent.Edge{e, edge.To("tags", Tag.Type)}
}

func (Shelf) Annotations() []schema.Annotation { return []schema.Annotation{admin.SaveAs()} }

type Book struct{ ent.Schema }

func (Book) Fields() []ent.Field {
	return []ent.Field{
		field.String("title"),
		field.String("isbn").Unique(),
		field.Int("position").Default(0),
		field.Time("added_at").Default(time.Now),
	}
}

func (Book) Edges() []ent.Edge {
	return []ent.Edge{
		edge.From("shelf", Shelf.Type).Ref("books").Unique(),
		edge.From("readers", Reader.Type).Ref("borrowed"),
	}
}

// Tag has no edge back to Shelf.
type Tag struct{ ent.Schema }

func (Tag) Fields() []ent.Field { return []ent.Field{field.String("name")} }

type Reader struct{ ent.Schema }

func (Reader) Fields() []ent.Field { return []ent.Field{field.String("name")} }

func (Reader) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("borrowed", Book.Type).Through("loans_of_reader", Loan.Type).
			Annotations(admin.Inline().WithFields("book", "due").WithTitle("Loans")),
	}
}

type Loan struct{ ent.Schema }

func (Loan) Fields() []ent.Field {
	return []ent.Field{
		field.Int("reader_id"),
		field.Int("book_id"),
		field.Time("due").Optional(),
	}
}

func (Loan) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("reader", Reader.Type).Unique().Required().Field("reader_id"),
		edge.To("book", Book.Type).Unique().Required().Field("book_id"),
	}
}

func TestInlinesGenerate(t *testing.T) {
	ok := admin.Inline().WithFields("title", "isbn").ReadOnly("isbn").Sortable("position").
		WithExtra(2).WithMin(1).WithMax(5).OrderBy("-title").ChangeLink().Collapsed().AsStacked().WithTitle("Books on it")
	files, err := generate(t, Shelf{inline: ok}, Book{}, Tag{}, Reader{}, Loan{})
	if err != nil {
		t.Fatal(err)
	}
	// Compared with runs of white space as one space: gofmt aligns.
	got := map[string]string{}
	for _, f := range files {
		got[f.name] = strings.Join(strings.Fields(string(f.src)), " ")
		if strings.HasSuffix(f.name, "_inline.go") {
			golden(t, f)
		}
	}
	// The edge through Loan is edited by the inline alone: saving it as a
	// dual select would replace the Loan rows the inline saves.
	if strings.Contains(got["reader.go"], `Name: "borrowed"`) || strings.Contains(got["reader.go"], "QueryBorrowed") {
		t.Errorf("reader.go has the edge through the inline's edge schema on its form or delete summary:\n%s", got["reader.go"])
	}
	for file, wants := range map[string][]string{
		"shelf_inline.go": {
			`Name:  "books"`, `Title: "Books on it"`, "Stacked: true", `Fields: []string{"title", "isbn"}`,
			`ReadOnly: []string{"isbn"}`, "Extra: 2", "Min: 1", "Max: 5", "CanDelete: true", `Ordering: []string{"-title"}`,
			`SortField: "position"`, "ShowChangeLink: true", "Collapsed: true",
			"c(ctx).Shelf.QueryBooks(p).All(ctx)", "m.(*ent.BookMutation).SetShelfID(p.ID)",
		},
		"reader_inline.go": {
			`Name:  "loans_of_reader"`, `Title: "Loans"`, `Fields: []string{"book", "due"}`,
			"c(ctx).Reader.QueryLoansOfReader(p).WithBook().All(ctx)", "m.(*ent.LoanMutation).SetReaderID(p.ID)",
		},
		"register.go": {"r.Shelf.Inlines = inlinesShelf(client, r)", "r.Reader.Inlines = inlinesReader(client, r)"},
		"shelf.go":    {"SaveAs: true"},
	} {
		for _, want := range wants {
			if !strings.Contains(got[file], strings.Join(strings.Fields(want), " ")) {
				t.Errorf("%s does not contain %q:\n%s", file, want, got[file])
			}
		}
	}
}

func TestBadInlinesFailWithSchemaAnnotationAndName(t *testing.T) {
	tests := []struct {
		name   string
		inline *admin.InlineAnnotation
		want   string
	}{
		{"unknown field", admin.Inline().WithFields("title", "tilte"), `Shelf: admin.Inline: edge "books": WithFields: unknown field "tilte" of Book`},
		{"the edge back to the parent", admin.Inline().WithFields("title", "shelf"), `Shelf: admin.Inline: edge "books": WithFields: "shelf" is the edge back to Shelf, which is set to the parent automatically`},
		{"a field named twice", admin.Inline().WithFields("title", "title"), `edge "books": WithFields: field "title" is named twice`},
		{"read-only field not shown", admin.Inline().WithFields("title").ReadOnly("isbn"), `edge "books": ReadOnly: field "isbn" is not one of the inline's fields`},
		{"sort field not an integer", admin.Inline().Sortable("title"), `edge "books": Sortable: field "title" of Book is not an integer field`},
		{"unknown sort field", admin.Inline().Sortable("rank"), `edge "books": Sortable: unknown field "rank" of Book`},
		{"unknown ordering", admin.Inline().OrderBy("-rank"), `edge "books": OrderBy: unknown field "rank" of Book`},
		{"min above max", admin.Inline().WithMin(3).WithMax(2), `edge "books": min 3 is above max 2`},
		{"negative extra", admin.Inline().WithExtra(-1), `edge "books": admin.Inline.WithExtra: -1 is outside 0..100`},
		{"max below one", admin.Inline().WithMax(0), `edge "books": admin.Inline.WithMax: 0 is below 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generate(t, Shelf{inline: tt.inline}, Book{}, Tag{}, Reader{}, Loan{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tt.want)
			}
		})
	}
}

// Unlinked puts inlines on edges that cannot carry one.
type Unlinked struct{ ent.Schema }

func (Unlinked) Fields() []ent.Field { return []ent.Field{field.String("name")} }

func (Unlinked) Edges() []ent.Edge {
	return []ent.Edge{
		edge.To("tags", Tag.Type).Annotations(admin.Inline()),
		edge.To("friends", Unlinked.Type).Annotations(admin.Inline()),
		edge.To("best", Tag.Type).Unique().Annotations(admin.Inline()),
	}
}

func TestInlinesOnEdgesThatCannotCarryOne(t *testing.T) {
	_, err := generate(t, Unlinked{}, Tag{})
	for _, want := range []string{
		`Unlinked: admin.Inline: edge "tags": type Tag has no edge back to Unlinked (add edge.From(...).Ref("tags").Unique() to Tag)`,
		`Unlinked: admin.Inline: edge "friends" is many-to-many without an edge schema`,
		`Unlinked: admin.Inline: edge "best" is M2O; an inline needs a one-to-many edge`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error:\n%v\nwant it to contain:\n%s", err, want)
		}
	}
}
