package codegen

import (
	"regexp"
	"strings"
	"testing"

	"entgo.io/ent/schema"

	"github.com/entadmin/entadmin/entadmin/admin"
)

func TestBadListEditableFailsWithSchemaAnnotationAndName(t *testing.T) {
	list := admin.ListDisplay("name", "count", "ok")
	tests := []struct {
		name string
		ants []schema.Annotation
		want string
	}{
		{"unknown field", []schema.Annotation{list, admin.ListEditable("cout")}, `Bad: admin.ListEditable: unknown field "cout"`},
		{"not a column", []schema.Annotation{admin.ListDisplay("name", "count"), admin.ListEditable("ok")}, `Bad: admin.ListEditable: field "ok" is not in ListDisplay`},
		{"the default link column", []schema.Annotation{list, admin.ListEditable("name")}, `Bad: admin.ListEditable: field "name" links to the form`},
		{"a named link column", []schema.Annotation{list, admin.ListDisplayLinks("count"), admin.ListEditable("count")}, `Bad: admin.ListEditable: field "count" links to the form`},
		{"a read-only field", []schema.Annotation{list, admin.ReadOnlyFields("ok"), admin.ListEditable("ok")}, `Bad: admin.ListEditable: field "ok" is read-only`},
		{"a JSON field", []schema.Annotation{admin.ListDisplay("name", "meta"), admin.ListEditable("meta")}, `Bad: admin.ListEditable: field "meta" of type map[string]interface {} cannot be edited in a list cell`},
		{"no name", []schema.Annotation{list, admin.ListEditable()}, `admin.ListEditable: no name given`},
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

func TestListEditableIsGenerated(t *testing.T) {
	files, err := generate(t, Bad{ants: []schema.Annotation{admin.ListDisplay("name", "count", "ok"), admin.ListEditable("count", "ok")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.name == "bad.go" && !regexp.MustCompile(`ListEditable:\s+\[\]string\{"count", "ok"\},`).Match(f.src) {
			t.Errorf("bad.go does not carry ListEditable:\n%s", f.src)
		}
	}
}
