package plan

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

func TestOverrideValidateKinds(t *testing.T) {
	tests := []struct {
		kind  Kind
		field string // "" when valid
	}{
		{KindTicket, ""},
		{KindTask, ""},
		{KindPreventive, ""},
		{"problem", "kind"},
		{"", "kind"},
	}
	for _, tc := range tests {
		o := Override{Kind: tc.kind, ID: 3, Pin: true, Reason: "audit window"}
		err := o.Validate()
		var e *opsdesk.Error
		if tc.field == "" && err != nil || tc.field != "" && (!errors.As(err, &e) || e.Kind != opsdesk.KindInvalid || e.Field != tc.field) {
			t.Errorf("kind %q: %v, want field %q", tc.kind, err, tc.field)
		}
	}
}

// TestRankPreventiveOverrides: an occurrence of preventive work is pinned and moved like a
// ticket; an override names an item by kind and id, so a preventive override never places the
// ticket of the same id.
func TestRankPreventiveOverrides(t *testing.T) {
	w := DefaultWeights()
	day := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	// Tickets score 1 (at risk), 2: 250, 3: 120, 4: 50, 5: 6; the occurrence 60 (nothing due soon).
	items := append(rankFixture(), preventive(1, day, day.AddDate(0, 0, 1), 200, 120, 0))
	tests := []struct {
		name      string
		overrides []Override
		want      []string
	}{
		{"scores alone", nil, []string{"ticket 1", "ticket 2", "ticket 3", "preventive 1", "ticket 4", "ticket 5"}},
		{"pinned", []Override{{Kind: KindPreventive, ID: 1, Pin: true, Reason: "customer audit window"}},
			[]string{"preventive 1", "ticket 1", "ticket 2", "ticket 3", "ticket 4", "ticket 5"}},
		{"moved last", []Override{{Kind: KindPreventive, ID: 1, Position: 6, Reason: "after the freeze"}},
			[]string{"ticket 1", "ticket 2", "ticket 3", "ticket 4", "ticket 5", "preventive 1"}},
		{"the ticket of the same id stays", []Override{{Kind: KindPreventive, ID: 5, Pin: true, Reason: "done since"}},
			[]string{"ticket 1", "ticket 2", "ticket 3", "preventive 1", "ticket 4", "ticket 5"}},
	}
	for _, tc := range tests {
		rows, err := Rank(items, tc.overrides, &w, now)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, fmt.Sprintf("%s %d", r.Item.Kind, r.Item.ID))
			placed := len(tc.overrides) > 0 && r.Item.Kind == tc.overrides[0].Kind && r.Item.ID == tc.overrides[0].ID
			if placed != (r.Override != nil) || placed && r.Override.Reason != tc.overrides[0].Reason {
				t.Errorf("%s: %s %d carries override %+v", tc.name, r.Item.Kind, r.Item.ID, r.Override)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: order %v, want %v", tc.name, got, tc.want)
		}
	}
}
