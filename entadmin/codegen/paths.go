package codegen

import (
	"fmt"
	"slices"
	"strings"

	"entgo.io/ent/entc/gen"
	"entgo.io/ent/schema/field"
)

// pathColumn is a list column or filter that follows edges: "category.name"
// (a field of a related type), "product.category" (a related entity) or
// "tags" (the entities of a to-many edge).
type pathColumn struct {
	Name    string
	Label   string
	Edges   []*gen.Edge // followed from the resource's type
	Field   *gen.Field  // the field at the end; nil when the path ends on an edge
	Target  *resource   // the resource of the last edge's type
	byType  map[*gen.Type]*resource
	resType *gen.Type
}

// resolvePath resolves a dotted path from t; why says what is wrong.
func resolvePath(t *gen.Type, name string, byType map[*gen.Type]*resource) (pc *pathColumn, why string) {
	segs := strings.Split(name, ".")
	pc = &pathColumn{Name: name, byType: byType, resType: t}
	cur := t
	for i, seg := range segs {
		last := i == len(segs)-1
		if last && len(pc.Edges) > 0 {
			if f := fieldOf(cur, seg); f != nil {
				if f.Sensitive() {
					return nil, fmt.Sprintf("field %q of %s is sensitive", seg, cur.Name)
				}
				pc.Field = f
				break
			}
		}
		e := edgeOf(cur, seg)
		if e == nil {
			if len(pc.Edges) == 0 {
				return nil, "" // not a path: the caller reports an unknown name
			}
			return nil, fmt.Sprintf("%s has no field or edge %q", cur.Name, seg)
		}
		if !e.Unique && !last {
			return nil, fmt.Sprintf("edge %q of %s leads to many entities, so only the last step of a path may follow it (e.g. %q)", seg, cur.Name, strings.Join(segs[:i+1], "."))
		}
		pc.Edges = append(pc.Edges, e)
		cur = e.Type
	}
	last := pc.Edges[len(pc.Edges)-1]
	pc.Target = byType[last.Type]
	labels := make([]string, 0, len(segs))
	for _, s := range segs {
		labels = append(labels, words(s))
	}
	pc.Label = capitalize(strings.Join(labels, " "))
	return pc, ""
}

func fieldOf(t *gen.Type, name string) *gen.Field {
	if t.ID != nil && t.ID.Name == name {
		return t.ID
	}
	for _, f := range t.Fields {
		if f.Name == name {
			return f
		}
	}
	return nil
}

