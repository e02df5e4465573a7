package sla

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// referenceFile is the shared file of reference cases, relative to the
// repository root (the directory holding go.mod).
const referenceFile = "../shared/sla-cases.json"

// referenceCases is the layout of sla-cases.json.
type referenceCases struct {
	Calendars map[string]json.RawMessage `json:"calendars"`
	Cases     []struct {
		ID              string `json:"id"`
		Calendar        string `json:"calendar"`
		Op              string `json:"op"`
		Start           string `json:"start"`
		DurationSeconds int64  `json:"duration_seconds"`
		Expected        string `json:"expected"`
		From            string `json:"from"`
		To              string `json:"to"`
		ExpectedSeconds int64  `json:"expected_seconds"`
		Note            string `json:"note"`
	} `json:"cases"`
}

// repoRoot walks up from the package directory to the directory holding
// go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the package directory")
		}
		dir = parent
	}
}

// TestReferenceCases runs every case of the shared sla-cases.json (taken from
// the test suites of Znuny, Zammad, libredesk, GLPI, zendesk/biz and
// rickar/cal). It compares instants, not strings.
func TestReferenceCases(t *testing.T) {
	path := filepath.Join(repoRoot(t), referenceFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("reference cases not found at %s (they live in the shared folder beside the repository)", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	var ref referenceCases
	if err := json.Unmarshal(data, &ref); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	cals := make(map[string]*Calendar, len(ref.Calendars))
	for id, raw := range ref.Calendars {
		c, err := ParseCalendar(raw)
		if err != nil {
			t.Fatalf("calendar %s: %v", id, err)
		}
		cals[id] = c
	}
	parse := func(id, s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		return v
	}
	var passed, deadlines, elapsed int
	for _, tc := range ref.Cases {
		c := cals[tc.Calendar]
		if c == nil {
			t.Errorf("%s: unknown calendar %q", tc.ID, tc.Calendar)
			continue
		}
		switch tc.Op {
		case "deadline":
			deadlines++
			start, want := parse(tc.ID, tc.Start), parse(tc.ID, tc.Expected)
			got := c.Deadline(start, time.Duration(tc.DurationSeconds)*time.Second)
			if !got.Equal(want) {
				t.Errorf("%s: deadline(%s, %ds) on %s = %s, want %s (%s)", tc.ID, tc.Start,
					tc.DurationSeconds, tc.Calendar, got.Format(time.RFC3339), want.Format(time.RFC3339),
					want.In(c.Location()).Format(time.RFC3339))
				continue
			}
		case "elapsed":
			elapsed++
			from, to := parse(tc.ID, tc.From), parse(tc.ID, tc.To)
			got := c.Elapsed(from, to)
			if want := time.Duration(tc.ExpectedSeconds) * time.Second; got != want {
				t.Errorf("%s: elapsed(%s, %s) on %s = %v (%ds), want %v (%ds)", tc.ID, tc.From, tc.To,
					tc.Calendar, got, int64(got/time.Second), want, tc.ExpectedSeconds)
				continue
			}
		default:
			t.Errorf("%s: unknown op %q", tc.ID, tc.Op)
			continue
		}
		passed++
	}
	t.Logf("%d of %d reference cases pass (%d deadline, %d elapsed, %d calendars)",
		passed, len(ref.Cases), deadlines, elapsed, len(cals))
	if len(ref.Cases) == 0 {
		t.Fatal("no cases in the reference file")
	}
}
