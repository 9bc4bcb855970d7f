package codegen

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestBoundsAreReadFromTheSchemaSource: the limits of ent's number
// validators become the form's min and max, whatever way the schema
// writes them; bounds that are not constants are left to the validator.
func TestBoundsAreReadFromTheSchemaSource(t *testing.T) {
	dir := t.TempDir()
	src := `package schema

import (
	"entgo.io/ent"
	f "entgo.io/ent/schema/field"
)

const maxStock = 10_000

type Widget struct{ ent.Schema }

func (Widget) Fields() []ent.Field {
	return []ent.Field{
		f.Float("price").Min(0).Optional(),
		f.Int("stock").NonNegative().Max(maxStock),
		f.Int("rank").Range(-5, 5),
		f.Int("count").Positive(),
		f.Float("ratio").Positive(),
		f.Float("debt").Negative(),
		f.Int8("level").Negative(),
		f.Float("scale").Min(-0.5).Max(1e3),
		f.Int("dynamic").Min(limit()),
		f.String("name").MaxLen(10),
	}
}

type Other struct{ ent.Schema }

func (*Other) Fields() []ent.Field { return []ent.Field{f.Int("rank").Min(3)} }

func limit() int { return 3 }
`
	if err := os.WriteFile(filepath.Join(dir, "widget.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := readBounds(dir)
	want := map[string]map[string]bounds{
		"Widget": {
			"price": {Min: "0"},
			"stock": {Min: "0", Max: "10000"},
			"rank":  {Min: "-5", Max: "5"},
			"count": {Min: "1"},
			"ratio": {Min: "0", MinOpen: true},
			"debt":  {Max: "0", MaxOpen: true},
			"level": {Max: "-1"},
			"scale": {Min: "-0.5", Max: "1000"},
		},
		"Other": {"rank": {Min: "3"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("bounds\n got %v\nwant %v", got, want)
	}
}
