package codegen

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// displayBlock replaces entadmin's display function block: the same
// function under another comment.
const displayBlock = `{{ define "entadmin/resource/display" }}{{ $t := .T -}}
// {{ .DisplayFunc }} names a {{ $t.Name }}; this comment comes from the project.
func {{ .DisplayFunc }}(e *ent.{{ $t.Name }}) string {
	{{ .DisplayBody }}
}
{{- end }}
`

func TestAUserBlockReplacesOnlyTheBlockOfItsName(t *testing.T) {
	fsys := fstest.MapFS{"display.tmpl": {Data: []byte(displayBlock)}}
	files, err := New(WithWarnings(io.Discard), TemplateFS(fsys, "*.tmpl")).render(graphOf(t, Note{}, Author{}))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 3 {
		t.Fatalf("%d files, want note.go, author.go and register.go", len(files))
	}
	for _, f := range files {
		want, err := os.ReadFile(filepath.Join("testdata", f.name+".golden"))
		if err != nil {
			t.Fatal(err)
		}
		expected := string(want)
		for _, name := range []string{"Note", "Author"} {
			expected = strings.Replace(expected,
				"// display"+name+" returns the name the admin shows for a "+name+".",
				"// display"+name+" names a "+name+"; this comment comes from the project.", 1)
		}
		if f.name != "register.go" && expected == string(want) {
			t.Errorf("%s: the golden file has no display function comment to replace", f.name)
		}
		if diff := cmp.Diff(expected, string(f.src)); diff != "" {
			t.Errorf("%s with the display block replaced (-want +got):\n%s", f.name, diff)
		}
	}
}

func TestAUserBlockWithAnUnknownNameFails(t *testing.T) {
	fsys := fstest.MapFS{"typo.tmpl": {Data: []byte(`{{ define "entadmin/resource/dispaly" }}{{ end }}`)}}
	_, err := New(WithWarnings(io.Discard), TemplateFS(fsys, "*.tmpl")).render(graphOf(t, Note{}, Author{}))
	if want := `user template "entadmin/resource/dispaly": entadmin has no block of that name`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %s", err, want)
	}
}

func TestAnEmptyBlockIsAPlaceToAddTo(t *testing.T) {
	fsys := fstest.MapFS{"extra.tmpl": {Data: []byte(`{{ define "entadmin/resource/additional" }}
		// Added by the project for {{ .T.Name }}.
		SaveAs: true,
{{- end }}`)}}
	files, err := New(WithWarnings(io.Discard), TemplateFS(fsys, "*.tmpl")).render(graphOf(t, Note{}, Author{}))
	if err != nil {
		t.Fatal(err)
	}
	want := "\t\t},\n\t\t// Added by the project for Author.\n\t\tSaveAs: true,\n\t}\n}\n"
	i := slices.IndexFunc(files, func(f file) bool { return f.name == "author.go" })
	if i < 0 {
		t.Fatal("no author.go")
	}
	if src := string(files[i].src); !strings.HasSuffix(src, want) {
		t.Errorf("author.go ends with:\n%s\nwant:\n%s", src[len(src)-200:], want)
	}
}
