package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// sharedFile finds a file of ../shared beside the repository, or skips.
func sharedFile(t *testing.T, name string) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not found beside the repository: reference cases not run", p)
	}
	return p
}

// TestSLAReferenceCasesThroughCLI runs every reference case of ../shared/sla-cases.json through
// `opsdesk sla deadline` and `opsdesk sla elapsed`, as an admin would.
func TestSLAReferenceCasesThroughCLI(t *testing.T) {
	b, err := os.ReadFile(sharedFile(t, "sla-cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Calendars map[string]json.RawMessage `json:"calendars"`
		Cases     []struct {
			ID, Calendar, Op, Start, From, To, Expected string
			DurationSeconds                             int64 `json:"duration_seconds"`
			ExpectedSeconds                             int64 `json:"expected_seconds"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for id, cal := range ref.Calendars {
		os.WriteFile(filepath.Join(dir, id+".json"), cal, 0o600)
	}
	if len(ref.Cases) < 100 {
		t.Fatalf("only %d reference cases read", len(ref.Cases))
	}
	for _, c := range ref.Cases {
		calFile := filepath.Join(dir, c.Calendar+".json")
		switch c.Op {
		case "deadline":
			out, _, err := runCmd(t, nil, "", "sla", "deadline", "--calendar", calFile, "--start", c.Start, "--duration", strconv.FormatInt(c.DurationSeconds, 10))
			if err != nil {
				t.Errorf("%s: %v", c.ID, err)
				continue
			}
			got, err1 := time.Parse(time.RFC3339, strings.TrimSpace(out))
			want, err2 := time.Parse(time.RFC3339, c.Expected)
			if err1 != nil || err2 != nil || !got.Equal(want) {
				t.Errorf("%s: deadline %s, want %s", c.ID, strings.TrimSpace(out), c.Expected)
			}
		case "elapsed":
			out, _, err := runCmd(t, nil, "", "sla", "elapsed", "--calendar", calFile, "--from", c.From, "--to", c.To)
			if err != nil {
				t.Errorf("%s: %v", c.ID, err)
				continue
			}
			secs, _, _ := strings.Cut(out, "\t")
			if secs != strconv.FormatInt(c.ExpectedSeconds, 10) {
				t.Errorf("%s: elapsed %q, want %d", c.ID, out, c.ExpectedSeconds)
			}
		default:
			t.Errorf("%s: unknown op %q", c.ID, c.Op)
		}
	}
}

func TestSLACommandExample(t *testing.T) {
	cal := filepath.Join(t.TempDir(), "paris.json")
	os.WriteFile(cal, []byte(`{"timezone": "Europe/Paris",
	 "hours": {"mon": [["08:30","12:30"],["13:30","18:00"]], "tue": [["08:30","18:00"]]},
	 "holidays": ["2027-07-14"], "holiday_rules": ["fixed:05-01", "easter_monday", "ascension", "whit_monday"], "always_open": false}`), 0o600)
	// Monday 2027-03-01 17:00 Paris + 4h: 1h on Monday, then Tuesday 08:30 + 3h = 11:30.
	out, _, err := runCmd(t, nil, "", "sla", "deadline", "--calendar", cal, "--start", "2027-03-01T16:00:00Z", "--duration", "4h")
	if err != nil || strings.TrimSpace(out) != "2027-03-02T11:30:00+01:00" {
		t.Fatalf("deadline = %q, %v", out, err)
	}
	// Monday 08:30 to Tuesday 18:00 Paris: 8.5h + 9.5h = 18h.
	out, _, err = runCmd(t, nil, "", "sla", "elapsed", "--calendar", cal, "--from", "2027-03-01T08:30:00+01:00", "--to", "2027-03-02T18:00:00+01:00")
	if err != nil || out != "64800\t18h0m0s\n" {
		t.Fatalf("elapsed = %q, %v", out, err)
	}
	for _, bad := range [][]string{
		{"sla", "deadline", "--start", "2027-03-01T16:00:00Z", "--duration", "4h"},
		{"sla", "deadline", "--calendar", cal, "--start", "yesterday", "--duration", "4h"},
		{"sla", "deadline", "--calendar", cal, "--start", "2027-03-01T16:00:00Z", "--duration", "soon"},
		{"sla", "elapsed", "--calendar", filepath.Join(t.TempDir(), "missing.json"), "--from", "2027-03-01T16:00:00Z", "--to", "2027-03-01T17:00:00Z"},
	} {
		if _, _, err := runCmd(t, nil, "", bad...); err == nil {
			t.Errorf("%v accepted", bad)
		} else if _, ok := err.(usageError); !ok {
			t.Errorf("%v: %v is not a usage error", bad, err)
		}
	}
	os.WriteFile(cal, []byte(`{"timezone": "Mars/Olympus", "hours": {}}`), 0o600)
	if _, _, err := runCmd(t, nil, "", "sla", "elapsed", "--calendar", cal, "--from", "2027-03-01T16:00:00Z", "--to", "2027-03-01T17:00:00Z"); err == nil || !strings.Contains(err.Error(), "timezone") {
		t.Errorf("bad calendar: %v", err)
	}
}
