package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// ProblemBase starts the type URI of every problem; the kind follows: …/problems/not_found.
const ProblemBase = "https://opsdesk.dev/problems/"

// Problem is an RFC 9457 problem document, with the offending input named in Field.
type Problem struct {
	Type   string `json:"type" format:"uri"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail,omitempty"`
	Field  string `json:"field,omitempty" doc:"the offending input: a JSON key, a query parameter, a form field"`
}

// httpError is an answer that no domain kind describes (malformed input, too large, method not
// allowed): a status and a problem type of its own.
type httpError struct {
	status int
	kind   string
	field  string
	detail string
}

func (e *httpError) Error() string { return e.detail }

// badRequest reports input that cannot be read at all (malformed JSON, a wrong JSON type): 400.
func badRequest(field, detail string) error {
	return &httpError{status: http.StatusBadRequest, kind: string(opsdesk.KindInvalid), field: field, detail: detail}
}

var kindStatus = map[opsdesk.Kind]int{
	opsdesk.KindInvalid:   http.StatusUnprocessableEntity,
	opsdesk.KindNotFound:  http.StatusNotFound,
	opsdesk.KindForbidden: http.StatusForbidden,
	opsdesk.KindConflict:  http.StatusConflict,
	opsdesk.KindAuth:      http.StatusUnauthorized,
	opsdesk.KindRateLimit: http.StatusTooManyRequests,
	opsdesk.KindInternal:  http.StatusInternalServerError,
}

// problemOf maps an error to its problem document. Internal errors get a generic detail.
func problemOf(err error) Problem {
	var he *httpError
	if errors.As(err, &he) {
		return Problem{Type: ProblemBase + he.kind, Title: http.StatusText(he.status), Status: he.status, Detail: he.detail, Field: he.field}
	}
	kind := opsdesk.ErrorKind(err)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		kind = opsdesk.KindInternal
	}
	status, ok := kindStatus[kind]
	if !ok {
		kind, status = opsdesk.KindInternal, http.StatusInternalServerError
	}
	p := Problem{Type: ProblemBase + string(kind), Title: http.StatusText(status), Status: status, Field: opsdesk.ErrorField(err)}
	if kind == opsdesk.KindInternal {
		p.Detail, p.Field = "something went wrong on our side; it has been logged", ""
	} else {
		p.Detail = opsdesk.ErrorMessage(err)
	}
	return p
}

// problem writes err as a problem document, logging internal errors with the real cause.
func (a *API) problem(w http.ResponseWriter, r *http.Request, err error) {
	p := problemOf(err)
	if p.Status == http.StatusInternalServerError {
		a.log.Error("api: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if p.Status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="opsdesk"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(p.Status)
	json.NewEncoder(w).Encode(p)
}

// withField names the input a not-found error is about (a customer code in the body, an
// attachment id), keeping its kind and message.
func withField(err error, field string) error {
	var e *opsdesk.Error
	if errors.As(err, &e) && e.Field == "" && e.Kind == opsdesk.KindNotFound {
		c := *e
		c.Field = field
		return &c
	}
	return err
}
