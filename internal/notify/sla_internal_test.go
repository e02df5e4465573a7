package notify

import (
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

func TestFormatTarget(t *testing.T) {
	day := 7*time.Hour + 30*time.Minute // the French calendar's business day
	for _, c := range []struct {
		d, day time.Duration
		lang   opsdesk.Lang
		want   string
	}{
		{2 * time.Hour, day, opsdesk.LangEN, "2 h"},
		{90 * time.Minute, day, opsdesk.LangFR, "1 h 30"},
		{45 * time.Minute, day, opsdesk.LangEN, "45 min"},
		{day, day, opsdesk.LangEN, "1 business day"},
		{day, day, opsdesk.LangFR, "1 jour ouvré"},
		{5 * day, day, opsdesk.LangEN, "5 business days"},
		{5 * day, day, opsdesk.LangFR, "5 jours ouvrés"},
		{15 * time.Hour, day, opsdesk.LangEN, "2 business days"},
		{16 * time.Hour, day, opsdesk.LangEN, "16 h"},
		{48 * time.Hour, 24 * time.Hour, opsdesk.LangEN, "2 days"},
		{24 * time.Hour, 24 * time.Hour, opsdesk.LangFR, "1 jour"},
		{4 * time.Hour, 0, opsdesk.LangFR, "4 h"}, // no calendar known
	} {
		if got := formatTarget(c.d, c.day, c.lang); got != c.want {
			t.Errorf("formatTarget(%v, day %v, %s) = %q, want %q", c.d, c.day, c.lang, got, c.want)
		}
	}
	if clockName(sla.Workaround, opsdesk.LangFR) != "contournement" || clockName(sla.Resolve, opsdesk.LangEN) != "resolution" {
		t.Errorf("clock names: %q, %q", clockName(sla.Workaround, opsdesk.LangFR), clockName(sla.Resolve, opsdesk.LangEN))
	}
}