func edgeOf(t *gen.Type, name string) *gen.Edge {
	for _, e := range t.Edges {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// endType is the type the path's last edge leads to.
func (pc *pathColumn) endType() *gen.Type { return pc.Edges[len(pc.Edges)-1].Type }

// Kind is the column's entadmin.Kind.
func (pc *pathColumn) Kind() string {
	if pc.Field == nil {
		return "entadmin.KindEdge"
	}
	return (&adminField{Field: pc.Field}).Kind()
}

// Enums are the enum values of the field at the end.
func (pc *pathColumn) Enums() []gen.Enum {
	if pc.Field == nil {
		return nil
	}
	return pc.Field.Enums
}

// ColumnExpr is the column filters compare, in the table at the end.
func (pc *pathColumn) ColumnExpr() string {
	if pc.Field == nil {
		return pc.endType().Package() + ".FieldID"
	}
	return pc.endType().Package() + "." + pc.Field.Constant()
}

// DecodeExpr parses a filter value.
func (pc *pathColumn) DecodeExpr() string {
	f := pc.Field
	if f == nil {
		f = pc.endType().ID
	}
	if p := parser(f); p != "" {
		return fmt.Sprintf("store.Decoder(%s)", p)
	}
	return "nil"
}

// ThroughBody turns a predicate p on the end table into one on the
// resource's table: nested Has<Edge>With calls.
func (pc *pathColumn) ThroughBody() string {
	expr := "p"
	for i := len(pc.Edges) - 1; i >= 0; i-- {
		from := pc.resType
		if i > 0 {
			from = pc.Edges[i-1].Type
		}
		expr = fmt.Sprintf("%s.Has%sWith(%s)", from.Package(), pascal(pc.Edges[i].Name), expr)
	}
	return "return " + expr
}

// OrderExpr sorts by the path's field: through unique edges only. One edge
// away ent orders by the neighbour's column; further, store.OrderByPath
// orders by a scalar subquery along the path. "nil" when it cannot sort.
func (pc *pathColumn) OrderExpr() string {
	col := ""
	switch {
	case pc.Field != nil && pc.Field.Type.Type != field.TypeJSON:
		col = pc.endType().Package() + "." + pc.Field.Constant()
	case pc.Field == nil && pc.Target != nil && pc.Target.Display != nil:
		col = pc.endType().Package() + "." + pc.Target.Display.Constant()
	default:
		return "nil"
	}
	for _, e := range pc.Edges {
		if !e.Unique || e.Through != nil {
			return "nil"
		}
	}
	if e := pc.Edges[0]; len(pc.Edges) == 1 {
		name, _ := e.OrderFieldName()
		return fmt.Sprintf("func(o ...sql.OrderTermOption) entadmin.Predicate { return %s.%s(%s, o...) }", pc.resType.Package(), name, col)
	}
	steps := make([]string, len(pc.Edges))
	from := pc.resType
	for i, e := range pc.Edges {
		to := e.Type
		fk := from.Package() + "." + e.ColumnConstant()
		if e.OwnFK() {
			steps[i] = fmt.Sprintf("{Table: %s.Table, From: %s, To: %s.%s}", to.Package(), fk, to.Package(), to.ID.Constant())
		} else {
			steps[i] = fmt.Sprintf("{Table: %s.Table, From: %s.%s, To: %s}", to.Package(), from.Package(), from.ID.Constant(), fk)
		}
		from = to
	}
	return fmt.Sprintf("func(o ...sql.OrderTermOption) entadmin.Predicate { return store.OrderByPath([]store.PathStep{%s}, %s, o...) }", strings.Join(steps, ", "), col)
}

// GetBody reads the value at the end of the path from e, through the
// eagerly loaded edges.
func (pc *pathColumn) GetBody() string {
	var b strings.Builder
	v := "e"
	for i, e := range pc.Edges {
		next := fmt.Sprintf("e%d", i+1)
		if i == len(pc.Edges)-1 && !e.Unique {
			fmt.Fprintf(&b, "refs := make([]store.Ref, len(%s.Edges.%s))\n", v, e.StructField())
			fmt.Fprintf(&b, "for i, t := range %s.Edges.%s {\nrefs[i] = store.Ref{ID: %s, Label: %s(t)}\n}\nreturn refs\n", v, e.StructField(), idString(e.Type, "t"), displayFunc(e.Type))
			b.WriteString(strings.Repeat("}\n", i))
			if i > 0 {
				b.WriteString("return nil")
			}
			return strings.TrimSuffix(b.String(), "\n")
		}
		fmt.Fprintf(&b, "if %s := %s.Edges.%s; %s != nil {\n", next, v, e.StructField(), next)
		v = next
	}
	if pc.Field != nil {
		sf := v + "." + pc.Field.StructField()
		if pc.Field.Nillable && pc.Field.Type.RType == nil || pc.Field.NillableValue() {
			fmt.Fprintf(&b, "if %s != nil {\nreturn *%s\n}\n", sf, sf)
		} else {
			fmt.Fprintf(&b, "return %s\n", sf)
		}
	} else {
		fmt.Fprintf(&b, "return store.Ref{ID: %s, Label: %s(%s)}\n", idString(pc.endType(), v), displayFunc(pc.endType()), v)
	}
	b.WriteString(strings.Repeat("}\n", len(pc.Edges)))
	b.WriteString("return nil")
	return b.String()
}

// ChoicesBody lists what a filter on the path offers: the distinct values
// of a string field, or the entities at the end; "" when the filter's
// choices need no query (bool, enum, time).
func (pc *pathColumn) ChoicesBody() string {
	t := pc.endType()
	if pc.Field == nil {
		q := fmt.Sprintf("c(ctx).%s.Query()", t.Name)
		if pc.Target != nil && pc.Target.Display != nil {
			d := pc.Target.Display
			q = fmt.Sprintf("%s.Order(%s.%s(), %s.ByID())", q, t.Package(), d.OrderName(), t.Package())
		}
		return fmt.Sprintf(`items, err := %s.Limit(limit).All(ctx)
if err != nil {
	return nil, err
}
choices := make([]entadmin.Choice, len(items))
for i, t := range items {
	choices[i] = entadmin.Choice{Value: %s, Label: %s(t)}
}
return choices, nil`, q, idString(t, "t"), displayFunc(t))
	}
	if k := pc.Kind(); k != "entadmin.KindString" && k != "entadmin.KindText" {
		return ""
	}
	col := t.Package() + "." + pc.Field.Constant()
	return fmt.Sprintf(`values, err := c(ctx).%s.Query().Where(sql.FieldNotNull(%s)).Unique(true).Order(sql.OrderByField(%s).ToFunc()).Limit(limit).Select(%s).Strings(ctx)
if err != nil {
	return nil, err
}
choices := make([]entadmin.Choice, len(values))
for i, v := range values {
	choices[i] = entadmin.Choice{Value: v, Label: v}
}
return choices, nil`, t.Name, col, col, col)
}

// filterable reports whether the list's sidebar can filter on the path.
func (pc *pathColumn) filterable() bool {
	if pc.Field == nil {
		return true
	}
	return (&adminField{Field: pc.Field}).filterable()
}

// eagerNode is one edge of the tree of eager loads a list page makes.
type eagerNode struct {
	Edge     *gen.Edge
	Children []*eagerNode
}

// addEager adds a chain of edges to the tree.
func addEager(tree *[]*eagerNode, edges []*gen.Edge) {
	if len(edges) == 0 {
		return
	}
	i := slices.IndexFunc(*tree, func(n *eagerNode) bool { return n.Edge == edges[0] })
	if i < 0 {
		*tree = append(*tree, &eagerNode{Edge: edges[0]})
		i = len(*tree) - 1
	}
	addEager(&(*tree)[i].Children, edges[1:])
}

// EagerChain is the With calls of the list's query, each followed by a
// dot: one query per edge of the tree, whatever the page size, but for
// the edges joined into the rows' statement (see joinable). To-many
// edges are ordered by their display field, so that the first names shown
// are stable.
func (r *resource) EagerChain() string {
	var b strings.Builder
	var nodes []*eagerNode
	for _, n := range r.EagerTree {
		if !r.joinable(n) {
			nodes = append(nodes, n)
		}
	}
	for _, c := range r.eagerCalls(nodes) {
		b.WriteString(c + ".\n")
	}
	return b.String()
}

// eagerCalls returns the With calls of the nodes.
func (r *resource) eagerCalls(nodes []*eagerNode) []string {
	var calls []string
	for _, n := range nodes {
		t := n.Edge.Type
		var inner []string
		if !n.Edge.Unique {
			if tr := r.byType[t]; tr != nil && tr.Display != nil {
				inner = append(inner, fmt.Sprintf("q.Order(%s.%s(), %s.ByID())", t.Package(), tr.Display.OrderName(), t.Package()))
			} else {
				inner = append(inner, fmt.Sprintf("q.Order(%s.ByID())", t.Package()))
			}
		}
		for _, c := range r.eagerCalls(n.Children) {
			inner = append(inner, "q."+c)
		}
		if len(inner) == 0 {
			calls = append(calls, fmt.Sprintf("With%s()", pascal(n.Edge.Name)))
			continue
		}
		calls = append(calls, fmt.Sprintf("With%s(func(q *ent.%s) {\n%s\n})", pascal(n.Edge.Name), t.QueryName(), strings.Join(inner, "\n")))
	}
	return calls
}
