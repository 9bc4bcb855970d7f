package entadmin

import (
	"errors"
	"net/http"
)

// handlerFunc is a handler that returns the error it met instead of
// answering it; Site.answer maps the error to one status page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// statusError is a refusal shown to the user as it is: its status (400,
// 403, 404, 405, 409) and its message on the error page.
type statusError struct {
	status int
	msg    string
}

func (e *statusError) Error() string { return e.msg }

// refuse returns the error answered with status and msg.
func refuse(status int, msg string) error {
	return &statusError{status: status, msg: msg}
}

// badParamIn returns err as a 400 naming the bad value when it is a
// badParam met reading the request's what (e.g. "list parameters"), err
// otherwise.
func badParamIn(what string, err error) error {
	if bad := (badParam{}); errors.As(err, &bad) {
		return refuse(http.StatusBadRequest, "Bad "+what+": "+err.Error()+".")
	}
	return err
}

// answer answers the error a handler returned, if any: a statusError with
// its status and message, a badParam with 400, ErrNotFound with 404, the
// failures of failureStatus with 503 (with Retry-After) or 400, anything
// else with 500, logged and not shown.
func (s *Site) answer(w http.ResponseWriter, r *http.Request, err error) {
	var se *statusError
	var bad badParam
	switch {
	case err == nil:
	case errors.As(err, &se):
		s.error(w, r, se.status, se.msg)
	case errors.As(err, &bad):
		s.error(w, r, http.StatusBadRequest, "Bad request: "+bad.msg+".")
	case errors.Is(err, ErrNotFound):
		s.notFound(w, r)
	default:
		s.serverError(w, r, err)
	}
}

// handle adapts h to an http.HandlerFunc that answers its error.
func (s *Site) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.answer(w, r, h(w, r))
	}
}
