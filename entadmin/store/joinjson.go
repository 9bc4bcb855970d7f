package store

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON of a joined edge is PostgreSQL's json_build_object of the
// related row, or json_agg's array of them: objects of scalars, under the
// keys of the entity's struct tags. It is decoded here without
// encoding/json's reflection on every value, into the same values:
// strings unescaped as encoding/json does, numbers and booleans parsed
// into fields of their kind, times with time.Time's UnmarshalJSON, null
// leaving a field alone (nil for a pointer).

// jsonField is how a JSON key is set on an entity: its struct field.
type jsonField struct {
	index int
	typ   reflect.Type // the field's type, the pointed-to one for a pointer
	ptr   bool
}

// jsonFields are the fields of an entity type by JSON key.
type jsonFields map[string]jsonField

// jsonFieldsOf caches the jsonFields of each entity type.
var jsonFieldsOf sync.Map // reflect.Type -> jsonFields

var timeType = reflect.TypeFor[time.Time]()

// fieldsOf returns the jsonFields of the struct type t: its exported
// fields by the name of their json tag (the field's name without one),
// those tagged "-" left out.
func fieldsOf(t reflect.Type) jsonFields {
	if fs, ok := jsonFieldsOf.Load(t); ok {
		return fs.(jsonFields)
	}
	fs := jsonFields{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name := f.Name
		if tag, ok := f.Tag.Lookup("json"); ok {
			name = tag
			for k := range len(tag) {
				if tag[k] == ',' {
					name = tag[:k]
					break
				}
			}
			if name == "-" {
				continue
			}
			if name == "" {
				name = f.Name
			}
		}
		jf := jsonField{index: i, typ: f.Type}
		if f.Type.Kind() == reflect.Pointer {
			jf.typ, jf.ptr = f.Type.Elem(), true
		}
		fs[name] = jf
	}
	jsonFieldsOf.Store(t, fs)
	return fs
}

// errJoinedJSON is the error of JSON a joined edge cannot have come as.
var errJoinedJSON = errors.New("entadmin: decode a joined edge: malformed JSON")

// jsonReader reads the JSON of a joined edge.
type jsonReader struct {
	b []byte
	i int
}

// space skips white space and returns the next byte, 0 at the end.
func (r *jsonReader) space() byte {
	for r.i < len(r.b) {
		switch c := r.b[r.i]; c {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return c
		}
	}
	return 0
}

// consume skips white space and the byte c, or reports that it is not next.
func (r *jsonReader) consume(c byte) bool {
	if r.space() != c {
		return false
	}
	r.i++
	return true
}

// count returns the number of elements of the array that starts at the
// reader, which it does not move; the elements' own content is skipped.
func (r *jsonReader) count() (int, error) {
	saved := r.i
	defer func() { r.i = saved }()
	if !r.consume('[') {
		return 0, errJoinedJSON
	}
	if r.consume(']') {
		return 0, nil
	}
	n := 0
	for {
		if _, _, err := r.value(); err != nil {
			return 0, err
		}
		n++
		if r.consume(']') {
			return n, nil
		}
		if !r.consume(',') {
			return 0, errJoinedJSON
		}
	}
}

// value reads one value and returns its raw bytes and its first byte:
// '"' for a string (its bytes with the quotes), 'n', 't', 'f', '{', '['
// or a digit or '-'.
func (r *jsonReader) value() ([]byte, byte, error) {
	c := r.space()
	start := r.i
	switch {
	case c == '"':
		r.i++
		for r.i < len(r.b) {
			switch r.b[r.i] {
			case '\\':
				r.i += 2
				continue
			case '"':
				r.i++
				return r.b[start:r.i], c, nil
			}
			r.i++
		}
		return nil, 0, errJoinedJSON
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		r.i++
		if r.consume(end) {
			return r.b[start:r.i], c, nil
		}
		for {
			if c == '{' {
				if _, k, err := r.value(); err != nil || k != '"' || !r.consume(':') {
					return nil, 0, errJoinedJSON
				}
			}
			if _, _, err := r.value(); err != nil {
				return nil, 0, err
			}
			if r.consume(end) {
				return r.b[start:r.i], c, nil
			}
			if !r.consume(',') {
				return nil, 0, errJoinedJSON
			}
		}
	case c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z':
		for r.i < len(r.b) && literalByte(r.b[r.i]) {
			r.i++
		}
		tok := r.b[start:r.i]
		if c >= 'a' && c <= 'z' && string(tok) != "null" && string(tok) != "true" && string(tok) != "false" {
			return nil, 0, errJoinedJSON
		}
		return tok, c, nil
	}
	return nil, 0, errJoinedJSON
}

