package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// errorView is the data of the error page.
type errorView struct {
	Status  int
	Heading string
	Message string
	Login   bool // offer the login page (an anonymous visitor was refused)
}

// fail answers a request that cannot go on, by the kind of its error: the store's messages are
// shown (translated where the catalog knows them), internal errors are logged and replaced by a
// generic message, and a missing session leads to the login page.
func (s *Server) fail(c *call, err error) {
	switch opsdesk.ErrorKind(err) {
	case opsdesk.KindNotFound:
		s.errorPage(c, http.StatusNotFound, "error.not_found")
	case opsdesk.KindForbidden:
		s.errorPage(c, http.StatusForbidden, "error.forbidden")
	case opsdesk.KindInvalid:
		s.errorText(c, http.StatusUnprocessableEntity, domainMessage(c, err))
	case opsdesk.KindConflict:
		s.errorText(c, http.StatusConflict, domainMessage(c, err))
	case opsdesk.KindAuth:
		s.clearSessionCookie(c.w)
		s.toLogin(c)
	case opsdesk.KindRateLimit:
		s.errorPage(c, http.StatusTooManyRequests, "error.rate_limited")
	default:
		s.internal(c, err)
	}
}

// internal logs a fault of ours with the request it broke and shows a generic 500 page.
func (s *Server) internal(c *call, err error) {
	if errors.Is(err, context.Canceled) {
		s.log.Debug("web: request cancelled", "path", c.r.URL.Path)
		return
	}
	s.log.Error("web: internal error", "method", c.r.Method, "path", c.r.URL.Path, "err", err)
	s.errorPage(c, http.StatusInternalServerError, "error.internal")
}

// errorPage renders the error page with a catalog message.
func (s *Server) errorPage(c *call, status int, key string, args ...any) {
	s.errorText(c, status, c.T(key, args...))
}

// errorText renders the error page with a message already in the user's language.
func (s *Server) errorText(c *call, status int, msg string) {
	heading := c.T("error.status." + strconv.Itoa(status))
	s.render(c, status, "error", heading, errorView{
		Status: status, Heading: heading, Message: msg, Login: c.user == nil && status == http.StatusForbidden,
	})
}

// notFound is the localized 404 for records and ids the UI cannot find.
func (s *Server) notFound(c *call) { s.errorPage(c, http.StatusNotFound, "error.not_found") }

// formError shows an invalid or conflicting input next to the field it is about, re-rendering
// the form (through again) with 422 or 409; any other error is answered by fail.
func (s *Server) formError(c *call, f *form, err error, again func(status int)) {
	s.fieldError(c, f, opsdesk.ErrorField(err), err, again)
}

// actionError is formError for a small form of a ticket page: a message about one of the
// form's fields shows next to it, a message about anything else at the top of the form.
func (s *Server) actionError(c *call, f *form, fields []string, err error, again func(status int)) {
	field := opsdesk.ErrorField(err)
	if !slices.Contains(fields, field) {
		field = ""
	}
	s.fieldError(c, f, field, err, again)
}

// fieldError shows an invalid or conflicting input's message next to field ("" for the top of
// the form) and re-renders the form with 422 or 409; any other error is answered by fail.
func (s *Server) fieldError(c *call, f *form, field string, err error, again func(status int)) {
	switch opsdesk.ErrorKind(err) {
	case opsdesk.KindInvalid:
		f.Fail(field, domainMessage(c, err))
		again(http.StatusUnprocessableEntity)
	case opsdesk.KindConflict:
		f.Fail(field, domainMessage(c, err))
		again(http.StatusConflict)
	default:
		s.fail(c, err)
	}
}

// domainMessage is the safe message of a domain error in the call's language.
func domainMessage(c *call, err error) string {
	return i18n.Domain(c.lang, opsdesk.ErrorMessage(err))
}
