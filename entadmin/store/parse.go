package store

import (
	"encoding"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"entgo.io/ent/dialect/sql"
)

// InputError is a message for the user about a value they typed, written
// as a sentence to show beside the field. The parsers return it; the admin
// shows its text on the form.
type InputError string

func (e InputError) Error() string { return string(e) }

// As converts predicates or orderings to the named function type of an ent
// package, e.g. As[predicate.Product](where).
func As[P ~func(*sql.Selector)](ps []Predicate) []P {
	out := make([]P, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// Decoder adapts a typed parser to Field.Decode.
func Decoder[T any](parse func(string) (T, error)) func(string) (any, error) {
	return func(s string) (any, error) {
		v, err := parse(s)
		if err != nil {
			return nil, err
		}
		return v, nil
	}
}

// ParseString converts s to a string type. It refuses text that is not
// UTF-8 or holds a NUL byte, which PostgreSQL cannot store.
func ParseString[T ~string](s string) (T, error) {
	if !ValidText(s) {
		return "", errInvalidText
	}
	return T(s), nil
}

// errInvalidText is the error of a value that is not valid text.
var errInvalidText = InputError("Enter valid text: this contains a NUL character or bytes that are not UTF-8.")

// ParseInt parses a whole number.
func ParseInt[T ~int | ~int8 | ~int16 | ~int32 | ~int64](s string) (T, error) {
	var zero T
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, bitSize(zero))
	if err != nil {
		return 0, numberError(err, "Enter a whole number.")
	}
	return T(n), nil
}

// ParseUint parses a whole number that is not negative.
func ParseUint[T ~uint | ~uint8 | ~uint16 | ~uint32 | ~uint64](s string) (T, error) {
	var zero T
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, bitSize(zero))
	if err != nil {
		return 0, numberError(err, "Enter a whole number that is not negative.")
	}
	return T(n), nil
}

// ParseFloat parses a finite number: NaN and infinities, which strconv
// accepts, pass no range validator and encode to no JSON, are refused.
func ParseFloat[T ~float32 | ~float64](s string) (T, error) {
	var zero T
	n, err := strconv.ParseFloat(strings.TrimSpace(s), bitSize(zero))
	if err != nil {
		return 0, numberError(err, "Enter a number.")
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, InputError("Enter a number: NaN and infinity are not numbers here.")
	}
	return T(n), nil
}

// ParseJSON parses a JSON document into T. Like ParseString, it refuses
// text that is not UTF-8, and a NUL character in any string of the
// document, escaped or not.
func ParseJSON[T any](s string) (T, error) {
	var v T
	if !ValidText(s) {
		return v, errInvalidText
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return v, InputError("Enter valid JSON: " + err.Error())
	}
	if strings.Contains(s, `\u0000`) {
		var doc any
		if json.Unmarshal([]byte(s), &doc) == nil && holdsNUL(doc) {
			return v, errInvalidText
		}
	}
	return v, nil
}

// holdsNUL reports whether a decoded JSON document has a NUL character in
// one of its strings or keys.
func holdsNUL(doc any) bool {
	switch doc := doc.(type) {
	case string:
		return strings.IndexByte(doc, 0) >= 0
	case []any:
		return slices.ContainsFunc(doc, holdsNUL)
	case map[string]any:
		for k, v := range doc {
			if strings.IndexByte(k, 0) >= 0 || holdsNUL(v) {
				return true
			}
		}
	}
	return false
}

// ParseText parses a value that unmarshals itself from text, e.g. a UUID.
func ParseText[T any, PT interface {
	*T
	encoding.TextUnmarshaler
}](s string) (T, error) {
	var v T
	if !ValidText(s) {
		return v, errInvalidText
	}
	if err := PT(&v).UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return v, InputError("Enter a valid value.")
	}
	return v, nil
}

// bitSize is the width of a numeric type, named ones included.
func bitSize[T any](v T) int { return int(unsafe.Sizeof(v)) * 8 }

func numberError(err error, msg string) error {
	if errors.Is(err, strconv.ErrRange) {
		return InputError("The number is out of range.")
	}
	return InputError(msg)
}

// ValidText reports whether s is UTF-8 without NUL bytes, which no
// PostgreSQL text value may hold.
func ValidText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}
