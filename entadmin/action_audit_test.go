package entadmin_test

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/entadmin/entadmin/entadmin"
)

// memoryLog is an audit log in memory. It ignores the exec that would tie
// an entry to its write's transaction, so tests check committed requests
// only.
type memoryLog struct {
	mu      sync.Mutex
	entries []entadmin.AuditEntry
}

func (l *memoryLog) Record(_ context.Context, e *entadmin.AuditEntry, _ entadmin.ExecFunc) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, *e)
	return nil
}

func (l *memoryLog) Entries(context.Context, entadmin.AuditFilter) ([]entadmin.AuditEntry, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries), nil
}

// take returns the entries recorded since the last take, as
// "action resource/id" plus the changed fields of changes.
func (l *memoryLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.entries {
		s := e.Action + " " + e.Resource + "/" + e.ObjectID
		if e.Action == entadmin.AuditChange {
			var fields []string
			for f := range e.Changes {
				fields = append(fields, f)
			}
			slices.Sort(fields)
			s += " " + strconv.Quote(strings.Join(fields, ","))
		}
		out = append(out, s)
	}
	l.entries = nil
	slices.Sort(out)
	return out
}

func TestBulkWritesGoThroughTheAuditHookPerRow(t *testing.T) {
	t.Parallel()
	log := &memoryLog{}
	s := newShop(t, dialect.Postgres, "/admin", entadmin.WithAuditLog(log))
	addActivate(s)
	f := s.seed(4)
	a, b, c := f.products[0], f.products[1], f.products[3]
	id := func(n int) string { return strconv.Itoa(n) }
	log.take()

	form := listForm(s.get("/product/"))
	form.Set(cell(a.ID, "price"), "11")
	form.Set(cell(b.ID, "stock_count"), "12")
	if p := s.post("/product/list-save/", form); p.status != 303 {
		t.Fatalf("list-save: status %d", p.status)
	}
	if got, want := log.take(), []string{"change product/" + id(a.ID) + ` "price"`, "change product/" + id(b.ID) + ` "stock_count"`}; !slices.Equal(got, want) {
		t.Errorf("list-save audit entries %q, want %q", got, want)
	}

	if p := s.post("/product/", selected("activate", a.ID, c.ID)); p.status != 303 {
		t.Fatalf("action: status %d", p.status)
	}
	// a and c are inactive (i%3 == 0): both change; one event for the run.
	if got, want := log.take(), []string{"action:activate product/", "change product/" + id(a.ID) + ` "is_active"`, "change product/" + id(c.ID) + ` "is_active"`}; !slices.Equal(got, want) {
		t.Errorf("action audit entries %q, want %q", got, want)
	}

	form = selected("delete_selected", a.ID, b.ID)
	form.Set("_confirm", "yes")
	if p := s.post("/product/", form); p.status != 303 {
		t.Fatalf("delete: status %d", p.status)
	}
	if got, want := log.take(), []string{"delete product/" + id(a.ID), "delete product/" + id(b.ID)}; !slices.Equal(got, want) {
		t.Errorf("delete selected audit entries %q, want one per row %q", got, want)
	}
}
