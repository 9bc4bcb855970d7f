package testdb

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
)

// Main runs the tests of m and returns the exit code for os.Exit, for a
// package's TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
//
// While it runs, each database of Postgres is closed when its test ends and
// dropped in the background, instead of in the test's cleanup: PostgreSQL
// (up to version 15) makes a checkpoint for each DROP DATABASE, a second or
// more on a busy server, which the tests then need not wait for, and drops
// that overlap share a checkpoint. Main waits for the drops before it
// returns, and returns 1 if one failed.
func Main(m *testing.M) int {
	background.start()
	code := m.Run()
	if err := background.wait(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// background drops the databases of the tests under Main.
var background dropper

// dropper drops databases in the background while it is on.
type dropper struct {
	mu   sync.Mutex
	on   bool
	wg   sync.WaitGroup
	errs []error
}

// start turns the dropper on.
func (d *dropper) start() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.on = true
}

// drop closes db and drops it with drop in the background, if the dropper
// is on, and reports whether it took the database.
func (d *dropper) drop(db *DB, drop func() error) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.on {
		return false
	}
	db.DB.Close()
	d.wg.Go(func() {
		if err := drop(); err != nil {
			d.mu.Lock()
			d.errs = append(d.errs, err)
			d.mu.Unlock()
		}
	})
	return true
}

// wait turns the dropper off, waits for its drops, and returns their
// errors.
func (d *dropper) wait() error {
	d.mu.Lock()
	d.on = false
	d.mu.Unlock()
	d.wg.Wait()
	return errors.Join(d.errs...)
}
