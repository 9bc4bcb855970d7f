package codegen

import (
	"fmt"
	"reflect"
	"strings"

	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"
)

// joinable reports whether the list loads the edge of a node of its eager
// tree in the rows' statement on PostgreSQL (store.Join): a unique edge
// whose foreign key is in the list's table, or a many-to-many edge to
// another type, with nothing loaded below it, to a type without a privacy policy or interceptors in its
// schema (a JOIN would skip them), whose id and fields all read back from
// JSON as ent's struct tags name them.
func (r *resource) joinable(n *eagerNode) bool {
	e, t := n.Edge, n.Edge.Type
	if len(n.Children) > 0 || t.NumPolicy() > 0 || t.NumInterceptors() > 0 || !t.HasOneFieldID() {
		return false
	}
	// A many-to-many edge comes as a JSON array from a subquery per row,
	// which must not name the list's own table.
	if !(e.Unique && e.OwnFK() || e.M2M() && t != r.T) {
		return false
	}
	if !jsonSafe(t.ID) {
		return false
	}
	for _, f := range t.Fields {
		if !f.Sensitive() && !jsonSafe(f) {
			return false
		}
	}
	return true
}

// jsonSafe reports whether PostgreSQL's JSON of the field's column decodes
// into the field's Go type.
func jsonSafe(f *gen.Field) bool {
	if f.HasGoType() || len(f.Column().SchemaType) > 0 || jsonKey(f) == "" {
		return false
	}
	switch f.Type.Type {
	case field.TypeBool, field.TypeTime, field.TypeString, field.TypeEnum,
		field.TypeInt, field.TypeInt8, field.TypeInt16, field.TypeInt32, field.TypeInt64,
		field.TypeUint, field.TypeUint8, field.TypeUint16, field.TypeUint32, field.TypeUint64,
		field.TypeFloat32, field.TypeFloat64:
		return true
	}
	return false
}

// jsonKey is the JSON name of a field in its ent struct tag, "" for none.
func jsonKey(f *gen.Field) string {
	tag := f.StructTag
	if tag == "" {
		tag = `json:"` + f.Name + `,omitempty"`
	}
	name, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ",")
	if name == "-" {
		return ""
	}
	return name
}

// joins returns the nodes of the eager tree loaded with a JOIN.
func (r *resource) joins() []*eagerNode {
	var out []*eagerNode
	for _, n := range r.EagerTree {
		if r.joinable(n) {
			out = append(out, n)
		}
	}
	return out
}

// HasJoins reports whether the list joins some of its edges.
func (r *resource) HasJoins() bool { return len(r.joins()) > 0 }

// JoinSpecs is the store.Join literals of the joined edges, each
// followed by a comma.
func (r *resource) JoinSpecs() string {
	var b strings.Builder
	pkg := r.T.Package()
	for _, n := range r.joins() {
		e, t := n.Edge, n.Edge.Type
		fk := pkg + "." + pascal(e.Name) + "Column"
		if ef := e.Field(); ef != nil {
			fk = pkg + "." + ef.Constant()
		}
		keys := []string{fmt.Sprintf("%q", jsonKey(t.ID))}
		cols := []string{t.Package() + ".FieldID"}
		for _, f := range t.Fields {
			if !f.Sensitive() {
				keys = append(keys, fmt.Sprintf("%q", jsonKey(f)))
				cols = append(cols, t.Package()+"."+f.Constant())
			}
		}
		fmt.Fprintf(&b, "store.Join{\nTable: %s.Table,\nID: %s.FieldID,\nAs: %q,\nKeys: []string{%s},\nColumns: []string{%s},\n",
			t.Package(), t.Package(), joinAlias(e), strings.Join(keys, ", "), strings.Join(cols, ", "))
		if e.M2M() {
			own, target := 0, 1
			if e.IsInverse() {
				own, target = 1, 0
			}
			order := []string{t.Package() + ".FieldID"}
			if tr := r.byType[t]; tr != nil && tr.Display != nil {
				order = append([]string{t.Package() + "." + tr.Display.Constant()}, order...)
			}
			keys := pkg + "." + pascal(e.Name) + "PrimaryKey"
			fmt.Fprintf(&b, "Many: true,\nOwnerID: %s.FieldID,\nThrough: %s.%sTable,\nThroughOwner: %s[%d],\nThroughTarget: %s[%d],\nOrder: []string{%s},\n",
				pkg, pkg, pascal(e.Name), keys, own, keys, target, strings.Join(order, ", "))
		} else {
			fmt.Fprintf(&b, "FK: %s,\n", fk)
		}
		if tr := r.byType[t]; tr != nil && !tr.Skip {
			fmt.Fprintf(&b, "Scope: func(ctx context.Context) (entadmin.Predicate, error) { return rs.%s.RowScope(ctx) },\n", t.Name)
		}
		b.WriteString("},\n")
	}
	return b.String()
}

