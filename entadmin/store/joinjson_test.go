package store

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

type color string

// entity has a field of each kind a joined edge may carry, tagged as ent
// tags them.
type entity struct {
	Config   string     `json:"-"`
	ID       int        `json:"id,omitempty"`
	Name     string     `json:"name,omitempty"`
	Nick     *string    `json:"nick,omitempty"`
	Color    color      `json:"color,omitempty"`
	Small    int8       `json:"small,omitempty"`
	Count    uint16     `json:"count,omitempty"`
	Price    float64    `json:"price,omitempty"`
	Ratio    *float32   `json:"ratio,omitempty"`
	Active   bool       `json:"active,omitempty"`
	At       time.Time  `json:"at,omitempty"`
	Seen     *time.Time `json:"seen,omitempty"`
	ParentID int        `json:"parent_id,omitempty"`
	Untagged string
	Edges    struct{} `json:"edges"`
}

// objects are JSON objects as PostgreSQL's json_build_object writes
// them, and a few it does not, all of which encoding/json reads.
var objects = []string{
	`{"id" : 1, "name" : "Oak", "nick" : null, "color" : "red"}`,
	`{"id":2,"name":"say \"hi\" \\ \/ \b\f\n\r\t \u0001\u001f","nick":"x"}`,
	`{"id" : 3, "name" : "Ünïcödé 漢字 🎉 \ud83c\udf89 \u00e9\u2028", "parent_id" : null}`,
	`{"id" : 4, "name" : "lone \ud800 surrogate \udc00 \ud800\u0041", "small" : -128, "count" : 65535}`,
	`{"id" : 5, "price" : 12.5, "ratio" : 0.25, "active" : true, "at" : "2024-05-01T10:00:00.123456+00:00", "seen" : "2024-05-01T10:00:00+02:00"}`,
	`{"id" : 6, "price" : -1e3, "ratio" : null, "active" : false, "seen" : null, "Untagged" : "u", "unknown" : {"a" : [1, "]", {"b" : null}]}, "hidden" : "h", "Config" : "c"}`,
	"{\n\t\"id\" : 7 ,\r\n \"name\" : \"\" }",
	`{}`,
	`{"name" : "invalid ` + "\xff\xfe" + ` utf-8"}`,
}

func TestJoinedReadsAsEncodingJSON(t *testing.T) {
	for _, in := range objects {
		var want *entity
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got, err := Joined[entity]([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", in, got, want)
		}
	}
}

func TestJoinedAllReadsAsEncodingJSON(t *testing.T) {
	for _, in := range []string{
		"[" + strings.Join(objects, ", \n ") + "]",
		"[" + objects[0] + "]",
		"[]",
		"[null, " + objects[1] + "]",
		" [ " + objects[2] + " , " + objects[3] + " ] ",
	} {
		var want []*entity
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		got, err := JoinedAll[entity]([]byte(in))
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", in, got, want)
		}
	}
}

func TestJoinedNull(t *testing.T) {
	for _, in := range [][]byte{nil, []byte("null"), []byte(" null ")} {
		if e, err := Joined[entity](in); e != nil || err != nil {
			t.Errorf("Joined(%q) = %v, %v", in, e, err)
		}
		if es, err := JoinedAll[entity](in); es != nil || err != nil {
			t.Errorf("JoinedAll(%q) = %v, %v", in, es, err)
		}
	}
}

func TestJoinedRejectsWhatEncodingJSONRejects(t *testing.T) {
	for _, in := range []string{
		``, `{`, `{"id" : 1`, `{"id" 1}`, `{"id" : 1,}`, `{"id" : 1} x`, `[`, `{"name" : "a` + "\n" + `"}`,
		`{"name" : "\x"}`, `{"name" : "\u12"}`, `{"id" : "1"}`, `{"id" : 1.5}`, `{"small" : 128}`,
		`{"count" : -1}`, `{"name" : 1}`, `{"active" : 1}`, `{"at" : "yesterday"}`, `{"price" : "1"}`,
		`{"id" : nul}`, `{"id" : truex}`, `{"name" : "a" "b"}`, `["a"]`, `{"id" : 1}}`,
	} {
		var e *entity
		if json.Unmarshal([]byte(in), &e) == nil {
			t.Fatalf("encoding/json reads %s", in)
		}
		if _, err := Joined[entity]([]byte(in)); err == nil {
			t.Errorf("Joined(%s) reads it", in)
		}
	}
}

func FuzzJoined(f *testing.F) {
	for _, o := range objects {
		f.Add(o)
	}
	f.Fuzz(func(t *testing.T, in string) {
		if strings.ContainsFunc(in, func(r rune) bool { return r >= 'A' && r <= 'Z' }) {
			// encoding/json also takes a key in another case ("NAME");
			// Joined takes the keys as the generated SQL writes them.
			return
		}
		var want *entity
		wantErr := json.Unmarshal([]byte(in), &want)
		got, err := Joined[entity]([]byte(in))
		if wantErr != nil {
			return // what encoding/json rejects, Joined need not
		}
		if err != nil {
			// Beyond the objects of scalars PostgreSQL writes, Joined
			// may refuse what encoding/json reads.
			return
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q:\n got %+v\nwant %+v", in, got, want)
		}
	})
}

// tags is a row's tags as PostgreSQL's json_agg writes them.
var tags = []byte(`[{"id" : 12, "name" : "bestseller", "color" : "#64748b"}, 
 {"id" : 3, "name" : "eco-friendly", "color" : "#64748b"}]`)

type tag struct {
	ID    int    `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
	Color string `json:"color,omitempty"`
}

func BenchmarkJoinedAll(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := JoinedAll[tag](tags); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJoinedAllEncodingJSON is what JoinedAll replaced.
func BenchmarkJoinedAllEncodingJSON(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var ts []*tag
		if err := json.Unmarshal(tags, &ts); err != nil {
			b.Fatal(err)
		}
	}
}
