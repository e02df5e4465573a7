package parse

import (
	"net/mail"
	"regexp"
	"strings"
	"time"
)

var (
	dateComment = regexp.MustCompile(`\([^)]*\)`)
	dateGMTZone = regexp.MustCompile(`(?i)\b(?:GMT|UTC)\s*([+-]\d{1,2}):?(\d{2})?\b`)
	dateLayouts = []string{
		"Mon, 2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04 -0700",
		"2 Jan 2006 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04:05 MST",
		"Mon, 2 Jan 06 15:04:05 -0700",
		"Mon, 2 Jan 2006 15:04:05",
		"Mon 2 Jan 2006 15:04:05 -0700",
		"Mon, Jan 2 2006 15:04:05 -0700",
		"Mon Jan 2 15:04:05 2006",
		"Mon Jan 2 15:04:05 -0700 2006",
		"Mon Jan 2 15:04:05 MST 2006",
		"2006-01-02 15:04:05 -0700",
		"2006-01-02T15:04:05Z07:00",
		"02.01.2006 15:04:05 -0700",
		"Monday, January 2, 2006 3:04 PM",
		"2 Jan 2006 15:04:05",
	}
)

// parseDate reads a Date header: RFC 5322 first, then common damage (comments, missing or
// spelled-out week days, "GMT+0100", dotted or ISO dates, missing zone read as UTC).
func parseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if t, err := mail.ParseDate(v); err == nil {
		return t, true
	}
	s := dateComment.ReplaceAllString(v, " ")
	s = dateGMTZone.ReplaceAllStringFunc(s, func(m string) string {
		p := dateGMTZone.FindStringSubmatch(m)
		h := p[1]
		if len(h) == 2 {
			h = h[:1] + "0" + h[1:]
		}
		mm := p[2]
		if mm == "" {
			mm = "00"
		}
		return h + mm
	})
	s = strings.Join(strings.Fields(strings.ReplaceAll(s, ",", ", ")), " ")
	s = strings.ReplaceAll(s, " ,", ",")
	if t, err := mail.ParseDate(s); err == nil {
		return t, true
	}
	for _, cand := range []string{s, dropWeekday(s)} {
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, cand); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// dropWeekday removes a leading week-day name ("Mon," or "Monday ").
func dropWeekday(s string) string {
	f := strings.Fields(s)
	if len(f) > 1 && len(f[0]) >= 3 && strings.IndexAny(f[0][:1], "0123456789") < 0 {
		if _, err := time.Parse("Jan", f[0][:3]); err != nil {
			return strings.Join(f[1:], " ")
		}
	}
	return s
}