// loadsMany reports whether a joined edge is read with store.LoadMany
// where store.JoinEdges does not join: a many-to-many edge from a type
// whose id is of a Go basic type, whose fields all take NULL or are never
// NULL.
func (r *resource) loadsMany(n *eagerNode) bool {
	if !n.Edge.M2M() || r.T.ID.HasGoType() || r.T.ID.Type.PkgPath != "" {
		return false
	}
	for _, f := range n.Edge.Type.Fields {
		if !f.Sensitive() && f.Optional && !f.Nillable {
			return false
		}
	}
	return true
}

// JoinFallback is the With calls of the joined edges store.LoadMany does
// not read, for databases where store.JoinEdges does not join: ent's eager
// loading; "" for none.
func (r *resource) JoinFallback() string {
	var nodes []*eagerNode
	for _, n := range r.joins() {
		if !r.loadsMany(n) {
			nodes = append(nodes, n)
		}
	}
	return strings.Join(r.eagerCalls(nodes), ".\n")
}

// JoinLoadMany is the statements that read the joined edges of the list's
// items with store.LoadMany, for databases where store.JoinEdges does not
// join; "" for none.
func (r *resource) JoinLoadMany() string {
	var b strings.Builder
	for i, n := range r.joins() {
		if !r.loadsMany(n) {
			continue
		}
		e, t := n.Edge, n.Edge.Type
		if b.Len() == 0 {
			fmt.Fprintf(&b, "owners := make([]%s, len(items))\nfor i, e := range items {\nowners[i] = e.ID\n}\n", r.T.ID.Type)
		}
		dest := []string{"&t.ID"}
		for _, f := range t.Fields {
			if !f.Sensitive() {
				dest = append(dest, "&t."+f.StructField())
			}
		}
		fmt.Fprintf(&b, "byOwner%d, err := store.LoadMany(ctx, c(ctx).AdminDriver(), joins[%d], owners, func(t *ent.%s, d []any) []any {\nreturn append(d, %s)\n})\n",
			i, i, t.Name, strings.Join(dest, ", "))
		fmt.Fprintf(&b, "if err != nil {\nreturn nil, err\n}\nfor i, e := range items {\ne.Edges.%s = byOwner%d[i]\n}\n", e.StructField(), i)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// JoinDecode is the cases of a switch on the name of a column the rows'
// statement selected that set the joined edge of entity e from its JSON v.
func (r *resource) JoinDecode() string {
	var b strings.Builder
	for _, n := range r.joins() {
		e := n.Edge
		decode := "Joined"
		if e.M2M() {
			decode = "JoinedAll"
		}
		fmt.Fprintf(&b, "case %q:\ne.Edges.%s, err = store.%s[ent.%s](v)\n", joinAlias(e), e.StructField(), decode, e.Type.Name)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// joinAlias names the JSON column and the joined table of an edge.
func joinAlias(e *gen.Edge) string { return "entadmin_" + e.Name }
