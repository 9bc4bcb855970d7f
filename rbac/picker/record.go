package picker

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"strings"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/entadmin"
	"github.com/entadmin/entadmin/internal/sentence"
)

// AuditAction is the action of the audit entries that record a picker's
// save on the group's or the user's history, beside the entries of the
// policy rules it wrote.
const AuditAction = "permissions"

// maxChanges caps the changes one audit entry names.
const maxChanges = 50

// record puts the changes on the history of the group or the user, once
// the transaction of ctx (if any) has committed.
func (p *Picker[T]) record(ctx context.Context, e T, sub Subject, changes []string) error {
	entry := entadmin.AuditEntry{Action: AuditAction, Resource: "user", ObjectID: strconv.Itoa(sub.ID)}
	if sub.Group {
		entry.Resource = "group"
	}
	switch e := any(e).(type) {
	case *ent.Group:
		entry.ObjectRepr = e.Name
	case *ent.User:
		entry.ObjectRepr = e.Username
	}
	if n := len(changes); n > maxChanges {
		changes = append(changes[:maxChanges:maxChanges], strconv.Itoa(n-maxChanges)+" more")
	}
	entry.Message = sentence.Case(strings.Join(changes, "; ")) + "."
	write := func(ctx context.Context) {
		if err := p.site.Record(ctx, entry); err != nil && !errors.Is(err, entadmin.ErrNoAuditLog) {
			slog.ErrorContext(ctx, "picker: record the permissions changed", "err", err)
		}
	}
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		write(ctx)
		return nil
	}
	tx.OnCommit(func(next ent.Committer) ent.Committer {
		return ent.CommitFunc(func(cctx context.Context, tx *ent.Tx) error {
			if err := next.Commit(cctx, tx); err != nil {
				return err
			}
			write(ctx)
			return nil
		})
	})
	return nil
}
