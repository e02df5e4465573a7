package opsdesk

import (
	"strings"
	"unicode/utf8"
)

// CauseCode is an entry of the admin-edited catalog of resolution causes (software defect,
// configuration, …): the cause an agent records when resolving a ticket. Codes are stable and
// counted by the indicators; labels are shown to staff in their language. Causes are internal:
// customers never see them.
type CauseCode struct {
	Code     string
	LabelFR  string
	LabelEN  string
	Position int // display order
	Active   bool
}

// Label returns the cause's name in lang.
func (c *CauseCode) Label(lang Lang) string {
	if lang == LangFR {
		return c.LabelFR
	}
	return c.LabelEN
}

// Validate checks and normalises a cause code, naming the offending field.
func (c *CauseCode) Validate() error {
	c.Code = strings.ToLower(strings.TrimSpace(c.Code))
	c.LabelFR, c.LabelEN = strings.TrimSpace(c.LabelFR), strings.TrimSpace(c.LabelEN)
	switch {
	case c.Code == "" || len(c.Code) > 40 || strings.Trim(c.Code, "abcdefghijklmnopqrstuvwxyz0123456789_-") != "":
		return Invalid("code", "use 1 to 40 lower-case letters, digits, '-' or '_'")
	case c.LabelFR == "" || utf8.RuneCountInString(c.LabelFR) > 100:
		return Invalid("label_fr", "is required (at most 100 characters)")
	case c.LabelEN == "" || utf8.RuneCountInString(c.LabelEN) > 100:
		return Invalid("label_en", "is required (at most 100 characters)")
	}
	return nil
}

// MaxResolutionSummary bounds a resolution summary, in characters.
const MaxResolutionSummary = 10_000

// Normalize trims a resolution and checks what does not need the database: a summary of bounded
// length and a cause code. Errors: invalid, naming the field (resolution, cause).
func (r *Resolution) Normalize() error {
	r.Summary = strings.TrimSpace(r.Summary)
	r.Cause = strings.ToLower(strings.TrimSpace(r.Cause))
	switch {
	case r.Summary == "":
		return Invalid("resolution", "a resolution summary is required: say what was done, in words the customer reads")
	case utf8.RuneCountInString(r.Summary) > MaxResolutionSummary:
		return Invalid("resolution", "is longer than %d characters", MaxResolutionSummary)
	case r.Cause == "":
		return Invalid("cause", "a cause code is required")
	}
	return nil
}
