package entadmin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAHandlersErrorIsAnsweredWithOneStatusPage(t *testing.T) {
	t.Parallel()
	var logged bytes.Buffer
	s := New(WithLogger(slog.New(slog.NewTextHandler(&logged, nil))), WithAuthorizer(Open{}))
	cases := []struct {
		name   string
		err    error
		status int
		shows  string // on the page
	}{
		{"a bad parameter", badParam{"bad page number \"x\""}, http.StatusBadRequest, "bad page number"},
		{"a bad parameter, named", badParamIn("list parameters", fmt.Errorf("parse: %w", badParam{"cannot sort by \"x\""})), http.StatusBadRequest, "Bad list parameters"},
		{"a refused permission", refuse(http.StatusForbidden, "You may not."), http.StatusForbidden, "You may not."},
		{"no such entity", ErrNotFound, http.StatusNotFound, "does not exist"},
		{"no such entity, named", refuse(http.StatusNotFound, "There is no item with this id."), http.StatusNotFound, "There is no item"},
		{"a conflict", fmt.Errorf("save: %w", refuse(http.StatusConflict, "Changed meanwhile.")), http.StatusConflict, "Changed meanwhile."},
		{"the database too slow", fmt.Errorf("query: %w", context.DeadlineExceeded), http.StatusServiceUnavailable, "Try again in a few seconds"},
		{"the database down", sqlState("08006"), http.StatusServiceUnavailable, "Try again in a few seconds"},
		{"text the database refuses", sqlState("22021"), http.StatusBadRequest, "cannot be stored"},
		{"any other error", errors.New("secret detail"), http.StatusInternalServerError, "it has been logged"},
	}
	for _, c := range cases {
		logged.Reset()
		w := httptest.NewRecorder()
		s.handle(func(http.ResponseWriter, *http.Request) error { return c.err })(w, httptest.NewRequest("GET", "/item/", nil))
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.shows) {
			t.Errorf("%s: status %d, want %d with %q on the page:\n%s", c.name, w.Code, c.status, c.shows, w.Body.String())
		}
		if retry := w.Header().Get("Retry-After"); (c.status == http.StatusServiceUnavailable) != (retry != "") {
			t.Errorf("%s: status %d with Retry-After %q", c.name, w.Code, retry)
		}
		if c.status == http.StatusInternalServerError {
			if strings.Contains(w.Body.String(), "secret detail") {
				t.Errorf("%s: the page shows the error's text", c.name)
			}
			if !strings.Contains(logged.String(), "secret detail") {
				t.Errorf("%s: the error was not logged: %q", c.name, logged.String())
			}
		}
	}

	// A handler that answered itself returns nil: nothing more is written.
	w := httptest.NewRecorder()
	s.handle(func(w http.ResponseWriter, _ *http.Request) error {
		w.WriteHeader(http.StatusNoContent)
		return nil
	})(w, httptest.NewRequest("GET", "/item/", nil))
	if w.Code != http.StatusNoContent || w.Body.Len() != 0 {
		t.Errorf("a handler without error: status %d, body %q", w.Code, w.Body.String())
	}
}
