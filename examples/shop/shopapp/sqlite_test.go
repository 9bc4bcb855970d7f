package shopapp

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	entsql "entgo.io/ent/dialect/sql"
)

// TestStatementCacheAnswersEveryQueryWhileItStartsOver runs more distinct
// queries than the SQLite driver keeps prepared, from several goroutines,
// so that the cache starts over (closing its statements) while others run
// theirs: every query must still answer, with its own result.
func TestStatementCacheAnswersEveryQueryWhileItStartsOver(t *testing.T) {
	t.Parallel()
	_, drv, err := openSQLite(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { drv.Close() })
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Go(func() {
			for i := range 3 * maxCachedStmts {
				n := (i*7 + g) % (2 * maxCachedStmts) // distinct texts, shared between goroutines
				var rows entsql.Rows
				if err := drv.Query(ctx, fmt.Sprintf("SELECT %d + ?", n), []any{1}, &rows); err != nil {
					errs <- err
					return
				}
				var got int
				if !rows.Next() {
					errs <- fmt.Errorf("SELECT %d + 1: no row", n)
					return
				}
				err := rows.Scan(&got)
				rows.Close()
				if err != nil || got != n+1 {
					errs <- fmt.Errorf("SELECT %d + 1 = %d, %v", n, got, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
