package entadmin

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"entgo.io/ent/dialect/sql"
)

// The query parameters of keyset (seek) paging: the page after, or before,
// the row a cursor names.
const (
	paramAfter  = "after"
	paramBefore = "before"
)

// numberedPages is how many pages a list of unknown or large size links by
// number (OFFSET paging); pages beyond it are reached by keyset links, so
// that page 5,000 costs what page 1 costs.
const numberedPages = 20

// smallList is the number of rows under which an exactly counted list
// links every page by number.
const smallList = ExactCountBelow

// keysetTerm is one column of a keyset ordering.
type keysetTerm[T any] struct {
	field *Field[T] // nil for the id
	desc  bool
}

// keyset returns the ordering of a list as keyset terms, the id last; ok is
// false when a column cannot be sought (an optional field, whose NULLs the
// databases order differently, or an ordering through another table).
func (r *Resource[T]) keyset(terms []orderTerm[T]) (ks []keysetTerm[T], ok bool) {
	terms = r.effectiveOrder(terms)
	idDesc := true
	for _, t := range terms {
		f := t.field
		if f.Optional || f.Through != nil || f.Column == "" || r.fields[f.Name] != f {
			return nil, false
		}
		switch f.Kind {
		case KindString, KindText, KindInt, KindFloat, KindBool, KindTime, KindEnum:
		default:
			return nil, false
		}
		ks = append(ks, keysetTerm[T]{f, t.desc})
		idDesc = t.desc
	}
	return append(ks, keysetTerm[T]{nil, idDesc}), true
}

// effectiveOrder is the requested ordering, or the resource's default.
func (r *Resource[T]) effectiveOrder(terms []orderTerm[T]) []orderTerm[T] {
	if len(terms) > 0 {
		return terms
	}
	for _, o := range r.Ordering {
		name, desc := strings.CutPrefix(o, "-")
		if f := r.fields[name]; f != nil && f.Order != nil {
			terms = append(terms, orderTerm[T]{name, f, desc})
		}
	}
	return terms
}

// cursor is the position of a row in a keyset ordering: the values of its
// ordering columns, the id last.
type cursor []any

// encodeCursor returns the cursor of entity e in a URL-safe form.
func (r *Resource[T]) encodeCursor(ks []keysetTerm[T], e T) string {
	vals := make([]string, len(ks))
	for i, k := range ks {
		if k.field == nil {
			vals[i] = r.ID(e)
			continue
		}
		vals[i] = cursorString(k.field.Get(e))
	}
	b, _ := json.Marshal(vals) // strings always marshal
	return base64.RawURLEncoding.EncodeToString(b)
}

// cursorString writes a value of a keyset column losslessly.
func cursorString(v any) string {
	switch v := v.(type) {
	case time.Time:
		return v.Format(time.RFC3339Nano)
	case float64:
		return strconv.FormatFloat(v, 'g', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(v), 'g', -1, 32)
	case bool:
		return strconv.FormatBool(v)
	}
	return fmt.Sprint(v)
}

// decodeCursor parses a cursor from a URL into values of the columns' Go
// types; anything else is a badParam, so that only well-typed values reach
// SQL, as arguments.
func (r *Resource[T]) decodeCursor(ks []keysetTerm[T], s string) (cursor, error) {
	bad := badParam{"the page link is damaged or outdated; go back to the first page"}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > maxCursorJSON {
		return nil, bad
	}
	var vals []string
	if json.Unmarshal(b, &vals) != nil || len(vals) != len(ks) {
		return nil, bad
	}
	c := make(cursor, len(ks))
	for i, k := range ks {
		var v any
		var err error
		if k.field == nil {
			v, err = r.ParseID(vals[i])
		} else {
			v, err = parseCursorValue(k.field, vals[i])
		}
		if err != nil {
			return nil, bad
		}
		c[i] = v
	}
	return c, nil
}

// parseCursorValue parses one value written by cursorString.
func parseCursorValue[T any](f *Field[T], s string) (any, error) {
	switch f.Kind {
	case KindTime:
		return time.Parse(time.RFC3339Nano, s)
	case KindInt:
		return strconv.ParseInt(s, 10, 64)
	case KindFloat:
		return strconv.ParseFloat(s, 64)
	case KindBool:
		return strconv.ParseBool(s)
	case KindEnum:
		if !slices.ContainsFunc(f.Enums, func(c Choice) bool { return c.Value == s }) {
			return nil, fmt.Errorf("not a value of %s", f.Name)
		}
	}
	return s, nil
}

// seek returns the predicate of the rows after the cursor in the keyset
// ordering (before it, with before): a range on the first column, which an
// index on it serves, and the exact tie-breaking on the others.
func (r *Resource[T]) seek(ks []keysetTerm[T], c cursor, before bool) Predicate {
	return func(s *sql.Selector) {
		col := func(i int) string {
			if ks[i].field == nil {
				return s.C(r.IDColumn)
			}
			return s.C(ks[i].field.Column)
		}
		// beyond reports whether rows beyond the cursor have smaller values.
		smaller := func(i int) bool { return ks[i].desc != before }
		var next *sql.Predicate
		for i := len(ks) - 1; i >= 0; i-- {
			var p *sql.Predicate
			if smaller(i) {
				p = sql.LT(col(i), c[i])
			} else {
				p = sql.GT(col(i), c[i])
			}
			if next != nil {
				p = sql.Or(p, sql.And(sql.EQ(col(i), c[i]), next))
			}
			next = p
		}
		bound := sql.GTE(col(0), c[0])
		if smaller(0) {
			bound = sql.LTE(col(0), c[0])
		}
		s.Where(sql.And(bound, next))
	}
}

// seekOrder returns the ordering of a keyset page: the list's, reversed for
// the page before a cursor (whose rows are then reversed back).
func (r *Resource[T]) seekOrder(ks []keysetTerm[T], before bool) []Predicate {
	out := make([]Predicate, len(ks))
	for i, k := range ks {
		col := r.IDColumn
		if k.field != nil {
			col = k.field.Column
		}
		out[i] = sql.OrderByField(col, direction(k.desc != before)).ToFunc()
	}
	return out
}
