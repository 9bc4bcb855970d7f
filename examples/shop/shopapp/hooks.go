package shopapp

import (
	"context"
	"log/slog"
	"strings"
	"unicode"

	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/examples/shop/ent"
	"github.com/entadmin/entadmin/examples/shop/ent/adminres"
)

// addHooks adds the example's admin hooks. The rule that a price covers
// the cost price is not here: it must hold for every write, so it is an ent
// hook on the Product schema (ent/schema/product_hooks.go).
func addHooks(res *adminres.Resources) {
	// A save hook: typed, inside the save's transaction, admin-only.
	entadmin.OnSave(res.Category, fillSlug)
	// Post-action hooks: after the commit and the audit entry.
	entadmin.AfterAdd(res.Product, func(ctx context.Context, p *ent.Product) error {
		return notify(ctx, "added", p)
	})
	entadmin.AfterChange(res.Product, func(ctx context.Context, p *ent.Product) error {
		return notify(ctx, "changed", p)
	})
}

// fillSlug makes a category's slug from its name when it is left empty.
func fillSlug(_ context.Context, m *ent.CategoryMutation, old *ent.Category) error {
	if slug, ok := m.Slug(); ok && slug != "" {
		return nil
	}
	if _, set := m.Slug(); !set && !m.SlugCleared() && old != nil && old.Slug != "" {
		return nil // not changed
	}
	name, ok := m.Name()
	if !ok && old != nil {
		name = old.Name
	}
	slug := slugify(name)
	if slug == "" {
		return &entadmin.FieldError{Field: "slug", Message: "Enter a slug, or a name with letters or digits to make one from."}
	}
	m.ResetSlug()
	m.SetSlug(slug)
	return nil
}

// slugify turns "Garden & Outdoor" into "garden-outdoor".
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > 100 {
		out = strings.TrimRight(out[:100], "-")
	}
	return out
}

// notify stands for telling someone about a product, e.g. by mail: it
// logs. It runs after the commit, so it never announces a rolled-back save.
func notify(ctx context.Context, what string, p *ent.Product) error {
	slog.InfoContext(ctx, "shop: notify: product "+what, "id", p.ID, "name", p.Name, "price", p.Price, "by", entadmin.Actor(ctx))
	return nil
}
