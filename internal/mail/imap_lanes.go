package mail

import (
	"bufio"
	"bytes"
	"context"
	"net/textproto"
	"slices"
	"strings"
	"sync"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// deliverLanes delivers a batch of fetched messages (in UID order) with up to p.Workers
// deliveries at once, and returns the UIDs delivered, in order, and the first failure. Messages
// of one conversation — one names another of the batch in In-Reply-To or References — form a
// lane, delivered in order by one worker, which stops at its first failure: a reply never
// overtakes the message it answers, and so finds its ticket. Independent messages go in parallel,
// so that the intake's durable writes (a file sync, a database commit) overlap.
func (p *IMAPPoller) deliverLanes(ctx context.Context, msgs []*imapclient.FetchMessageBuffer) ([]imap.UID, error) {
	var (
		mu     sync.Mutex
		done   []imap.UID
		failed *deliveryError
		wg     sync.WaitGroup
		slots  = make(chan struct{}, p.Workers)
	)
	for _, lane := range lanes(msgs) {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			for _, m := range lane {
				if ctx.Err() != nil {
					return
				}
				err := p.deliver(ctx, m)
				mu.Lock()
				if err != nil && (failed == nil || m.UID < failed.uid) {
					failed = &deliveryError{uid: m.UID, err: err}
				} else if err == nil {
					done = append(done, m.UID)
				}
				mu.Unlock()
				if err != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	slices.Sort(done)
	if failed != nil {
		return done, failed
	}
	return done, nil
}

// lanes groups messages into conversations: a message joins the lane of any earlier message of
// the batch its In-Reply-To or References name. Lanes and the messages in them keep UID order.
func lanes(msgs []*imapclient.FetchMessageBuffer) [][]*imapclient.FetchMessageBuffer {
	parent := make([]int, len(msgs))
	var find func(i int) int
	find = func(i int) int {
		if parent[i] != i {
			parent[i] = find(parent[i])
		}
		return parent[i]
	}
	byID := map[string]int{}
	for i, m := range msgs {
		parent[i] = i
		id, refs := threadHeaders(m.FindBodySection(wholeMessage))
		for _, r := range refs {
			if j, ok := byID[r]; ok {
				parent[find(i)] = find(j)
			}
		}
		if _, ok := byID[id]; id != "" && !ok {
			byID[id] = i
		}
	}
	var out [][]*imapclient.FetchMessageBuffer
	index := map[int]int{}
	for i, m := range msgs {
		r := find(i)
		k, ok := index[r]
		if !ok {
			k, index[r] = len(out), len(out)
			out = append(out, nil)
		}
		out[k] = append(out[k], m)
	}
	return out
}

// threadHeaders reads a raw message's Message-ID and the IDs its In-Reply-To and References
// name, without the angle brackets. A header block that cannot be read gives what was read.
func threadHeaders(raw []byte) (id string, refs []string) {
	h, _ := textproto.NewReader(bufio.NewReader(bytes.NewReader(raw))).ReadMIMEHeader()
	ids := func(v string) []string {
		var out []string
		for {
			_, rest, ok := strings.Cut(v, "<")
			if !ok {
				return out
			}
			inner, after, ok := strings.Cut(rest, ">")
			if !ok {
				return out
			}
			out, v = append(out, strings.TrimSpace(inner)), after
		}
	}
	if l := ids(h.Get("Message-Id")); len(l) > 0 {
		id = l[0]
	}
	return id, append(ids(h.Get("In-Reply-To")), ids(strings.Join(h.Values("References"), " "))...)
}
