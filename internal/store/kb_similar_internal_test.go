package store

import (
	"slices"
	"testing"
)

// TestRelaxedGroups: the whole text, then each word of a two-word text, or at most three pairs
// of adjacent words, the heaviest (long words; not numbers nor short words), in text order.
func TestRelaxedGroups(t *testing.T) {
	for _, c := range []struct {
		text string
		want [][]string
	}{
		{"", nil},
		{"the of", nil}, // stop words only: nothing to search
		{"export", [][]string{{"export"}}},
		{"invoice export", [][]string{{"invoice", "export"}, {"invoice"}, {"export"}}},
		{"invoice export is broken", [][]string{{"invoice", "export", "broken"}, {"invoice", "export"}, {"export", "broken"}}},
		{"Invoice export fails with a timeout", [][]string{{"invoice", "export", "fails", "timeout"},
			{"invoice", "export"}, {"export", "fails"}, {"fails", "timeout"}}},
		// Four pairs; numbers and short words weigh nothing: the pair of "fails" and "ok" loses
		// its tie with the earlier "42 fails".
		{"v2 deployment 42 fails ok", [][]string{{"v2", "deployment", "42", "fails", "ok"},
			{"v2", "deployment"}, {"deployment", "42"}, {"42", "fails"}}},
		{"database replication lag on v2 after failover", [][]string{{"database", "replication", "lag", "v2", "failover"},
			{"database", "replication"}, {"replication", "lag"}, {"v2", "failover"}}},
	} {
		got := relaxedGroups(parseQuery(c.text).words)
		if !slices.EqualFunc(got, c.want, slices.Equal) {
			t.Errorf("%q: %q, want %q", c.text, got, c.want)
		}
		if len(got) > 1+relaxedPairs {
			t.Errorf("%q: %d searches", c.text, len(got))
		}
	}
}
