package plan

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// fixture: five tickets whose scores give the order 1, 2, 3, 4, 5 and two
// equal-score items to show the tie-break.
func rankFixture() []Item {
	items := []Item{
		ticket(5, 5, "test", 0, 0, "", 0),          // 6
		ticket(3, 3, "prod", 0, 0, "", 0),          // 120
		ticket(1, 1, "prod", -1, time.Hour, "", 0), // at risk
		ticket(4, 4, "prod", 0, 0, "", 0),          // 50
		ticket(2, 2, "prod", 0, 0, "", 0),          // 250
	}
	return items
}

func ids(rows []Row) []int64 {
	var out []int64
	for _, r := range rows {
		out = append(out, r.Item.ID)
	}
	return out
}

func TestRankOverrides(t *testing.T) {
	w := DefaultWeights()
	at := now.Add(-time.Hour)
	tests := []struct {
		name      string
		overrides []Override
		want      []int64
	}{
		{"score order", nil, []int64{1, 2, 3, 4, 5}},
		{"pin", []Override{{Kind: KindTicket, ID: 5, Pin: true, Reason: "CEO", At: at}}, []int64{5, 1, 2, 3, 4}},
		{"pins in order", []Override{
			{Kind: KindTicket, ID: 4, Pin: true, Reason: "a"},
			{Kind: KindTicket, ID: 3, Pin: true, Reason: "b"}}, []int64{4, 3, 1, 2, 5}},
		{"move down", []Override{{Kind: KindTicket, ID: 1, Position: 3, Reason: "waiting on vendor"}}, []int64{2, 3, 1, 4, 5}},
		{"move up", []Override{{Kind: KindTicket, ID: 5, Position: 2, Reason: "x"}}, []int64{1, 5, 2, 3, 4}},
		{"move past end goes last", []Override{{Kind: KindTicket, ID: 2, Position: 99, Reason: "x"}}, []int64{1, 3, 4, 5, 2}},
		{"move above a pin lands after pins", []Override{
			{Kind: KindTicket, ID: 4, Pin: true, Reason: "a"},
			{Kind: KindTicket, ID: 5, Position: 1, Reason: "b"}}, []int64{4, 5, 1, 2, 3}},
		{"two moves", []Override{
			{Kind: KindTicket, ID: 5, Position: 1, Reason: "a"},
			{Kind: KindTicket, ID: 1, Position: 4, Reason: "b"}}, []int64{5, 2, 3, 1, 4}},
		{"last override of an item wins", []Override{
			{Kind: KindTicket, ID: 5, Pin: true, Reason: "a"},
			{Kind: KindTicket, ID: 5, Position: 3, Reason: "b"}}, []int64{1, 2, 5, 3, 4}},
		{"override of a closed item ignored", []Override{{Kind: KindTicket, ID: 77, Pin: true, Reason: "a"}}, []int64{1, 2, 3, 4, 5}},
		{"task with the same id is another item", []Override{{Kind: KindTask, ID: 5, Pin: true, Reason: "a"}}, []int64{1, 2, 3, 4, 5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, err := Rank(rankFixture(), tc.overrides, &w, now)
			if err != nil {
				t.Fatal(err)
			}
			if got := ids(rows); !slices.Equal(got, tc.want) {
				t.Fatalf("order %v, want %v", got, tc.want)
			}
			for i, r := range rows {
				if r.Rank != i+1 {
					t.Errorf("row %d has rank %d", i, r.Rank)
				}
				var want *Override
				for j := range tc.overrides {
					if o := &tc.overrides[j]; o.Kind == r.Item.Kind && o.ID == r.Item.ID {
						want = o
					}
				}
				if (want == nil) != (r.Override == nil) || (want != nil && *want != *r.Override) {
					t.Errorf("item %d explains override %+v, want %+v", r.Item.ID, r.Override, want)
				}
			}
		})
	}
}

