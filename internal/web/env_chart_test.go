package web

import (
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

func TestResponseChart(t *testing.T) {
	from := time.Date(2027, 3, 10, 0, 0, 0, 0, time.UTC)
	to := from.Add(chartSpan)
	pt := func(min int, avg float64, fails int) opsdesk.ResponsePoint {
		return opsdesk.ResponsePoint{At: from.Add(time.Duration(min) * time.Minute), Checks: 15, Failures: fails, AvgMS: avg, MaxMS: int64(avg) + 20}
	}
	// Four buckets in a row, a three-hour hole, two more buckets (one with failures).
	series := []opsdesk.ResponsePoint{pt(0, 120, 0), pt(15, 140, 0), pt(30, 130, 0), pt(45, 180, 0), pt(240, 90, 0), pt(255, 340, 2)}
	ch := newResponseChart(&call{lang: opsdesk.LangEN}, series, from, to)
	if len(ch.Lines) != 2 || strings.Count(ch.Lines[0], ",") != 4 || strings.Count(ch.Lines[1], ",") != 2 {
		t.Fatalf("lines = %q", ch.Lines)
	}
	if len(ch.Fails) != 1 || len(ch.Dots) != 5 || !strings.Contains(ch.Fails[0].Label, "2 failed") {
		t.Fatalf("marks: %d dots, fails %+v", len(ch.Dots), ch.Fails)
	}
	// The scale tops at 500 ms: the slowest bucket sits at 340/500 of the height.
	if ch.YTicks[2].Label != "500 ms" || ch.YTicks[0].Label != "0 ms" {
		t.Errorf("y ticks = %+v", ch.YTicks)
	}
	wantY := ch.Bottom - (ch.Bottom-ch.Top)*340/500
	if d := ch.Fails[0].Y - wantY; d > 0.1 || d < -0.1 {
		t.Errorf("slowest bucket at y=%v, want %v", ch.Fails[0].Y, wantY)
	}
	for _, d := range append(ch.Dots, ch.Fails...) {
		if d.X < ch.Left || d.X > ch.Right || d.Y < ch.Top || d.Y > ch.Bottom {
			t.Errorf("mark outside the plot: %+v", d)
		}
	}
	if ch.XTicks[0].Label != "00:00" || ch.XTicks[4].Label != "00:00" || ch.XTicks[2].Label != "12:00" || ch.XTicks[4].Anchor != "end" {
		t.Errorf("x ticks = %+v", ch.XTicks)
	}
	if !strings.Contains(ch.Summary, "340 ms") || !strings.Contains(ch.Summary, "2 failed") {
		t.Errorf("summary = %q", ch.Summary)
	}
	// Probes slower than the bucket: results every 30 minutes still draw one line.
	sparse := []opsdesk.ResponsePoint{pt(0, 100, 0), pt(30, 100, 0), pt(60, 100, 0), pt(90, 100, 0)}
	if ch := newResponseChart(&call{lang: opsdesk.LangEN}, sparse, from, to); len(ch.Lines) != 1 {
		t.Errorf("sparse series: %d lines", len(ch.Lines))
	}
	if ch := newResponseChart(&call{lang: opsdesk.LangFR}, nil, from, to); !ch.Empty || len(ch.Lines) != 0 || ch.YTicks[2].Label != "10 ms" {
		t.Errorf("empty chart = %+v", ch)
	}
}

func TestNiceCeil(t *testing.T) {
	for _, c := range []struct{ in, want float64 }{{0, 10}, {7, 10}, {11, 20}, {190, 200}, {200, 200}, {201, 500}, {999, 1000}, {1001, 2000}} {
		if got := niceCeil(c.in); got != c.want {
			t.Errorf("niceCeil(%v) = %v, want %v", c.in, got, c.want)
		}
	}
}
