package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/opsdesk/opsdesk/internal/store"
)

// heartbeatEvery is how often an idle stream sends a comment, so that proxies and browsers
// keep it open and a vanished client is noticed.
const heartbeatEvery = 25 * time.Second

// streamLifetime ends a stream after a while; the browser reconnects at once, through the
// session check again, so a stream never outlives its session by long.
const streamLifetime = 15 * time.Minute

// events streams ticket changes as Server-Sent Events ("event: ticket", data {"key", "kind"}).
// With ?ticket=NUMBER it follows that ticket only, which the caller must be allowed to see. The
// vendor's team receives every change; a customer only those of their organisation's tickets,
// each checked through the store before it is sent. The stream ends when the client goes, when
// the HTTP server shuts down, or after streamLifetime.
func (s *Server) events(c *call) {
	follow := ""
	if key := c.r.URL.Query().Get("ticket"); key != "" {
		t, err := s.db.TicketByKey(c.ctx, key)
		if err != nil {
			s.fail(c, err)
			return
		}
		follow = t.Key
	}
	rc := http.NewResponseController(c.w)
	shutdown := s.streams.shutdown(c.r) // before the client hears of the stream: a shutdown may follow at once
	changes, unsubscribe := s.db.Subscribe()
	defer unsubscribe()
	h := c.w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no") // nginx: do not hold the stream back
	c.w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(c.w, "retry: 3000\n: connected\n\n"); err != nil || rc.Flush() != nil {
		return
	}
	ctx, cancel := context.WithTimeout(c.ctx, streamLifetime)
	defer cancel()
	beat := time.NewTicker(heartbeatEvery)
	defer beat.Stop()
	for {
		var msg string
		select {
		case <-ctx.Done():
			return
		case <-shutdown:
			return
		case <-beat.C:
			msg = ": heartbeat\n\n"
		case ch := <-changes:
			if !s.mayFollow(ctx, c, follow, ch) {
				continue
			}
			b, _ := json.Marshal(ch)
			msg = "event: ticket\ndata: " + string(b) + "\n\n"
		}
		if _, err := fmt.Fprint(c.w, msg); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// mayFollow tells whether a change goes to this stream: the followed ticket's only, and for a
// customer only a ticket the store lets them read.
func (s *Server) mayFollow(ctx context.Context, c *call, follow string, ch store.TicketChange) bool {
	key := strings.ToUpper(ch.Key)
	if follow != "" && key != follow {
		return false
	}
	if c.actor().IsStaff() {
		return true
	}
	_, err := s.db.TicketByKey(ctx, key)
	return err == nil
}

// streams ends the live-update streams of an HTTP server when it shuts down. The server waits
// for active requests, and a stream never ends by itself: each stream registers, once per
// server, a hook that closes a channel all its streams wait on.
type streams struct {
	mu   sync.Mutex
	done map[*http.Server]chan struct{}
}

// shutdown returns a channel closed when the request's HTTP server shuts down (nil, never
// closed, when the request names no server).
func (st *streams) shutdown(r *http.Request) <-chan struct{} {
	srv, _ := r.Context().Value(http.ServerContextKey).(*http.Server)
	if srv == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if ch, ok := st.done[srv]; ok {
		return ch
	}
	if st.done == nil {
		st.done = map[*http.Server]chan struct{}{}
	}
	ch := make(chan struct{})
	st.done[srv] = ch
	srv.RegisterOnShutdown(func() {
		st.mu.Lock()
		defer st.mu.Unlock()
		delete(st.done, srv)
		close(ch)
	})
	return ch
}
