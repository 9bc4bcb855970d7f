package entadmin

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
)

// retryAfter is the Retry-After of a 503, in seconds.
const retryAfter = "5"

// ServerError answers a request that failed with err, without showing err:
// 503 with Retry-After when the database is unavailable, busy or too slow
// (a connection refused or lost, a statement or lock timeout, SQLite's
// "database is locked", the request's deadline), 400 when the database refused a value as text it cannot
// store, 500 otherwise; it logs err. It answers nothing to a client that
// has gone. Pages that an Authorizer serves use it.
func (s *Site) ServerError(w http.ResponseWriter, r *http.Request, err error) {
	s.serverError(w, r, err)
}

// answerFailure answers err when it is one of the failures of
// failureStatus, or when the client has gone, and reports whether it did.
func (s *Site) answerFailure(w http.ResponseWriter, r *http.Request, err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(r.Context().Err(), context.Canceled) {
		return true // the client has gone: nobody reads an answer
	}
	status, msg := failureStatus(err)
	if status == 0 {
		return false
	}
	s.logger.Warn("entadmin: request refused", "method", r.Method, "path", r.URL.Path, "status", status, "err", err)
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", retryAfter)
	}
	// The page renders with a context that is not done, which the
	// request's is after its deadline.
	s.error(w, r.WithContext(context.WithoutCancel(r.Context())), status, msg)
	return true
}

// failureStatus returns the status and message of an error that is no bug
// of the server's: 503 when the database is unavailable, busy or too slow,
// 400 when it refused a value; 0 for any other error.
func failureStatus(err error) (int, string) {
	const (
		unavailable = "The database is busy or not answering right now. Try again in a few seconds."
		badText     = "The request contains characters that cannot be stored: a NUL character or bytes that are not UTF-8."
	)
	// PostgreSQL's SQLSTATE codes: invalid byte sequence and untranslatable
	// character; query canceled (by the statement timeout), lock not
	// available (the lock timeout), the server shutting down or starting;
	// the classes connection exception (08) and insufficient resources (53).
	var coded interface{ SQLState() string }
	if errors.As(err, &coded) {
		code := coded.SQLState()
		switch {
		case code == "22021" || code == "22P05":
			return http.StatusBadRequest, badText
		case code == "57014" || code == "55P03" || strings.HasPrefix(code, "57P") ||
			strings.HasPrefix(code, "08") || strings.HasPrefix(code, "53"):
			return http.StatusServiceUnavailable, unavailable
		}
		return 0, ""
	}
	if sqliteBusy(err) {
		return http.StatusServiceUnavailable, unavailable
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn),
		errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF):
		return http.StatusServiceUnavailable, unavailable
	}
	return 0, ""
}

// SQLite's primary result codes of a statement that waited for a lock
// longer than its busy timeout: another connection writes (SQLITE_BUSY) or
// holds a table of a shared cache (SQLITE_LOCKED).
const (
	sqliteBusyCode   = 5
	sqliteLockedCode = 6
)

// sqliteBusy reports whether err is SQLite's "database is locked": an
// error with the result code (modernc.org/sqlite's Code method, whose
// extended codes keep the primary one in the low byte) or, from drivers
// without one, the message.
func sqliteBusy(err error) bool {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		code := coded.Code() & 0xff
		return code == sqliteBusyCode || code == sqliteLockedCode
	}
	msg := err.Error()
	return strings.Contains(msg, "database is locked") || strings.Contains(msg, "database table is locked")
}
