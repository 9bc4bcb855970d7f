package auth

import (
	"context"
	"os"
	"strings"
	"testing"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/internal/testdb"
)

// TestCreateSuperuser sets the environment, so it does not run in parallel.
func TestCreateSuperuser(t *testing.T) {
	db := testdb.Postgres(t)
	client := ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.DB)))
	ctx := context.Background()
	setup(t, client, db)
	run := func(args ...string) (string, error) {
		var out strings.Builder
		err := CreateSuperuser(ctx, client, args, strings.NewReader(""), &out)
		return out.String(), err
	}

	t.Setenv(passwordEnv, "s3cret passphrase")
	out, err := run("-username", "alice", "-email", "alice@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "s3cret") {
		t.Errorf("the output shows the password: %q", out)
	}
	u := client.User.Query().Where(user.Username("alice")).OnlyX(ctx)
	if !u.IsSuperuser || !u.IsStaff || !u.IsActive || u.Email != "alice@example.com" {
		t.Errorf("created %v, want an active staff superuser", u)
	}
	if err := password.Check("s3cret passphrase", u.PasswordHash); err != nil {
		t.Errorf("the password does not check: %v", err)
	}

	if _, err := run("-username", "alice"); err == nil || !strings.Contains(err.Error(), `user "alice" already exists`) {
		t.Errorf("second alice: %v, want that alice already exists", err)
	}
	for pw, want := range map[string]string{
		"":            "must not be empty",
		"short":       "at least 12 characters",
		"ééééééééééé": "at least 12 characters",
	} {
		t.Setenv(passwordEnv, pw)
		if _, err := run("-username", "bob"); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("password %q: %v, want %q", pw, err, want)
		}
	}
	t.Setenv(passwordEnv, "long enough password")
	if _, err := run("-username", "carol", "-email", "not an address"); err == nil || !strings.Contains(err.Error(), "is not an email address") {
		t.Errorf("a bad email: %v, want that it is not an email address", err)
	}
	if _, err := run(); err == nil || !strings.Contains(err.Error(), "username is required") {
		t.Errorf("no username: %v", err)
	}

	os.Unsetenv(passwordEnv) // restored by t.Setenv
	if _, err := run("-username", "bob"); err == nil || !strings.Contains(err.Error(), "set ENTADMIN_PASSWORD, or run in a terminal") {
		t.Errorf("no password, no terminal: %v", err)
	}
	if n := client.User.Query().CountX(ctx); n != 1 {
		t.Errorf("%d users, want only alice", n)
	}
}
