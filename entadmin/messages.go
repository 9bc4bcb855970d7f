package entadmin

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/entadmin/entadmin/views"
)

// messageCookie carries one-time messages to the next page, as Django's
// cookie message storage does. Messages are plain text and escaped when
// shown, so a forged cookie can only show its sender text.
const messageCookie = "entadmin_messages"

// AddMessage queues a one-time message (level is a views.Level constant)
// for the next page the user sees.
func AddMessage(w http.ResponseWriter, r *http.Request, level, text string) {
	ms := append(pendingMessages(w), views.Message{Level: level, Text: text})
	b, _ := json.Marshal(ms)
	http.SetCookie(w, &http.Cookie{
		Name:     messageCookie,
		Value:    base64.RawURLEncoding.EncodeToString(b),
		Path:     cookiePath(r),
		HttpOnly: true,
		Secure:   SecureRequest(r),
		SameSite: http.SameSiteLaxMode,
	})
}

// pendingMessages removes the message cookie this response already sets
// and returns its messages, so that AddMessage can add to them.
func pendingMessages(w http.ResponseWriter) []views.Message {
	h := w.Header()
	cookies := h.Values("Set-Cookie")
	h.Del("Set-Cookie")
	var ms []views.Message
	for _, c := range cookies {
		value, ok := strings.CutPrefix(c, messageCookie+"=")
		if !ok {
			h.Add("Set-Cookie", c)
			continue
		}
		value, _, _ = strings.Cut(value, ";")
		ms = append(ms, decodeMessages(value)...)
	}
	return ms
}

func decodeMessages(value string) []views.Message {
	b, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return nil
	}
	var ms []views.Message
	if json.Unmarshal(b, &ms) != nil {
		return nil
	}
	return ms
}

// takeMessages returns the queued messages and clears them.
func takeMessages(w http.ResponseWriter, r *http.Request) []views.Message {
	c, err := r.Cookie(messageCookie)
	if err != nil {
		return nil
	}
	expireMessages(w, r)
	return decodeMessages(c.Value)
}

// peekMessages returns the queued messages, which stay queued.
func peekMessages(r *http.Request) []views.Message {
	c, err := r.Cookie(messageCookie)
	if err != nil {
		return nil
	}
	return decodeMessages(c.Value)
}

// clearMessages clears the queued messages, once a page shows them.
func clearMessages(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(messageCookie); err == nil {
		expireMessages(w, r)
	}
}

// expireMessages has the browser drop the messages' cookie.
func expireMessages(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: messageCookie, Path: cookiePath(r), MaxAge: -1})
}

func cookiePath(r *http.Request) string {
	return Prefix(r) + "/"
}
