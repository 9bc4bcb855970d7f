package entadmin

import (
	"encoding/base64"
	"encoding/json"
	"net/http"

	"github.com/entadmin/entadmin/views"
)

// messageCookie carries one-time messages to the next page, as Django's
// cookie message storage does. Messages are plain text and escaped when
// shown, so a forged cookie can only show its sender text.
const messageCookie = "entadmin_messages"

// AddMessage queues a one-time message (level is a views.Level constant)
// for the next page the user sees.
func AddMessage(w http.ResponseWriter, r *http.Request, level, text string) {
	b, _ := json.Marshal([]views.Message{{Level: level, Text: text}})
	http.SetCookie(w, &http.Cookie{
		Name:     messageCookie,
		Value:    base64.RawURLEncoding.EncodeToString(b),
		Path:     cookiePath(r),
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
}

// takeMessages returns the queued messages and clears them.
func takeMessages(w http.ResponseWriter, r *http.Request) []views.Message {
	c, err := r.Cookie(messageCookie)
	if err != nil {
		return nil
	}
	http.SetCookie(w, &http.Cookie{Name: messageCookie, Path: cookiePath(r), MaxAge: -1})
	b, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil
	}
	var ms []views.Message
	if json.Unmarshal(b, &ms) != nil {
		return nil
	}
	return ms
}

func cookiePath(r *http.Request) string {
	return Prefix(r) + "/"
}
