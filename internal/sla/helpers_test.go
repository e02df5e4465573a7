package sla

import (
	"testing"
	"time"
)

// mustParse parses a calendar in its JSON form or fails the test.
func mustParse(t testing.TB, js string) *Calendar {
	t.Helper()
	c, err := ParseCalendar([]byte(js))
	if err != nil {
		t.Fatalf("ParseCalendar(%s): %v", js, err)
	}
	return c
}

// at parses an RFC 3339 instant (with optional fractional seconds) or fails
// the test.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatalf("bad instant %q: %v", s, err)
	}
	return v
}
