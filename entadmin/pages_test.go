package entadmin_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"github.com/entadmin/entadmin/entadmin"
)

// numbered is a user with an id; the user with id 1 may view "extra".
type numbered int

func (n numbered) DisplayName() string { return fmt.Sprint("user ", int(n)) }
func (n numbered) UserID() int         { return int(n) }

// byQuery authenticates the user whose id is the request's "as"
// parameter, and nobody without one.
type byQuery struct{}

func (byQuery) Authenticate(r *http.Request) (entadmin.User, error) {
	var id int
	if _, err := fmt.Sscan(r.URL.Query().Get("as"), &id); err != nil {
		return nil, nil
	}
	return numbered(id), nil
}

func (byQuery) Allowed(_ context.Context, u entadmin.User, action entadmin.Action, slug string) bool {
	id, _ := entadmin.UserID(u)
	return id == 1 && action == entadmin.ActionView && slug == "extra"
}

// extraPages serve /extra/ to the users the site allows "view" on "extra".
type extraPages struct{}

func (extraPages) PrivateRoutes(s *entadmin.Site, r chi.Router) {
	r.Get("/extra/", func(w http.ResponseWriter, r *http.Request) {
		if !s.Allowed(r.Context(), entadmin.ActionView, "extra") {
			s.Error(w, r, http.StatusForbidden, "no")
			return
		}
		id, _ := entadmin.UserID(entadmin.UserFrom(r.Context()))
		fmt.Fprintf(w, "extra page of user %d", id)
	})
}

func TestExtensionPagesAreServedToLoggedInUsersTheAuthorizerAllows(t *testing.T) {
	t.Parallel()
	site := entadmin.New(entadmin.WithAuthorizer(byQuery{}), entadmin.WithPages(extraPages{}), entadmin.WithLogger(slog.New(slog.DiscardHandler)))
	for _, c := range []struct {
		path   string
		status int
		body   string
	}{
		{"/admin/extra/", http.StatusForbidden, ""}, // nobody logged in
		{"/admin/extra/?as=2", http.StatusForbidden, ""},
		{"/admin/extra/?as=1", http.StatusOK, "extra page of user 1"},
	} {
		res, body := serve(t, site, "GET", c.path)
		if res.StatusCode != c.status || !strings.Contains(body, c.body) {
			t.Errorf("GET %s: status %d, want %d with %q:\n%.300s", c.path, res.StatusCode, c.status, c.body, body)
		}
	}
	found := false
	for _, r := range site.Routes() {
		found = found || r == entadmin.Route{Method: "GET", Pattern: "/extra/"}
	}
	if !found {
		t.Error("Routes does not list the extension's page")
	}
}
