package entadmin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"entgo.io/ent"

	"github.com/entadmin/entadmin/hooks/auditdiff"
)

// The actions the audit log records for writes; events recorded with Record
// use their own names, e.g. "export" or "action:publish".
const (
	AuditAdd    = "add"
	AuditChange = "change"
	AuditDelete = "delete"
)

// AuditEntry is one record of the audit log: a write (add, change, delete)
// or an admin event (a login, an export, a bulk action run).
type AuditEntry struct {
	ID         int
	At         time.Time
	Action     string
	Resource   string // the resource's slug
	ObjectID   string
	ObjectRepr string // the object's display name
	UserName   string // the admin user, or "system" and a label (see AsSystem)
	IP         string // the client address of the admin request
	Message    string // what an event did, e.g. "1,200 rows as CSV"
	// Changes holds per changed field its old and new values: for an add
	// only the new ones, for a delete the last state.
	Changes map[string]Change
}

// Change is the change of one field, or of one edge, in the audit log
// (see package auditdiff, which computes it).
type Change = auditdiff.Change

// AuditFilter selects audit entries. Zero fields match everything.
type AuditFilter struct {
	Resources []string // slugs
	ObjectID  string
	UserName  string
	Action    string
	Since     time.Time // entries at or after
	Limit     int       // at most this many (the log's default when 0)
}

// ExecFunc runs one SQL statement, inside the transaction of the write
// being recorded.
type ExecFunc func(ctx context.Context, query string, args ...any) error

// AuditLog stores the audit log. entadmin computes the entries; the log
// stores and reads them. The runtime keeps no knowledge of the storage, so
// that it does not depend on entadmin's own ent models: the application
// wires an implementation (package audit) with WithAuditLog.
type AuditLog interface {
	// Record stores e. For a write, exec runs a statement in the write's
	// own transaction, so that the entry commits or rolls back with it;
	// for an event exec is nil and the log writes on its own.
	Record(ctx context.Context, e *AuditEntry, exec ExecFunc) error
	// Entries returns the entries matching f, newest first.
	Entries(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
}

// WithAuditLog makes the site record every add, change and delete of its
// resources (and the events given to Record) in l.
func WithAuditLog(l AuditLog) Option { return func(s *Site) { s.audit = l } }

// ErrNoAuditLog is returned by Record when the site has no audit log.
var ErrNoAuditLog = errors.New("entadmin: the site has no audit log (see WithAuditLog)")

// Record records an admin event that is not a write, such as an export
// (Action "export", Resource the slug, Message what and how many rows) or
// the run of a bulk action (Action "action:<name>", one entry per run or
// per row). The user, the client address and the time are taken from ctx
// and the clock. It needs a context from an admin request (or one made
// with AsSystem) on a site with an audit log.
func Record(ctx context.Context, e AuditEntry) error {
	s, _ := ctx.Value(siteKey{}).(*Site)
	if s == nil {
		return errors.New("entadmin: Record needs the context of an admin request")
	}
	return s.Record(ctx, e)
}

// Record records an admin event that is not a write; see the function
// Record.
func (s *Site) Record(ctx context.Context, e AuditEntry) error {
	if s.audit == nil {
		return ErrNoAuditLog
	}
	s.stamp(ctx, &e)
	// The entry is the site's bookkeeping, not a write of the user's.
	return s.audit.Record(Unscoped(ctx), &e, nil)
}

// stamp fills in who, when and from where.
func (s *Site) stamp(ctx context.Context, e *AuditEntry) {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	if e.UserName == "" {
		e.UserName = Actor(ctx)
	}
	if a := RequestInfoFrom(ctx).ClientAddr; a.IsValid() && e.IP == "" {
		e.IP = a.String()
	}
}

// audited reports whether the resource's writes go to the audit log.
func (r *Resource[T]) audited() bool {
	return !r.NoAudit && r.m.site != nil && r.m.site.audit != nil && r.Values != nil
}

// record records the audit entries of a write that has run, in its
// transaction; see auditdiff.Schema.Entries for saved and rows.
func (r *Resource[T]) record(ctx context.Context, m ent.Mutation, saved T, rows []T) error {
	action := AuditChange
	switch op := m.Op(); {
	case op.Is(ent.OpCreate):
		action = AuditAdd
	case op.Is(ent.OpDelete | ent.OpDeleteOne):
		action = AuditDelete
	}
	schema := auditdiff.Schema[T]{Values: r.Values, Opaque: r.Opaque, Unaudited: r.Unaudited, FieldEdges: r.FieldEdges, Key: r.edgeKey}
	exec := func(ctx context.Context, query string, args ...any) error { return r.Exec(ctx, m, query, args...) }
	for _, d := range schema.Entries(m, saved, rows) {
		e := &AuditEntry{Action: action, Resource: r.Slug, ObjectID: r.ID(d.Row), ObjectRepr: r.Display(d.Row), Changes: d.Changes}
		r.m.site.stamp(ctx, e)
		if err := r.m.site.audit.Record(ctx, e, exec); err != nil {
			return fmt.Errorf("entadmin: audit log: %w", err)
		}
	}
	return nil
}

// edgeKey reports whether a field is the foreign key of a unique edge.
func (r *Resource[T]) edgeKey(name string) bool {
	for _, f := range r.Fields {
		if f.Kind == KindEdge && f.Column == name {
			return true
		}
	}
	return false
}

type systemKey struct{}

// AsSystem returns a context for writes made by the application outside an
// admin request, e.g. a nightly import: the audit log names their author
// "system: " and the label.
func AsSystem(ctx context.Context, label string) context.Context {
	return context.WithValue(ctx, systemKey{}, label)
}

// Actor returns the name the audit log gives the author of writes made with
// ctx: the admin user's name, or "system" and the label of AsSystem.
func Actor(ctx context.Context) string {
	if u := UserFrom(ctx); u != nil {
		if n := u.DisplayName(); n != "" {
			return n
		}
		return "anonymous"
	}
	if label, _ := ctx.Value(systemKey{}).(string); label != "" {
		return "system: " + label
	}
	return "system"
}

type httpRequestKey struct{}
type siteKey struct{}

// RequestFrom returns the admin request a context belongs to, or nil.
// Save hooks use it to read headers or the client address.
func RequestFrom(ctx context.Context) *http.Request {
	r, _ := ctx.Value(httpRequestKey{}).(*http.Request)
	return r
}

// withRequest puts the request, the site and a snapshot of the cache's
// table versions in the request's context, and collects the warnings of post-action hooks (see notices) into the
// response's messages.
func (s *Site) withRequest(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), siteKey{}, s)
		if s.cache != nil {
			ctx = s.cache.snapshot(ctx)
		}
		box := &notices{}
		ctx = context.WithValue(ctx, noticesKey{}, box)
		r = r.WithContext(ctx)
		r = r.WithContext(context.WithValue(ctx, httpRequestKey{}, r))
		next.ServeHTTP(&noticeWriter{ResponseWriter: w, r: r, box: box}, r)
	})
}

// auditRead returns the context for reading the audit log on a page the
// site has authorized itself (an object's history, the dashboard): without
// the admin user, so that the row scope of the audit log's own resource
// does not hide the entries.
func auditRead(ctx context.Context) context.Context {
	return context.WithValue(ctx, userKey{}, nil)
}
