//go:build linux

package auth

import (
	"context"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin/password"
	"github.com/entadmin/entadmin/internal/testdb"
)

// openPTY returns both ends of a new pseudo-terminal: the terminal and the
// side that types into it.
func openPTY(t *testing.T) (tty, keyboard *os.File) {
	t.Helper()
	keyboard, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { keyboard.Close() })
	var unlock, n int32
	for _, c := range []struct {
		req uintptr
		arg *int32
	}{{syscall.TIOCSPTLCK, &unlock}, {syscall.TIOCGPTN, &n}} {
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, keyboard.Fd(), c.req, uintptr(unsafe.Pointer(c.arg))); errno != 0 {
			t.Fatal(errno)
		}
	}
	tty, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tty.Close() })
	go io.Copy(io.Discard, keyboard) // the terminal's echo
	return tty, keyboard
}

// TestCreateSuperuserPrompts sets the environment, so it does not run in
// parallel.
func TestCreateSuperuserPrompts(t *testing.T) {
	db := testdb.SQLite(t)
	client := ent.NewClient(ent.Driver(entsql.OpenDB(db.Dialect, db.DB)))
	ctx := context.Background()
	setup(t, client, db)
	t.Setenv(passwordEnv, "")
	os.Unsetenv(passwordEnv) // restored by t.Setenv

	run := func(args []string, typed string) (string, error) {
		tty, keyboard := openPTY(t)
		if _, err := keyboard.WriteString(typed); err != nil {
			t.Fatal(err)
		}
		var out strings.Builder
		err := CreateSuperuser(ctx, client, args, tty, &out)
		return out.String(), err
	}

	out, err := run(nil, "carol\ncarol@example.com\nlong secret phrase\nlong secret phrase\n")
	if err != nil {
		t.Fatal(err)
	}
	if want := "Username: Email address (optional): Password: \nPassword (again): \nSuperuser \"carol\" created.\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	u := client.User.Query().Where(user.Username("carol")).OnlyX(ctx)
	if !u.IsSuperuser || u.Email != "carol@example.com" || password.Check("long secret phrase", u.PasswordHash) != nil {
		t.Errorf("created %v, want a superuser with the typed email and password", u)
	}

	// Mismatched and short passwords are asked for again, three times at
	// most.
	if _, err := run([]string{"-username", "dave", "-email", ""}, strings.Repeat("long secret phrase\nlong secrex\n", 3)); err == nil || !strings.Contains(err.Error(), "do not match") {
		t.Errorf("mismatched passwords three times: %v", err)
	}
	if n := client.User.Query().CountX(ctx); n != 1 {
		t.Errorf("%d users, want only carol", n)
	}
	out, err = run([]string{"-username", "erin", "-email", ""}, "short\nshort\nlong secret phrase\nlong secrex\nlong secret phrase\nlong secret phrase\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"at least 12 characters long; try again.", "the passwords do not match; try again.", `Superuser "erin" created.`} {
		if !strings.Contains(out, want) {
			t.Errorf("output %q lacks %q", out, want)
		}
	}
}
