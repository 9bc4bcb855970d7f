package store

import (
	"fmt"

	"entgo.io/ent/dialect/sql"
)

// PathStep is one unique edge of a path a list sorts by: it leads from a
// row of the previous table (the list's own, first) to the row of Table
// whose column To equals the previous row's column From.
type PathStep struct {
	Table    string
	From, To string
}

// OrderByPath orders a list by the column of the row its rows reach along
// steps (e.g. product.category.name from the images list), with a scalar
// subquery that joins the path's tables; rows the path does not reach sort
// as NULL. The generated code uses it for paths more than one edge deep.
func OrderByPath(steps []PathStep, column string, o ...sql.OrderTermOption) func(*sql.Selector) {
	return func(s *sql.Selector) {
		b := sql.Dialect(s.Dialect())
		tables := make([]*sql.SelectTable, len(steps))
		for i, st := range steps {
			tables[i] = b.Table(st.Table).As(fmt.Sprintf("path%d", i))
		}
		last := tables[len(tables)-1]
		sub := b.Select(last.C(column)).From(tables[0])
		for i := 1; i < len(steps); i++ {
			sub.Join(tables[i]).On(tables[i-1].C(steps[i].From), tables[i].C(steps[i].To))
		}
		sub.Where(sql.ColumnsEQ(s.C(steps[0].From), tables[0].C(steps[0].To)))
		opts := sql.NewOrderTermOptions(o...)
		s.OrderExprFunc(func(b *sql.Builder) {
			b.Wrap(func(b *sql.Builder) { b.Join(sub) })
			if opts.Desc {
				b.WriteString(" DESC")
			}
			switch {
			case opts.NullsFirst:
				b.WriteString(" NULLS FIRST")
			case opts.NullsLast:
				b.WriteString(" NULLS LAST")
			}
		})
	}
}
