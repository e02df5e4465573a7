package report

import (
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

func TestLocale(t *testing.T) {
	for _, tc := range []struct {
		loc  Locale
		at   time.Time
		date string
		pct  string
	}{
		{English, day(2027, 3, 1), "March 1, 2027", "40%"},
		{English, day(2027, 12, 25), "December 25, 2027", "40%"},
		{French, day(2027, 3, 1), "1er mars 2027", "40\u00a0%"},
		{French, day(2027, 2, 14), "14 février 2027", "40\u00a0%"},
	} {
		if got := tc.loc.Date(tc.at); got != tc.date {
			t.Errorf("Date(%v) = %q, want %q", tc.at, got, tc.date)
		}
		if got := tc.loc.Pct(0.4); got != tc.pct {
			t.Errorf("Pct = %q, want %q", got, tc.pct)
		}
	}
	if LocaleFor(opsdesk.LangFR).Months[0] != "janvier" || LocaleFor(opsdesk.LangEN).Months[0] != "January" {
		t.Error("LocaleFor picks the wrong language")
	}
}
