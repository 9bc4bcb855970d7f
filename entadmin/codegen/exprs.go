package codegen

import (
	"fmt"
	"strings"

	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"
)

// The methods in this file return the Go expressions the templates write
// for a field. They keep type switches out of the templates.

// goType is the Go type of a field's values, as written in the generated
// package.
func goType(f *gen.Field) string {
	return f.Type.String()
}

// parser returns the entadmin function that parses a string into a value of
// the field's type, or "" when the runtime decodes the kind itself.
func parser(f *gen.Field) string {
	t := goType(f)
	switch f.Type.Type {
	case field.TypeBool, field.TypeTime:
		return ""
	case field.TypeString, field.TypeEnum:
		return fmt.Sprintf("store.ParseString[%s]", t)
	case field.TypeFloat32, field.TypeFloat64:
		return fmt.Sprintf("store.ParseFloat[%s]", t)
	case field.TypeUint, field.TypeUint8, field.TypeUint16, field.TypeUint32, field.TypeUint64:
		return fmt.Sprintf("store.ParseUint[%s]", t)
	case field.TypeInt, field.TypeInt8, field.TypeInt16, field.TypeInt32, field.TypeInt64:
		return fmt.Sprintf("store.ParseInt[%s]", t)
	case field.TypeJSON:
		return fmt.Sprintf("store.ParseJSON[%s]", t)
	default:
		return fmt.Sprintf("store.ParseText[%s]", t)
	}
}

// DecodeExpr is the field's Decode.
func (f *adminField) DecodeExpr() string {
	if f.Edge != nil {
		return fmt.Sprintf("store.Decoder(%s)", parser(f.Edge.Type.ID))
	}
	if p := parser(f.Field); p != "" {
		return fmt.Sprintf("store.Decoder(%s)", p)
	}
	return "nil"
}

// GetBody is the body of the field's Get, reading from e.
func (f *adminField) GetBody() string {
	if f.many() {
		return fmt.Sprintf("refs := make([]store.Ref, len(e.Edges.%s))\nfor i, t := range e.Edges.%[1]s {\nrefs[i] = store.Ref{ID: %s, Label: %s(t)}\n}\nreturn refs",
			f.Edge.StructField(), idString(f.Edge.Type, "t"), nameCall(f.Edge.Type))
	}
	if f.Edge != nil {
		return fmt.Sprintf("if t := e.Edges.%s; t != nil {\nreturn store.Ref{ID: %s, Label: %s(t)}\n}\nreturn nil",
			f.Edge.StructField(), idString(f.Edge.Type, "t"), nameCall(f.Edge.Type))
	}
	sf := "e." + f.Field.StructField()
	if f.Field.Nillable && f.Field.Type.RType == nil || f.Field.NillableValue() {
		return fmt.Sprintf("if %s == nil {\nreturn nil\n}\nreturn *%s", sf, sf)
	}
	return "return " + sf
}

// ValidateExpr is the field's Validate, or "nil".
func (f *adminField) ValidateExpr(t *gen.Type) string {
	if f.Field == nil || f.Field.Validators == 0 && !f.Field.IsEnum() {
		return "nil"
	}
	return fmt.Sprintf("func(v any) error { return %s.%s(v.(%s)) }", t.Package(), f.Field.Validator(), goType(f.Field))
}

// DefaultExpr is the field's Default, or "nil".
func (f *adminField) DefaultExpr(t *gen.Type) string {
	if f.Field == nil || !f.Field.Default {
		return "nil"
	}
	if f.Field.DefaultFunc() {
		return fmt.Sprintf("func() any { return %s.%s() }", t.Package(), f.Field.DefaultName())
	}
	return fmt.Sprintf("func() any { return %s.%s }", t.Package(), f.Field.DefaultName())
}

// OrderExpr is the field's Order, or "nil".
func (f *adminField) OrderExpr(t *gen.Type) string {
	if !f.orderable() {
		return "nil"
	}
	if f.Edge != nil {
		name, _ := f.Edge.OrderFieldName()
		return fmt.Sprintf("func(o ...sql.OrderTermOption) entadmin.Predicate { return %s.%s(%s.%s, o...) }",
			t.Package(), name, f.Edge.Type.Package(), f.Target.Display.Constant())
	}
	return fmt.Sprintf("func(o ...sql.OrderTermOption) entadmin.Predicate { return %s.%s(o...) }", t.Package(), f.Field.OrderName())
}

// ColumnExpr is the field's SQL column.
func (f *adminField) ColumnExpr(t *gen.Type) string {
	if f.many() {
		return "" // a join table, not a column
	}
	if f.Edge != nil {
		if ef := f.Edge.Field(); ef != nil {
			return t.Package() + "." + ef.Constant()
		}
		return t.Package() + "." + f.Edge.ColumnConstant()
	}
	return t.Package() + "." + f.Field.Constant()
}

// Kind is the field's entadmin.Kind.
func (f *adminField) Kind() string { return "entadmin." + f.kind() }

