package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/opsdesk/opsdesk/internal/store"
)

// inboundStatuses are the tabs of the inbound mail list: the triage queue first, then the other
// messages kept without a ticket; "all" shows every message, whatever became of it.
var inboundStatuses = []string{store.InboundTriage, store.InboundRateLimited, store.InboundRobot, store.InboundBounce}

// inboundPageSize is how many messages one page of the inbound list shows.
const inboundPageSize = 50

// inboundListPage is the data of the inbound mail list.
type inboundListPage struct {
	Status string // a status, or "all"
	Source string // "" for every mailbox
	Tabs   []string
	Mails  []*store.InboundMail
	Next   string // the next (older) page, "" at the end
	First  string // the first page, when not on it
}

// inboundList lists inbound messages by status, newest first: the triage queue by default.
func (s *Server) inboundList(c *call) {
	q := c.r.URL.Query()
	p := inboundListPage{Status: q.Get("status"), Source: q.Get("source"), Tabs: inboundStatuses}
	filter := store.InboundFilter{Status: p.Status, Source: p.Source, BeforeID: queryID(c, "before"), Limit: inboundPageSize}
	switch {
	case p.Status == "all":
		filter.Status = ""
	case !validInboundStatus(p.Status):
		p.Status, filter.Status = store.InboundTriage, store.InboundTriage
	}
	mails, err := s.db.ListInboundMail(c.ctx, filter)
	if err != nil {
		s.fail(c, err)
		return
	}
	p.Mails = mails
	link := func(before int64) string {
		v := url.Values{"status": {p.Status}}
		if p.Source != "" {
			v.Set("source", p.Source)
		}
		if before > 0 {
			v.Set("before", strconv.FormatInt(before, 10))
		}
		return "/admin/mail?" + v.Encode()
	}
	if len(mails) == inboundPageSize {
		p.Next = link(mails[len(mails)-1].ID)
	}
	if filter.BeforeID > 0 {
		p.First = link(0)
	}
	s.render(c, http.StatusOK, "inbound_list", c.T("inbound.title"), p)
}

func validInboundStatus(st string) bool {
	for _, v := range inboundStatuses {
		if v == st {
			return true
		}
	}
	return false
}

// inboundRaw sends the raw message, byte for byte, as an .eml download.
func (s *Server) inboundRaw(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	in, err := s.db.InboundMail(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.serveEML(c, in, fmt.Sprintf("mail-%d.eml", in.ID))
}

// messageRaw sends the raw mail a ticket message came in, for staff.
func (s *Server) messageRaw(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	in, err := s.db.MessageInbound(c.ctx, c.r.PathValue("key"), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.serveEML(c, in, fmt.Sprintf("%s-message-%d.eml", c.r.PathValue("key"), id))
}

// serveEML sends a stored raw message as a download: message/rfc822, never sniffed, never run.
func (s *Server) serveEML(c *call, in *store.InboundMail, name string) {
	file, err := s.blobs.Open(in.RawSHA256)
	if err != nil {
		s.internal(c, fmt.Errorf("inbound mail %d: raw message: %w", in.ID, err))
		return
	}
	defer file.Close()
	h := c.w.Header()
	h.Set("Content-Type", "message/rfc822")
	h.Set("Content-Disposition", contentDisposition(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", AttachmentPolicy)
	h.Set("Cache-Control", "private, no-cache")
	http.ServeContent(c.w, c.r, "", time.Time{}, file)
}
