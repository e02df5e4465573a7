// Package opsdesk holds the domain of the service desk: its types, the rules they obey, and the
// error kinds every service returns. It depends on nothing but the standard library; the store,
// the web UI, the API and the mail channels are adapters around it.
package opsdesk

import (
	"errors"
	"fmt"
)

// Kind classifies an error so that every adapter can answer it the same way (HTTP status, CLI exit
// message) without knowing which service produced it.
type Kind string

// The fixed set of error kinds. Services document which kinds they return.
const (
	KindInvalid   Kind = "invalid"   // the input breaks a rule; Field names the offending input
	KindNotFound  Kind = "not_found" // the thing does not exist, or the caller may not know it exists
	KindForbidden Kind = "forbidden" // the caller is known but may not do this
	KindConflict  Kind = "conflict"  // the change clashes with the current state (duplicate, illegal transition)
	KindAuth      Kind = "unauthenticated"
	KindRateLimit Kind = "rate_limited"
	KindInternal  Kind = "internal" // a fault of ours; the details are logged, never shown
)

// Error is the domain error. Message is safe to show to the user who caused it; Field, when set,
// names the input the message is about (a form field, a JSON key, a flag).
type Error struct {
	Kind    Kind
	Field   string
	Message string
	Op      string // the operation, for logs: "store.CreateUser"
	Err     error  // the cause, for logs; never shown
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Op != "" {
		msg = e.Op + ": " + msg
	}
	if e.Err != nil {
		if msg == "" {
			return e.Err.Error()
		}
		return msg + ": " + e.Err.Error()
	}
	return msg
}

// Unwrap gives the cause, so errors.Is and errors.As see through an Error.
func (e *Error) Unwrap() error { return e.Err }

// Invalid reports input that breaks a rule, naming the field.
func Invalid(field, format string, args ...any) error {
	return &Error{Kind: KindInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports a missing thing (or one the caller may not see).
func NotFound(format string, args ...any) error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, args...)}
}

// Forbidden reports an action the caller may not take.
func Forbidden(format string, args ...any) error {
	return &Error{Kind: KindForbidden, Message: fmt.Sprintf(format, args...)}
}

// Conflict reports a change that clashes with the current state.
func Conflict(field, format string, args ...any) error {
	return &Error{Kind: KindConflict, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Unauthenticated reports a request without valid credentials.
func Unauthenticated(format string, args ...any) error {
	return &Error{Kind: KindAuth, Message: fmt.Sprintf(format, args...)}
}

// RateLimited reports a caller that must slow down.
func RateLimited(format string, args ...any) error {
	return &Error{Kind: KindRateLimit, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps a fault of ours with the operation it happened in.
func Internal(op string, err error) error {
	return &Error{Kind: KindInternal, Op: op, Err: err}
}

// ErrorKind returns the kind of err: the kind of the first *Error in its chain, KindInternal for
// any other non-nil error, and "" for nil.
func ErrorKind(err error) Kind {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// ErrorMessage returns the message safe to show for err: the domain message, or a generic one
// for internal errors (whose details belong in logs only).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Kind != KindInternal {
		return e.Message
	}
	return "internal error"
}

// ErrorField returns the input an error is about, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// IsKind tells whether err is of kind k.
func IsKind(err error, k Kind) bool { return ErrorKind(err) == k }
