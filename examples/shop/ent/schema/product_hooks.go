package schema

import (
	"context"

	"entgo.io/ent"

	"github.com/entadmin/entadmin/entadmin"
)

// Hooks of the Product: rules that hold for every write, from the admin or
// from the application's own code.
func (Product) Hooks() []ent.Hook {
	return []ent.Hook{PriceCoversCost}
}

// PriceCoversCost refuses a product whose price is below its cost price.
// It is an ent hook on the schema, so it applies to every code path; the
// admin shows its entadmin.FieldError beside the price, with the user's
// values kept. It reads the generic ent.Mutation, because a schema must not
// import the code generated from it.
func PriceCoversCost(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		if !m.Op().Is(ent.OpCreate | ent.OpUpdateOne | ent.OpUpdate) {
			return next.Mutate(ctx, m)
		}
		price, priceSet := m.Field("price")
		cost, costSet := m.Field("cost_price")
		if !priceSet && !costSet {
			return next.Mutate(ctx, m)
		}
		if m.Op().Is(ent.OpUpdateOne) { // the value not being changed is the stored one
			var err error
			if !priceSet {
				price, err = m.OldField(ctx, "price")
			} else if !costSet && !clears(m, "cost_price") {
				if cost, err = m.OldField(ctx, "cost_price"); err == nil {
					cost = deref(cost)
				}
			}
			if err != nil {
				return nil, err
			}
		}
		p, pok := price.(float64)
		c, cok := cost.(float64)
		if pok && cok && p < c {
			// The message names no value: the cost price may be hidden from
			// the user.
			return nil, &entadmin.FieldError{Field: "price", Message: "The price must not be below the cost price."}
		}
		return next.Mutate(ctx, m)
	})
}

func clears(m ent.Mutation, name string) bool {
	for _, f := range m.ClearedFields() {
		if f == name {
			return true
		}
	}
	return false
}

// deref returns the value of a nillable field's old value.
func deref(v any) any {
	if p, ok := v.(*float64); ok {
		if p == nil {
			return nil
		}
		return *p
	}
	return v
}
