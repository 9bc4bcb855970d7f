package entadmin

import (
	"testing"

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
