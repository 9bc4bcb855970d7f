// Package password hashes and checks passwords with argon2id.
//
// Hashes are encoded in the PHC string format with their salt and
// parameters, e.g. "$argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>", so that
// the parameters can be raised later: Check accepts hashes made with any
// parameters, and NeedsRehash tells when a stored hash is weaker than the
// current Params.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams are OWASP's recommended minimum for argon2id (19 MiB of
// memory, two passes, one thread), with a 16-byte salt and a 32-byte key.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// ErrMismatch is returned by Check for a wrong password.
var ErrMismatch = errors.New("password: wrong password")

// ErrMalformed is returned for a stored hash that is not argon2id in PHC
// format.
var ErrMalformed = errors.New("password: malformed hash")

var b64 = base64.RawStdEncoding

// Hash returns the encoded argon2id hash of password with a fresh random
// salt and the default parameters.
func Hash(password string) (string, error) { return DefaultParams.Hash(password) }

// Hash returns the encoded argon2id hash of password with a fresh random
// salt and the parameters p.
func (p Params) Hash(password string) (string, error) {
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password: read salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Check reports whether password matches the encoded hash: nil when it
// does, ErrMismatch when it does not, ErrMalformed for a bad hash. The
// comparison takes constant time.
func Check(password, encoded string) error {
	p, salt, key, err := decode(encoded)
	if err != nil {
		return err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(key)))
	if subtle.ConstantTimeCompare(got, key) != 1 {
		return ErrMismatch
	}
	return nil
}

// NeedsRehash reports whether an encoded hash was made with weaker
// parameters than p (or is malformed), so that it should be replaced by a
// new hash the next time the user logs in.
func (p Params) NeedsRehash(encoded string) bool {
	q, salt, key, err := decode(encoded)
	if err != nil {
		return true
	}
	return q.Memory < p.Memory || q.Time < p.Time || q.Threads < p.Threads ||
		uint32(len(salt)) < p.SaltLen || uint32(len(key)) < p.KeyLen
}

// decode parses "$argon2id$v=19$m=..,t=..,p=..$salt$key".
func decode(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, ErrMalformed
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return p, nil, nil, ErrMalformed
	}
	if p.Memory == 0 || p.Time == 0 || p.Threads == 0 || p.Memory > 4<<20 || p.Time > 100 {
		return p, nil, nil, ErrMalformed
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) == 0 {
		return p, nil, nil, ErrMalformed
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, ErrMalformed
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	return p, salt, key, nil
}
