package plan

import (
	"cmp"
	"slices"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Override is the ops manager's decision on one item: pin it to the top, or
// move it to a 1-based Position. Reason is required and kept in history by
// the caller.
type Override struct {
	Kind     Kind      `json:"kind"`
	ID       int64     `json:"id"`
	Pin      bool      `json:"pin"`
	Position int       `json:"position,omitempty"`
	Reason   string    `json:"reason"`
	By       string    `json:"by,omitempty"`
	At       time.Time `json:"at"`
}

// Validate checks the override, naming the faulty field.
func (o *Override) Validate() error {
	if o.Kind != KindTicket && o.Kind != KindTask && o.Kind != KindPreventive {
		return opsdesk.Invalid("kind", "must be ticket, task or preventive")
	}
	if o.ID <= 0 {
		return opsdesk.Invalid("id", "must be positive")
	}
	if o.Pin == (o.Position > 0) {
		return opsdesk.Invalid("position", "pin the item or give a position of 1 or more, not both")
	}
	if o.Position < 0 {
		return opsdesk.Invalid("position", "must be 1 or more")
	}
	if o.Reason == "" {
		return opsdesk.Invalid("reason", "is required")
	}
	return nil
}

// Row is one ranked item with its explanation.
type Row struct {
	Rank     int       `json:"rank"` // 1-based place in the whole plan
	Item     *Item     `json:"-"`    // points into the slice given to Rank
	Score    int64     `json:"score"`
	Terms    []Term    `json:"terms"`
	Override *Override `json:"override,omitempty"` // the pin or move that placed it, if any
}

type key struct {
	kind Kind
	id   int64
}

// Rank scores every item and orders them: pinned items first, in the order
// of overrides; the rest by score (higher first), then older Created first,
// tickets before tasks before preventive work, lower ID first; then each
// moved item is placed at its Position (after the pins at the earliest; past
// the end it goes last).
// Overrides naming no listed item (closed since) are ignored; an item with
// several overrides keeps the last. Invalid items or overrides are errors.
func Rank(items []Item, overrides []Override, w *Weights, now time.Time) ([]Row, error) {
	rows := make([]Row, len(items))
	index := make(map[key]int, len(items))
	for i := range items {
		it := &items[i]
		if err := it.Validate(); err != nil {
			return nil, err
		}
		k := key{it.Kind, it.ID}
		if _, dup := index[k]; dup {
			return nil, opsdesk.Invalid("id", "%s %d is listed twice", it.Kind, it.ID)
		}
		index[k] = i
		s, terms := Score(it, w, now)
		rows[i] = Row{Item: it, Score: s, Terms: terms}
	}
	last := make(map[key]int, len(overrides))
	for i := range overrides {
		if err := overrides[i].Validate(); err != nil {
			return nil, err
		}
		last[key{overrides[i].Kind, overrides[i].ID}] = i
	}
	var pinned, moved, rest []*Row
	for i := range overrides {
		o := &overrides[i]
		k := key{o.Kind, o.ID}
		j, ok := index[k]
		if !ok || last[k] != i {
			continue
		}
		rows[j].Override = o
		if o.Pin {
			pinned = append(pinned, &rows[j])
		} else {
			moved = append(moved, &rows[j])
		}
	}
	for i := range rows {
		if rows[i].Override == nil {
			rest = append(rest, &rows[i])
		}
	}
	slices.SortFunc(rest, byScore)
	slices.SortStableFunc(moved, func(a, b *Row) int { return cmp.Compare(a.Override.Position, b.Override.Position) })

	out := make([]Row, 0, len(rows))
	for _, r := range pinned {
		out = append(out, *r)
	}
	for len(moved) > 0 || len(rest) > 0 {
		if len(moved) > 0 && (len(rest) == 0 || moved[0].Override.Position <= len(out)+1) {
			out = append(out, *moved[0])
			moved = moved[1:]
			continue
		}
		out = append(out, *rest[0])
		rest = rest[1:]
	}
	for i := range out {
		out[i].Rank = i + 1
	}
	return out, nil
}

func byScore(a, b *Row) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if c := a.Item.Created.Compare(b.Item.Created); c != 0 {
		return c
	}
	if a.Item.Kind != b.Item.Kind {
		return cmp.Compare(kindOrder(a.Item.Kind), kindOrder(b.Item.Kind))
	}
	return cmp.Compare(a.Item.ID, b.Item.ID)
}

// kindOrder breaks ties between kinds: tickets, then tasks, then preventive work.
func kindOrder(k Kind) int {
	switch k {
	case KindTicket:
		return 0
	case KindTask:
		return 1
	}
	return 2
}

// Filter narrows a ranked plan; zero fields match everything.
type Filter struct {
	Level    opsdesk.Level
	Domain   string
	Agent    int64
	Customer int64
}

// Apply returns the rows that match f, in order, keeping each row's Rank in
// the whole plan.
func (f Filter) Apply(rows []Row) []Row {
	var out []Row
	for _, r := range rows {
		it := r.Item
		if (f.Level == "" || it.Level == f.Level) && (f.Domain == "" || it.Domain == f.Domain) &&
			(f.Agent == 0 || it.Assignee == f.Agent) && (f.Customer == 0 || it.Customer == f.Customer) {
			out = append(out, r)
		}
	}
	return out
}
