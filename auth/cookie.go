package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"

	"github.com/entadmin/entadmin/entadmin"
)

// cookieName is the session cookie's name.
const cookieName = "entadmin_session"

// tokenLen is the length of a session token, in random bytes.
const tokenLen = 32

// b64 encodes the token and the signature of a session cookie.
var b64 = base64.RawURLEncoding

// token returns the session token of the request's cookie, when its
// signature is right.
func (a *Authorizer) token(r *http.Request) ([]byte, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return nil, false
	}
	enc, sig, ok := strings.Cut(c.Value, ".")
	if !ok {
		return nil, false
	}
	token, err := b64.DecodeString(enc)
	if err != nil || len(token) != tokenLen {
		return nil, false
	}
	mac, err := b64.DecodeString(sig)
	if err != nil || !hmac.Equal(mac, a.mac(token)) {
		return nil, false
	}
	return token, true
}

// mac is the signature of a token.
func (a *Authorizer) mac(token []byte) []byte {
	m := hmac.New(sha256.New, a.secret)
	m.Write(token)
	return m.Sum(nil)
}

// tokenHash is how the sessions table knows a token.
func tokenHash(token []byte) string {
	sum := sha256.Sum256(token)
	return hex.EncodeToString(sum[:])
}

// expireCookie tells the browser to forget its session cookie.
func expireCookie(w http.ResponseWriter, r *http.Request) {
	c := sessionCookie(r)
	c.MaxAge = -1
	http.SetCookie(w, c)
}

// sessionCookie is the session cookie without its value: sent back only
// over HTTPS when the request came that way, below the admin's prefix,
// hidden from scripts, and not sent along with cross-site POSTs.
func sessionCookie(r *http.Request) *http.Cookie {
	return &http.Cookie{
		Name:     cookieName,
		Path:     entadmin.Prefix(r) + "/",
		HttpOnly: true,
		Secure:   entadmin.SecureRequest(r),
		SameSite: http.SameSiteLaxMode,
	}
}
