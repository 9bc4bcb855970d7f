package batteries_test

import (
	"os"
	"testing"

	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/internal/testdb"
)

// TestMain runs the tests with cheap argon2id parameters, as their users'
// passwords need no protection and the production ones (19 MiB, two
// passes per hash and per login) cost more than the rest of a test;
// package password's tests hold DefaultParams to the production values.
// The tests' databases are dropped in the background (see testdb.Main).
func TestMain(m *testing.M) {
	password.DefaultParams = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	os.Exit(testdb.Main(m))
}
