package codegen

import "entgo.io/ent/entc/gen"

// adminAllTemplate adds AdminAll to every query builder of the generated
// ent package: All, through the same interceptors, with the statement's
// columns that the entity does not have (the edges store.Join selects)
// handed to a function with their row's node, read by store.ExtraColumns,
// which also reuses the destinations of the rows where it can.
var adminAllTemplate = gen.MustParse(gen.NewTemplate("entadmin-adminall").Parse(`
{{ define "dialect/sql/query/additional/entadmin" }}
{{ $builder := $.QueryName }}
{{ $receiver := $.QueryReceiver }}
// AdminAll is All for entadmin's lists: the columns of the statement that
// {{ $.Name }} does not have, such as the edges entadmin's predicates join, are
// given to extra with their row's node once the nodes are read, as their
// bytes (nil for NULL), rather than kept among the nodes' selected values;
// a nil extra drops them. Each row is scanned into the same destinations
// where ent's allow it.
func ({{ $receiver }} *{{ $builder }}) AdminAll(ctx context.Context, extra func(node *{{ $.Name }}, column string, value []byte) error) ([]*{{ $.Name }}, error) {
	ctx = setContextOp(ctx, {{ $receiver }}.ctx, ent.OpQueryAll)
	if err := {{ $receiver }}.prepareQuery(ctx); err != nil {
		return nil, err
	}
	qr := QuerierFunc(func(ctx context.Context, q Query) (Value, error) {
		query, ok := q.(*{{ $builder }})
		if !ok {
			return nil, fmt.Errorf("unexpected query type %T", q)
		}
		var cols store.ExtraColumns
		nodes, err := query.sqlAll(ctx, func(_ context.Context, spec *sqlgraph.QuerySpec) {
			store.QualifyColumns(query.driver.Dialect(), spec)
			cols.Hook(spec)
		})
		if err != nil || extra == nil {
			return nodes, err
		}
		return nodes, cols.Each(func(row int, column string, value []byte) error {
			return extra(nodes[row], column, value)
		})
	})
	return withInterceptors[[]*{{ $.Name }}](ctx, {{ $receiver }}, qr, {{ $receiver }}.inters)
}
{{ end }}

{{ define "import/additional/entadmin-store" }}
{{- if not (hasField $ "Nodes") }}
	"github.com/entadmin/entadmin/entadmin/store"
{{- end }}
{{ end }}
`))
