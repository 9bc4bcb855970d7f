package store

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/uuid"
)

type tiny int8

func TestParsersKeepTheExactGoTypeAndExplainErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		decode  func(string) (any, error)
		in      string
		want    any
		wantErr string
	}{
		{"int", Decoder(ParseInt[int]), " 42 ", 42, ""},
		{"named int8 in range", Decoder(ParseInt[tiny]), "-128", tiny(-128), ""},
		{"named int8 out of range", Decoder(ParseInt[tiny]), "300", nil, "The number is out of range."},
		{"not a whole number", Decoder(ParseInt[int64]), "1.5", nil, "Enter a whole number."},
		{"uint refuses negatives", Decoder(ParseUint[uint16]), "-1", nil, "Enter a whole number that is not negative."},
		{"float32", Decoder(ParseFloat[float32]), "2.5", float32(2.5), ""},
		{"not a number", Decoder(ParseFloat[float64]), "abc", nil, "Enter a number."},
		{"JSON", Decoder(ParseJSON[[]string]), `["a","b"]`, nil, ""},
		{"bad JSON", Decoder(ParseJSON[map[string]any]), `{"a":`, nil, "Enter valid JSON: unexpected end of JSON input"},
		{"UUID", Decoder(ParseText[uuid.UUID]), "6ba7b810-9dad-11d1-80b4-00c04fd430c8", uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), ""},
		{"bad UUID", Decoder(ParseText[uuid.UUID]), "nope", nil, "Enter a valid value."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.decode(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want != nil && got != tt.want {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
			if tt.name == "JSON" {
				if s, ok := got.([]string); !ok || len(s) != 2 {
					t.Errorf("got %#v", got)
				}
			}
		})
	}
}

func TestNaNAndInfinityAreNotNumbers(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"NaN", "nan", "Inf", "+Inf", "-inf", "Infinity", " -Infinity "} {
		if v, err := ParseFloat[float64](s); err == nil {
			t.Errorf("ParseFloat(%q) = %v, want an error", s, v)
		}
		if v, err := ParseFloat[float32](s); err == nil {
			t.Errorf("ParseFloat[float32](%q) = %v, want an error", s, v)
		}
	}
	if _, err := ParseFloat[float64]("1e400"); err == nil || err.Error() != "The number is out of range." {
		t.Errorf("ParseFloat(1e400) = %v, want out of range", err)
	}
}

func TestTextWithANULOrInvalidUTF8IsRefusedByTheDecoders(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"a\x00b", "\xff", "caf\xe9"} {
		if _, err := ParseString[string](s); err != errInvalidText {
			t.Errorf("ParseString(%q) = %v, want %v", s, err, errInvalidText)
		}
		if _, err := ParseJSON[any](`"` + s + `"`); err == nil {
			t.Errorf("ParseJSON(%q) passes", s)
		}
	}
	for _, doc := range []string{`"a\u0000b"`, `{"k":["x","\u0000"]}`, `{"\u0000":1}`} {
		if _, err := ParseJSON[any](doc); err != errInvalidText {
			t.Errorf("ParseJSON(%s) = %v, want %v", doc, err, errInvalidText)
		}
	}
	if v, err := ParseJSON[map[string]string](`{"path":"C:\\u0000"}`); err != nil {
		t.Errorf("ParseJSON of an escaped backslash before u0000 = %v, %v; want it accepted", v, err)
	}
}

func FuzzFormDecoders(f *testing.F) {
	for _, s := range []string{"", "42", " -1.5e3 ", "NaN", "+Inf", "0x1p-2", "1_000", "a\x00b", "\xff", `{"a":"\u0000"}`, `["x"]`, "9223372036854775808"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sentence := func(err error) {
			var msg InputError
			if !errors.As(err, &msg) || !strings.HasSuffix(string(msg), ".") && !strings.HasPrefix(string(msg), "Enter valid JSON") {
				t.Fatalf("error %T %q is not a sentence for the user", err, err)
			}
		}
		if v, err := ParseString[string](s); err != nil {
			sentence(err)
		} else if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			t.Fatalf("ParseString passes %q", v)
		}
		if v, err := ParseFloat[float64](s); err != nil {
			sentence(err)
		} else if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseFloat(%q) = %v", s, v)
		}
		if _, err := ParseInt[int32](s); err != nil {
			sentence(err)
		}
		if _, err := ParseUint[uint8](s); err != nil {
			sentence(err)
		}
		if v, err := ParseJSON[any](s); err != nil {
			sentence(err)
		} else if holdsNUL(v) {
			t.Fatalf("ParseJSON(%q) holds a NUL", s)
		}
	})
}
