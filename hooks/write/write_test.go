package write_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	entgo "entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/hooks/write"
	"github.com/entadmin/entadmin/internal/fixture/ent"
)

type adminKey struct{}

// config returns a Config whose functions log what they are called with;
// rows are the affected rows, version their current version, expected the
// version the write expects ("" for none). Post-action hooks wait for
// commit, which runs them.
func config(log *[]string, rows []*ent.Product, version, expected string, commit *func()) *write.Config[*ent.Product] {
	return &write.Config[*ent.Product]{
		Hooks: &write.Hooks[*ent.Product]{},
		Admin: func(ctx context.Context) bool { return ctx.Value(adminKey{}) != nil },
		ID:    func(p *ent.Product) string { return fmt.Sprint(p.ID) },
		Affected: func(_ context.Context, _ entgo.Mutation, where ...func(*sql.Selector)) ([]*ent.Product, error) {
			*log = append(*log, fmt.Sprintf("affected locked=%v", len(where) == 1))
			return rows, nil
		},
		Expected: func(context.Context, entgo.Mutation) (string, bool) { return expected, expected != "" },
		Version:  func(context.Context, *ent.Product) string { return version },
		Conflict: func(p *ent.Product, current string) error { return fmt.Errorf("conflict %d at %s", p.ID, current) },
		Lock:     func(*sql.Selector) {},
		Audited:  func() bool { return true },
		Record: func(_ context.Context, _ entgo.Mutation, saved *ent.Product, rows []*ent.Product) error {
			*log = append(*log, fmt.Sprintf("record saved=%v rows=%d", saved != nil, len(rows)))
			return nil
		},
		Written: func(context.Context, entgo.Mutation) { *log = append(*log, "written") },
		AfterCommit: func(_ entgo.Mutation, fn func()) bool {
			*commit = fn
			return true
		},
		Failed: func(_ context.Context, err error) { *log = append(*log, "failed: "+err.Error()) },
	}
}

func TestTheWriteHookRunsItsStepsInOrder(t *testing.T) {
	t.Parallel()
	client := ent.NewClient() // builds mutations only, never runs them
	tea := &ent.Product{ID: 1, Name: "Tea"}
	admin := context.WithValue(context.Background(), adminKey{}, true)
	tests := []struct {
		name     string
		ctx      context.Context
		m        entgo.Mutation
		expected string
		want     []string
		err      string
	}{{
		name:     "An admin change at the expected version locks the row, runs the save hook, records and runs the post-action hook after the commit",
		ctx:      admin,
		m:        client.Product.UpdateOne(tea).SetName("Green tea").Mutation(),
		expected: "v1",
		want:     []string{"affected locked=true", "save old=1", "mutate", "written", "record saved=true rows=1", "commit", "changed 1", "failed: mail down"},
	}, {
		name:     "A change of a stale version is refused before anything runs",
		ctx:      admin,
		m:        client.Product.UpdateOne(tea).SetName("Green tea").Mutation(),
		expected: "v0",
		want:     []string{"affected locked=true"},
		err:      "conflict 1 at v1",
	}, {
		name: "A write outside an admin request is recorded without the admin's hooks",
		ctx:  context.Background(),
		m:    client.Product.UpdateOne(tea).SetName("Green tea").Mutation(),
		want: []string{"affected locked=false", "mutate", "written", "record saved=true rows=1", "commit"},
	}, {
		name: "An admin add runs the save hook without an old row",
		ctx:  admin,
		m:    client.Product.Create().SetName("Tea").Mutation(),
		want: []string{"save old=0", "mutate", "written", "record saved=true rows=0", "commit"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var log []string
			commit := func() {}
			c := config(&log, []*ent.Product{tea}, "v1", tt.expected, &commit)
			c.Hooks.Save = append(c.Hooks.Save, func(_ context.Context, _ entgo.Mutation, old *ent.Product) error {
				id := 0
				if old != nil {
					id = old.ID
				}
				log = append(log, fmt.Sprintf("save old=%d", id))
				return nil
			})
			c.Hooks.Changed = append(c.Hooks.Changed, func(_ context.Context, p *ent.Product) error {
				log = append(log, fmt.Sprintf("changed %d", p.ID))
				return errors.New("mail down")
			})
			next := entgo.MutateFunc(func(context.Context, entgo.Mutation) (entgo.Value, error) {
				log = append(log, "mutate")
				return tea, nil
			})
			_, err := write.Hook(c)(next).Mutate(tt.ctx, tt.m)
			if got := fmt.Sprint(err); err != nil && got != tt.err || err == nil && tt.err != "" {
				t.Fatalf("err = %v, want %q", err, tt.err)
			}
			if err == nil {
				log = append(log, "commit")
				commit()
			}
			if !slices.Equal(log, tt.want) {
				t.Errorf("steps:\n%q\nwant:\n%q", log, tt.want)
			}
		})
	}
}
