package password

import (
	"errors"
	"strings"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	t.Parallel()
	h, err := Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q does not carry its parameters", h)
	}
	if strings.Contains(h, "correct horse") {
		t.Error("the hash contains the password")
	}
	if err := Check("correct horse battery staple", h); err != nil {
		t.Errorf("right password: %v", err)
	}
	if err := Check("correct horse battery stapler", h); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong password: %v", err)
	}
	h2, _ := Hash("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
}

func TestParametersCanBeRaisedLater(t *testing.T) {
	t.Parallel()
	weak := Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	h, err := weak.Hash("secret")
	if err != nil {
		t.Fatal(err)
	}
	if err := Check("secret", h); err != nil {
		t.Errorf("a hash with older parameters no longer checks: %v", err)
	}
	if !DefaultParams.NeedsRehash(h) {
		t.Error("a weaker hash does not need a rehash")
	}
	strong, _ := Hash("secret")
	if DefaultParams.NeedsRehash(strong) {
		t.Error("a current hash needs a rehash")
	}
}

func TestMalformedHashesAreRefused(t *testing.T) {
	t.Parallel()
	for _, h := range []string{
		"",
		"secret",
		"$2a$10$abcdefghijklmnopqrstuv", // bcrypt
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5a2V5", // not argon2id
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=0,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHQ$a2V5a2V5a2V5a2V5a2V5a2V5", // would exhaust memory
		"$argon2id$v=19$m=19456,t=2,p=1$!!$a2V5a2V5a2V5a2V5a2V5a2V5",
	} {
		if err := Check("secret", h); !errors.Is(err, ErrMalformed) {
			t.Errorf("Check(%q) = %v, want ErrMalformed", h, err)
		}
	}
}
