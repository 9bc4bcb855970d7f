package auth

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/mail"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/entadmin/entadmin/ent"
	"github.com/entadmin/entadmin/ent/user"
	"github.com/entadmin/entadmin/entadmin/password"
)

// passwordEnv names the environment variable CreateSuperuser takes the
// password from, when set.
const passwordEnv = "ENTADMIN_PASSWORD"

// minPassword is the shortest password CreateSuperuser accepts, in
// characters: the same as the change-password form's.
const minPassword = MinPasswordLength

// CreateSuperuser creates an active superuser, as a command would with
// args (without the command's name), e.g. "-username alice -email
// alice@example.com". The password comes from the ENTADMIN_PASSWORD
// environment variable when it is set; otherwise stdin must be a terminal,
// where it prompts for the username and email when they are not given and
// for the password, twice, without echo. Prompts and the result go to
// stdout; the password is never shown.
func CreateSuperuser(ctx context.Context, client *ent.Client, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("createsuperuser", flag.ContinueOnError)
	fs.SetOutput(stdout)
	username := fs.String("username", "", "the superuser's username")
	email := fs.String("email", "", "the superuser's email address (optional)")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return nil // the usage is printed
	} else if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("createsuperuser: unexpected arguments %q", fs.Args())
	}
	emailGiven := false
	fs.Visit(func(f *flag.Flag) { emailGiven = emailGiven || f.Name == "email" })

	pw, fromEnv := os.LookupEnv(passwordEnv)
	tty, isTerminal := terminal(stdin)
	if !fromEnv && !isTerminal {
		return fmt.Errorf("createsuperuser: no password: set %s, or run in a terminal to be asked for it", passwordEnv)
	}
	if isTerminal {
		p := prompter{in: bufio.NewReader(stdin), out: stdout, fd: tty}
		var err error
		if *username == "" {
			if *username, err = p.line("Username: "); err != nil {
				return err
			}
		}
		if !emailGiven {
			if *email, err = p.line("Email address (optional): "); err != nil {
				return err
			}
		}
		if !fromEnv {
			if pw, err = p.newPassword(); err != nil {
				return err
			}
		}
	}
	if *username == "" {
		return errors.New("createsuperuser: a username is required (-username)")
	}
	if err := checkPassword(pw); err != nil {
		return err
	}
	if *email != "" {
		if a, err := mail.ParseAddress(*email); err != nil || a.Address != *email {
			return fmt.Errorf("createsuperuser: %q is not an email address", *email)
		}
	}

	if exists, err := client.User.Query().Where(user.Username(*username)).Exist(ctx); err != nil {
		return fmt.Errorf("createsuperuser: %w", err)
	} else if exists {
		return fmt.Errorf("createsuperuser: user %q already exists", *username)
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return fmt.Errorf("createsuperuser: %w", err)
	}
	err = client.User.Create().
		SetUsername(*username).
		SetEmail(*email).
		SetPasswordHash(hash).
		SetIsActive(true).
		SetIsStaff(true).
		SetIsSuperuser(true).
		Exec(ctx)
	switch {
	case ent.IsConstraintError(err):
		return fmt.Errorf("createsuperuser: user %q already exists", *username)
	case err != nil:
		return fmt.Errorf("createsuperuser: %w", err)
	}
	fmt.Fprintf(stdout, "Superuser %q created.\n", *username)
	return nil
}

// checkPassword refuses passwords too short to be one.
func checkPassword(pw string) error {
	if pw == "" {
		return errors.New("createsuperuser: the password must not be empty")
	}
	if utf8.RuneCountInString(pw) < minPassword {
		return fmt.Errorf("createsuperuser: the password must be at least %d characters long", minPassword)
	}
	return nil
}

// terminal returns the file descriptor of r when it is a terminal.
func terminal(r io.Reader) (int, bool) {
	f, ok := r.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	return int(f.Fd()), true
}

// prompter asks questions on a terminal.
type prompter struct {
	in  *bufio.Reader
	out io.Writer
	fd  int
}

// line asks for one line of text.
func (p prompter) line(prompt string) (string, error) {
	fmt.Fprint(p.out, prompt)
	s, err := p.in.ReadString('\n')
	if err != nil && (err != io.EOF || s == "") {
		return "", fmt.Errorf("createsuperuser: read answer: %w", err)
	}
	return strings.TrimSpace(s), nil
}

// passwordAttempts is how many times newPassword asks before it gives up.
const passwordAttempts = 3

// newPassword asks for a password twice, without echo, and asks again
// when the two differ or the password is too short, up to
// passwordAttempts times.
func (p prompter) newPassword() (string, error) {
	for attempt := 1; ; attempt++ {
		pw, err := p.secret("Password: ")
		if err != nil {
			return "", err
		}
		again, err := p.secret("Password (again): ")
		if err != nil {
			return "", err
		}
		if pw != again {
			err = errors.New("createsuperuser: the passwords do not match")
		} else {
			err = checkPassword(pw)
		}
		if err == nil || attempt == passwordAttempts {
			return pw, err
		}
		fmt.Fprintf(p.out, "%s; try again.\n", strings.TrimPrefix(err.Error(), "createsuperuser: "))
	}
}

// secret asks for a line without echo.
func (p prompter) secret(prompt string) (string, error) {
	fmt.Fprint(p.out, prompt)
	b, err := term.ReadPassword(p.fd)
	fmt.Fprintln(p.out)
	if err != nil {
		return "", fmt.Errorf("createsuperuser: read password: %w", err)
	}
	return string(b), nil
}