func TestRankTieBreak(t *testing.T) {
	w := DefaultWeights()
	items := []Item{
		ticket(9, 3, "prod", 0, 0, "", 0),
		ticket(8, 3, "prod", 0, 0, "", 0),
		ticket(7, 3, "prod", 0, 0, "", time.Hour), // older, same day: same score
		task(8, "high", true, time.Time{}, 0, 0),
		task(2, "high", false, time.Time{}, 0, 0),
	}
	// task 8: 150; tickets: 120; task 2: 75.
	items[3].Task.Priority = "high"
	rows, err := Rank(items, nil, &w, now)
	if err != nil {
		t.Fatal(err)
	}
	type k struct {
		kind Kind
		id   int64
	}
	var got []k
	for _, r := range rows {
		got = append(got, k{r.Item.Kind, r.Item.ID})
	}
	want := []k{{KindTask, 8}, {KindTicket, 7}, {KindTicket, 8}, {KindTicket, 9}, {KindTask, 2}}
	if !slices.Equal(got, want) {
		t.Fatalf("order %v, want %v", got, want)
	}
	// Same result whatever the input order.
	rev := slices.Clone(items)
	slices.Reverse(rev)
	rows2, _ := Rank(rev, nil, &w, now)
	for i := range rows {
		if rows[i].Item.Kind != rows2[i].Item.Kind || rows[i].Item.ID != rows2[i].Item.ID {
			t.Fatalf("order depends on input order at %d", i)
		}
	}
}

func TestRankInvalid(t *testing.T) {
	w := DefaultWeights()
	tests := []struct {
		name      string
		items     []Item
		overrides []Override
		field     string
	}{
		{"duplicate item", []Item{ticket(1, 1, "", 0, 0, "", 0), ticket(1, 2, "", 0, 0, "", 0)}, nil, "id"},
		{"bad item", []Item{ticket(1, 0, "", 0, 0, "", 0)}, nil, "severity"},
		{"no reason", rankFixture(), []Override{{Kind: KindTicket, ID: 1, Pin: true}}, "reason"},
		{"pin and move", rankFixture(), []Override{{Kind: KindTicket, ID: 1, Pin: true, Position: 2, Reason: "x"}}, "position"},
		{"neither", rankFixture(), []Override{{Kind: KindTicket, ID: 1, Reason: "x"}}, "position"},
		{"bad kind", rankFixture(), []Override{{Kind: "x", ID: 1, Pin: true, Reason: "x"}}, "kind"},
	}
	for _, tc := range tests {
		_, err := Rank(tc.items, tc.overrides, &w, now)
		var e *opsdesk.Error
		if !errors.As(err, &e) || e.Kind != opsdesk.KindInvalid || e.Field != tc.field {
			t.Errorf("%s: error %v, want invalid %q", tc.name, err, tc.field)
		}
	}
}

func TestFilter(t *testing.T) {
	w := DefaultWeights()
	items := rankFixture()
	items[0].Level, items[0].Domain, items[0].Assignee, items[0].Customer = "N2", "network", 7, 100
	items[2].Level, items[2].Domain, items[2].Assignee, items[2].Customer = "N2", "network", 8, 200
	items[4].Domain, items[4].Assignee, items[4].Customer = "db", 7, 100
	rows, err := Rank(items, nil, &w, now)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		f         Filter
		want      []int64
		wantRanks []int
	}{
		{Filter{}, []int64{1, 2, 3, 4, 5}, []int{1, 2, 3, 4, 5}},
		{Filter{Level: "N2"}, []int64{1, 5}, []int{1, 5}},
		{Filter{Domain: "network"}, []int64{1, 5}, []int{1, 5}},
		{Filter{Agent: 7}, []int64{2, 5}, []int{2, 5}},
		{Filter{Customer: 100, Level: "N1"}, []int64{2}, []int{2}},
		{Filter{Customer: 300}, nil, nil},
	}
	for _, tc := range tests {
		got := tc.f.Apply(rows)
		var ranks []int
		for _, r := range got {
			ranks = append(ranks, r.Rank)
		}
		if !slices.Equal(ids(got), tc.want) || !slices.Equal(ranks, tc.wantRanks) {
			t.Errorf("%+v: ids %v ranks %v, want %v %v", tc.f, ids(got), ranks, tc.want, tc.wantRanks)
		}
	}
}
