package steerwatch

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestPreventiveJob runs the registered job's handler over a weekly schedule of Mondays made on
// Monday 7 June 2027 (8 occurrences, to 26 July): a week later it makes the one of 2 August,
// logged; run again at the same instant it makes none; with a 12-week horizon, four more.
func TestPreventiveJob(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		sys := opsdesk.WithActor(context.Background(), opsdesk.System("test"))
		now := time.Date(2027, 6, 7, 8, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		if err := db.SeedDefaults(sys); err != nil {
			t.Fatal(err)
		}
		s := &opsdesk.PreventiveSchedule{Kind: opsdesk.PreventivePerformanceReview, Title: "Weekly performance review",
			Every: 1, Unit: opsdesk.UnitWeeks, FirstDay: "2027-06-07", EstimateHours: 1, Level: opsdesk.LevelN3}
		if err := db.CreatePreventiveSchedule(sys, s); err != nil {
			t.Fatal(err)
		}
		count := func() (int, string) {
			ts, err := db.PreventiveTasks(sys, store.PreventiveTaskFilter{ScheduleID: s.ID})
			if err != nil {
				t.Fatal(err)
			}
			return len(ts), ts[len(ts)-1].DueDay
		}
		if n, last := count(); n != 8 || last != "2027-07-26" {
			t.Fatalf("at creation: %d occurrences, last %s; want 8, 2027-07-26", n, last)
		}

		var log bytes.Buffer
		run := preventiveHandler(db, PreventiveOptions{Logger: slog.New(slog.NewTextHandler(&log, nil))})
		now = now.AddDate(0, 0, 7)
		if err := run(context.Background(), &opsdesk.Job{}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(log.String(), "preventive: occurrences made") || !strings.Contains(log.String(), "count=1") {
			t.Fatalf("first run logged:\n%s", log.String())
		}
		if n, last := count(); n != 9 || last != "2027-08-02" {
			t.Fatalf("a week later: %d occurrences, last %s", n, last)
		}
		log.Reset()
		if err := run(context.Background(), &opsdesk.Job{}); err != nil || log.Len() != 0 {
			t.Fatalf("second run: %v, logged:\n%s", err, log.String())
		}
		wide := preventiveHandler(db, PreventiveOptions{Horizon: 12 * 7 * 24 * time.Hour, Logger: slog.New(slog.NewTextHandler(&log, nil))})
		if err := wide(context.Background(), &opsdesk.Job{}); err != nil {
			t.Fatal(err)
		}
		if n, last := count(); n != 13 || last != "2027-08-30" {
			t.Fatalf("12 weeks ahead: %d occurrences, last %s", n, last)
		}
	})
}