// Optional reports whether the field may be left empty.
func (f *adminField) Optional() bool {
	if f.Edge != nil {
		return f.Edge.Optional
	}
	return f.Field.Optional
}

// Immutable reports whether the field is set on add only.
func (f *adminField) Immutable() bool {
	if f.Edge != nil {
		return f.Edge.Immutable || f.Edge.Field() != nil && f.Edge.Field().Immutable
	}
	return f.Field.Immutable
}

// Unique reports whether the field's values are unique.
func (f *adminField) Unique() bool { return f.Field != nil && f.Field.Unique }

// MaxLen is the longest value of a string field, or 0.
func (f *adminField) MaxLen() int64 { return f.maxLen() }

// BoundsExpr is the field's Bounds as a Go literal, or "" when it has none.
func (f *adminField) BoundsExpr() string {
	b := f.Bounds
	if b == (bounds{}) {
		return ""
	}
	var parts []string
	if b.Min != "" {
		parts = append(parts, fmt.Sprintf("Min: %q", b.Min))
	}
	if b.Max != "" {
		parts = append(parts, fmt.Sprintf("Max: %q", b.Max))
	}
	if b.MinOpen {
		parts = append(parts, "MinOpen: true")
	}
	if b.MaxOpen {
		parts = append(parts, "MaxOpen: true")
	}
	return "entadmin.Bounds{" + strings.Join(parts, ", ") + "}"
}

// Enums are the enum values of the field.
func (f *adminField) Enums() []gen.Enum {
	if f.Field == nil {
		return nil
	}
	return f.Field.Enums
}

// TargetSlug is the slug of an edge's related resource, "" if it is not in
// the admin.
func (f *adminField) TargetSlug() string {
	if f.Target == nil || f.Target.Skip {
		return ""
	}
	return f.Target.Slug
}

// idString returns the expression formatting the id of entity v of type t.
func idString(t *gen.Type, v string) string {
	id := v + ".ID"
	switch t.ID.Type.Type {
	case field.TypeInt:
		return "strconv.Itoa(" + id + ")"
	case field.TypeInt64:
		return "strconv.FormatInt(" + id + ", 10)"
	case field.TypeString:
		if t.ID.Type.Ident == "" {
			return id
		}
	}
	return "fmt.Sprint(" + id + ")"
}

// IDString is the expression formatting the id of entity e.
func (r *resource) IDString() string { return idString(r.T, "e") }

// IDParser is the function parsing an id of the type from a URL.
func (r *resource) IDParser() string { return parser(r.T.ID) }

// DisplayFunc is the name of the generated function naming an entity.
func (r *resource) DisplayFunc() string { return displayFunc(r.T) }

func displayFunc(t *gen.Type) string { return "display" + t.Name }

// nameCall is the function naming an entity of type t inside a resource:
// the method of Resources that asks the type's resource, so that a Display
// function set at run time names it everywhere.
func nameCall(t *gen.Type) string { return "rs.name" + t.Name }

// DisplayBody is the body of the display function of e.
func (r *resource) DisplayBody() string {
	if r.Display != nil {
		return "return e." + r.Display.StructField()
	}
	return fmt.Sprintf("return %q + %s", r.T.Name+" ", idString(r.T, "e"))
}

// ChoicesQuery is the query listing the entities an edge can point at.
func (f *adminField) ChoicesQuery() string {
	t := f.Edge.Type
	q := fmt.Sprintf("c(ctx).%s.Query()", t.Name)
	if d := f.Target.Display; d != nil {
		return fmt.Sprintf("%s.Order(%s.%s(), %s.ByID())", q, t.Package(), d.OrderName(), t.Package())
	}
	return q + ".Order(" + t.Package() + ".ByID())"
}

// ClearBody is the body of an edge's Clear, or "" when it cannot be cleared.
func (f *adminField) ClearBody(t *gen.Type) string {
	if f.Edge == nil || !f.Edge.Optional || f.many() {
		return ""
	}
	return fmt.Sprintf("m.(*ent.%s).%s()", t.MutationName(), f.Edge.MutationClear())
}

// SetBody is the body of an edge's Set.
func (f *adminField) SetBody(t *gen.Type) string {
	return fmt.Sprintf("m.(*ent.%s).%s(v.(%s))", t.MutationName(), f.Edge.MutationSet(), goType(f.Edge.Type.ID))
}

// Label is the related rows' label.
func (r *related) Label() string { return capitalize(words(r.Edge.Name)) }

// Query is the query of the related rows of the entity with id v.
func (r *related) Query(t *gen.Type) string {
	return fmt.Sprintf("client.%s.Query().Where(%s.ID(v)).Query%s()", t.Name, t.Package(), pascal(r.Edge.Name))
}

// pascal is ent's own naming of Go identifiers ("sort_order" is SortOrder).
var pascal = gen.Funcs["pascal"].(func(string) string)
