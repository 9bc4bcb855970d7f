// Package audit stores entadmin's audit log in entadmin's own AuditEntry
// model (table entadmin_audit_entries), beside the application's tables:
//
//	log := audit.New(own, dialect.Postgres)
//	site := entadmin.New(entadmin.WithAuditLog(log), ...)
//	adminres.Register(site, client) // every write of the shop's models is recorded
//	ownres.Register(site, own)      // and of users, groups, memberships and policy rules
//
// entadmin's generated hook computes each entry inside the write's
// transaction and hands it to Log.Record with a function that runs a
// statement on that same transaction (ent's sql/execquery ExecContext on the
// mutation's client): the entry is one INSERT, committed or rolled back with
// the write, whichever ent client the write went through.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/auditentry"
	"github.com/entadmin/entadmin/ent/predicate"
	"github.com/entadmin/entadmin/entadmin"
)

// DefaultLimit caps the entries Entries returns when the filter sets no
// limit.
const DefaultLimit = 100

// DefaultRetention is how long entries are kept unless WithRetention says
// otherwise: a year.
const DefaultRetention = 365 * 24 * time.Hour

// Log is the audit log, an entadmin.AuditLog over entadmin's own models.
type Log struct {
	client    *ent.Client
	dialect   string
	retention time.Duration
	observer  Observer // nil: nobody to tell
}

// Option configures a Log.
type Option func(*Log)

// WithRetention sets how long Prune keeps entries (default a year).
func WithRetention(d time.Duration) Option { return func(l *Log) { l.retention = d } }

// Observer is told of every entry the log writes, e.g. to count them in
// metrics (metrics.Metrics implements it). Its method must not block.
type Observer interface {
	AuditRecorded()
}

// WithObserver tells o of every entry Record writes. An entry written in
// a transaction that is rolled back afterwards is told of too.
func WithObserver(o Observer) Option { return func(l *Log) { l.observer = o } }

// New returns the audit log stored with client, on a database of the
// dialect (entgo.io/ent/dialect.Postgres or SQLite).
func New(client *ent.Client, dialect string, opts ...Option) *Log {
	l := &Log{client: client, dialect: dialect, retention: DefaultRetention}
	for _, opt := range opts {
		opt(l)
	}
	return l
}

var _ entadmin.AuditLog = (*Log)(nil)

// Record implements entadmin.AuditLog.
func (l *Log) Record(ctx context.Context, e *entadmin.AuditEntry, exec entadmin.ExecFunc) error {
	err := l.record(ctx, e, exec)
	if err == nil && l.observer != nil {
		l.observer.AuditRecorded()
	}
	return err
}

// record writes the entry, through exec when it is given.
func (l *Log) record(ctx context.Context, e *entadmin.AuditEntry, exec entadmin.ExecFunc) error {
	var changes []byte
	if len(e.Changes) > 0 {
		var err error
		if changes, err = json.Marshal(e.Changes); err != nil {
			return fmt.Errorf("audit: encode changes: %w", err)
		}
	}
	var userID *int
	if id, ok := entadmin.UserID(entadmin.UserFrom(ctx)); ok {
		userID = &id
	}
	if exec == nil {
		return l.client.AuditEntry.Create().
			SetAt(e.At).
			SetAction(clip(e.Action, 50)).
			SetResource(clip(e.Resource, 100)).
			SetObjectID(clip(e.ObjectID, 100)).
			SetObjectRepr(clip(e.ObjectRepr, 300)).
			SetNillableUserID(userID).
			SetUserName(clip(e.UserName, 150)).
			SetIP(clip(e.IP, 64)).
			SetMessage(clip(e.Message, 1000)).
			SetChanges(changesMap(changes)).
			Exec(ctx)
	}
	query, args := entsql.Dialect(l.dialect).
		Insert(auditentry.Table).
		Columns(auditentry.FieldAt, auditentry.FieldAction, auditentry.FieldResource, auditentry.FieldObjectID,
			auditentry.FieldObjectRepr, auditentry.FieldUserID, auditentry.FieldUserName, auditentry.FieldIP,
			auditentry.FieldMessage, auditentry.FieldChanges).
		Values(e.At, clip(e.Action, 50), clip(e.Resource, 100), clip(e.ObjectID, 100),
			clip(e.ObjectRepr, 300), userID, clip(e.UserName, 150), clip(e.IP, 64),
			clip(e.Message, 1000), nullable(changes)).
		Query()
	return exec(ctx, query, args...)
}

// Entries implements entadmin.AuditLog.
func (l *Log) Entries(ctx context.Context, f entadmin.AuditFilter) ([]entadmin.AuditEntry, error) {
	var where []predicate.AuditEntry
	if len(f.Resources) > 0 {
		where = append(where, auditentry.ResourceIn(f.Resources...))
	}
	if f.ObjectID != "" {
		where = append(where, auditentry.ObjectID(f.ObjectID))
	}
	if f.UserName != "" {
		where = append(where, auditentry.UserName(f.UserName))
	}
	if f.Action != "" {
		where = append(where, auditentry.Action(f.Action))
	}
	if !f.Since.IsZero() {
		where = append(where, auditentry.AtGTE(f.Since))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = DefaultLimit
	}
	rows, err := l.client.AuditEntry.Query().
		Where(where...).
		Order(auditentry.ByAt(entsql.OrderDesc()), auditentry.ByID(entsql.OrderDesc())).
		Limit(limit).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: read entries: %w", err)
	}
	out := make([]entadmin.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = entadmin.AuditEntry{
			ID:         r.ID,
			At:         r.At,
			Action:     r.Action,
			Resource:   r.Resource,
			ObjectID:   r.ObjectID,
			ObjectRepr: r.ObjectRepr,
			UserName:   r.UserName,
			IP:         r.IP,
			Message:    r.Message,
		}
		if len(r.Changes) > 0 {
			b, _ := json.Marshal(r.Changes)
			if err := json.Unmarshal(b, &out[i].Changes); err != nil {
				return nil, fmt.Errorf("audit: entry %d: decode changes: %w", r.ID, err)
			}
		}
	}
	return out, nil
}

// Prune deletes the entries older than the retention (see WithRetention)
// and returns how many it deleted. Run it from a scheduled command (the
// example wires it as `shop pruneaudit -keep 2160h`). It is the only way
// entries leave the log: the admin shows them read-only.
func (l *Log) Prune(ctx context.Context) (int, error) {
	if l.retention <= 0 {
		return 0, fmt.Errorf("audit: prune: the retention must be positive, got %v", l.retention)
	}
	n, err := l.client.AuditEntry.Delete().Where(auditentry.AtLT(time.Now().Add(-l.retention))).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit: prune: %w", err)
	}
	return n, nil
}

// clip shortens s to at most n characters, the size of its column.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// nullable returns the encoded changes, or nil for none.
func nullable(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// changesMap decodes encoded changes for ent's JSON field.
func changesMap(b []byte) map[string]any {
	if b == nil {
		return nil
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}
