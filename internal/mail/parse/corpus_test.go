package parse

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// corpusRecord is one entry of the corpus's expected.json. Absent fields are not asserted.
type corpusRecord struct {
	File         string    `json:"file"`
	From         *string   `json:"from"`
	Subject      *string   `json:"subject"`
	BodyContains []string  `json:"body_contains"`
	Attachments  *[]string `json:"attachments"`
}

// corpusDir finds the shared mail corpus: the directory holding go.mod, then
// ../shared/mail-corpus. It skips the test when the corpus is not there.
func corpusDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("mail corpus: no go.mod above the package directory")
		}
		dir = parent
	}
	corpus := filepath.Join(dir, "..", "shared", "mail-corpus")
	if _, err := os.Stat(filepath.Join(corpus, "expected.json")); err != nil {
		tb.Skipf("mail corpus not found at %s (it lives next to the repository in ../shared/mail-corpus)", corpus)
	}
	return corpus
}

// corpusFiles returns the paths of all corpus messages, sorted.
func corpusFiles(tb testing.TB, dir string) []string {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "messages", "*.eml"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("mail corpus: no messages in %s: %v", dir, err)
	}
	slices.Sort(files)
	return files
}

// collapse applies the corpus comparison rule: runs of white space (U+00A0 included) become
// one space, ends trimmed.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

func TestCorpusParsesEveryMessage(t *testing.T) {
	dir := corpusDir(t)
	for _, path := range corpusFiles(t, dir) {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("read %s: %v", path, err)
		}
		msg, err := Parse(raw)
		switch {
		case err != nil && !(errors.Is(err, ErrEmpty) && strings.TrimSpace(string(raw)) == ""):
			t.Errorf("%s: Parse: %v", filepath.Base(path), err)
		case err == nil && msg == nil:
			t.Errorf("%s: Parse returned neither message nor error", filepath.Base(path))
		case msg != nil:
			for _, d := range msg.Defects {
				if strings.HasPrefix(d, "internal error") {
					t.Errorf("%s: %s", filepath.Base(path), d)
				}
			}
			if _, err := json.Marshal(msg); err != nil {
				t.Errorf("%s: JSON: %v", filepath.Base(path), err)
			}
			checkUTF8(t, msg)
		}
	}
}

func TestCorpusExpectations(t *testing.T) {
	dir := corpusDir(t)
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatalf("read expected.json: %v", err)
	}
	var records []corpusRecord
	if err := json.Unmarshal(data, &records); err != nil {
		t.Fatalf("decode expected.json: %v", err)
	}
	type tally struct{ agreed, total int }
	fields := []string{"from", "subject", "body_contains", "attachments"}
	stats := map[string]*tally{}
	for _, f := range fields {
		stats[f] = &tally{}
	}
	count := func(field string, ok bool) {
		stats[field].total++
		if ok {
			stats[field].agreed++
		}
	}
	for _, rec := range records {
		t.Run(filepath.Base(rec.File), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(dir, rec.File))
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			msg, err := Parse(raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if rec.From != nil {
				ok := strings.EqualFold(msg.From, *rec.From)
				count("from", ok)
				if !ok {
					t.Errorf("from = %q, want %q", msg.From, *rec.From)
				}
			}
			if rec.Subject != nil {
				ok := collapse(msg.Subject) == collapse(*rec.Subject)
				count("subject", ok)
				if !ok {
					t.Errorf("subject = %q, want %q", msg.Subject, *rec.Subject)
				}
			}
			if rec.BodyContains != nil {
				text, ok := collapse(msg.Text), true
				for _, want := range rec.BodyContains {
					if !strings.Contains(text, collapse(want)) {
						ok = false
						t.Errorf("body does not contain %q; body starts %q", want, clip(text, 300))
					}
				}
				count("body_contains", ok)
			}
			if rec.Attachments != nil {
				got := attachmentNames(msg)
				want := map[string]bool{}
				for _, n := range *rec.Attachments {
					want[collapse(n)] = true
				}
				ok := len(got) == len(want)
				for n := range want {
					ok = ok && got[n]
				}
				count("attachments", ok)
				if !ok {
					t.Errorf("attachments = %q, want %q", keys(got), keys(want))
				}
			}
		})
	}
	all := tally{}
	for _, f := range fields {
		s := stats[f]
		all.agreed += s.agreed
		all.total += s.total
		t.Logf("corpus agreement %-13s %3d/%3d = %6.2f %%", f, s.agreed, s.total, pct(s.agreed, s.total))
	}
	t.Logf("corpus agreement %-13s %3d/%3d = %6.2f %%", "all fields", all.agreed, all.total, pct(all.agreed, all.total))
}

// attachmentNames is the set of non-empty attachment names, whitespace collapsed.
func attachmentNames(msg *Message) map[string]bool {
	got := map[string]bool{}
	for _, a := range msg.Attachments {
		if n := collapse(a.Name); n != "" {
			got[n] = true
		}
	}
	return got
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func pct(a, b int) float64 {
	if b == 0 {
		return 100
	}
	return 100 * float64(a) / float64(b)
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// BenchmarkParse parses the whole corpus once per iteration and reports messages per second.
func BenchmarkParse(b *testing.B) {
	dir := corpusDir(b)
	var msgs [][]byte
	size := 0
	for _, path := range corpusFiles(b, dir) {
		raw, err := os.ReadFile(path)
		if err != nil {
			b.Fatalf("read %s: %v", path, err)
		}
		msgs = append(msgs, raw)
		size += len(raw)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, raw := range msgs {
			if _, err := Parse(raw); err != nil && !errors.Is(err, ErrEmpty) {
				b.Fatalf("Parse: %v", err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(msgs))/b.Elapsed().Seconds(), "msgs/s")
}