// literalByte reports whether c may be in a number, true, false or null.
func literalByte(c byte) bool {
	return c == '-' || c == '+' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// object reads an object into the struct e points at, by the keys of fs;
// keys that name no field are skipped.
func (r *jsonReader) object(e reflect.Value, fs jsonFields) error {
	if !r.consume('{') {
		return errJoinedJSON
	}
	if r.consume('}') {
		return nil
	}
	for {
		key, k, err := r.value()
		if err != nil || k != '"' || !r.consume(':') {
			return errJoinedJSON
		}
		tok, kind, err := r.value()
		if err != nil {
			return err
		}
		if f, ok := fs[string(key[1:len(key)-1])]; ok {
			if err := setField(e.Field(f.index), f, tok, kind); err != nil {
				return fmt.Errorf("entadmin: decode a joined edge: %s: %w", key, err)
			}
		}
		if r.consume('}') {
			return nil
		}
		if !r.consume(',') {
			return errJoinedJSON
		}
	}
}

// setField sets the field v from the JSON value tok, whose first byte is
// kind.
func setField(v reflect.Value, f jsonField, tok []byte, kind byte) error {
	if kind == 'n' {
		if f.ptr {
			v.SetZero()
		}
		return nil
	}
	if f.ptr {
		p := reflect.New(f.typ)
		v.Set(p)
		v = p.Elem()
	}
	if f.typ == timeType {
		if kind != '"' {
			return errors.New("not a time")
		}
		return v.Addr().Interface().(*time.Time).UnmarshalJSON(tok)
	}
	switch f.typ.Kind() {
	case reflect.String:
		if kind != '"' {
			return errors.New("not a string")
		}
		s, err := unquote(tok)
		if err != nil {
			return err
		}
		v.SetString(s)
	case reflect.Bool:
		if kind != 't' && kind != 'f' {
			return errors.New("not a boolean")
		}
		v.SetBool(kind == 't')
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(string(tok), 10, 64)
		if err != nil || v.OverflowInt(n) {
			return fmt.Errorf("not an %s: %s", f.typ, tok)
		}
		v.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, err := strconv.ParseUint(string(tok), 10, 64)
		if err != nil || v.OverflowUint(n) {
			return fmt.Errorf("not a %s: %s", f.typ, tok)
		}
		v.SetUint(n)
	case reflect.Float32, reflect.Float64:
		n, err := strconv.ParseFloat(string(tok), f.typ.Bits())
		if err != nil || kind == '"' {
			return fmt.Errorf("not a %s: %s", f.typ, tok)
		}
		v.SetFloat(n)
	default:
		return fmt.Errorf("a field of type %s", f.typ)
	}
	return nil
}

// unquote returns the string of the JSON string tok, quotes included, as
// encoding/json decodes it: escapes resolved, surrogate pairs joined, and
// a lone surrogate or invalid UTF-8 read as U+FFFD.
func unquote(tok []byte) (string, error) {
	s := tok[1 : len(tok)-1]
	plain := true
	for _, c := range s {
		if c == '\\' || c < ' ' || c >= utf8.RuneSelf {
			plain = false
			break
		}
	}
	if plain {
		return string(s), nil
	}
	var out strings.Builder // one allocation, which String keeps
	out.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c < ' ':
			return "", errors.New("a control character in a string")
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(s[i:])
			out.WriteRune(r) // RuneError for invalid UTF-8
			i += n
			continue
		case c != '\\':
			out.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(s) {
			return "", errJoinedJSON
		}
		switch e := s[i+1]; e {
		case '"', '\\', '/':
			out.WriteByte(e)
		case 'b':
			out.WriteByte('\b')
		case 'f':
			out.WriteByte('\f')
		case 'n':
			out.WriteByte('\n')
		case 'r':
			out.WriteByte('\r')
		case 't':
			out.WriteByte('\t')
		case 'u':
			r, ok := hex4(s[i+2:])
			if !ok {
				return "", errJoinedJSON
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(-1), false
				if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
					r2, ok = hex4(s[i+2:])
				}
				if d := utf16.DecodeRune(r, r2); ok && d != utf8.RuneError {
					r = d
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out.WriteRune(r)
			continue
		default:
			return "", errJoinedJSON
		}
		i += 2
	}
	return out.String(), nil
}

// hex4 reads the four hexadecimal digits of a \u escape.
func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// end reports an error unless only white space is left.
func (r *jsonReader) end() error {
	if r.space() != 0 {
		return errJoinedJSON
	}
	return nil
}
