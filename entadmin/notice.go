package entadmin

import (
	"context"
	"net/http"
	"sync"
)

type noticesKey struct{}

// notices collects messages raised during a request by code that has no
// ResponseWriter, such as post-action hooks running after a commit; they
// reach the user as messages of the response.
type notices struct {
	mu   sync.Mutex
	msgs [][2]string // level, text
}

// notify queues a message (level is a views.Level constant) for the user
// of the admin request ctx belongs to; it reports false outside one.
func notify(ctx context.Context, level, text string) bool {
	box, _ := ctx.Value(noticesKey{}).(*notices)
	if box == nil {
		return false
	}
	box.mu.Lock()
	box.msgs = append(box.msgs, [2]string{level, text})
	box.mu.Unlock()
	return true
}

// noticeWriter adds the queued notices to the response's messages before
// its header is written.
type noticeWriter struct {
	http.ResponseWriter
	r    *http.Request
	box  *notices
	done bool
}

func (w *noticeWriter) flush() {
	if w.done {
		return
	}
	w.done = true
	w.box.mu.Lock()
	msgs := w.box.msgs
	w.box.msgs = nil
	w.box.mu.Unlock()
	for _, m := range msgs {
		AddMessage(w.ResponseWriter, w.r, m[0], m[1])
	}
}

// WriteHeader implements http.ResponseWriter.
func (w *noticeWriter) WriteHeader(status int) {
	w.flush()
	w.ResponseWriter.WriteHeader(status)
}

// Write implements http.ResponseWriter.
func (w *noticeWriter) Write(b []byte) (int, error) {
	w.flush()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *noticeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
