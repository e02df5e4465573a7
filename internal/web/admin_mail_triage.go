package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/store"
)

// inboundPage is the data of one inbound message: its record and, while it is kept without a
// ticket, the forms filing it for a customer or dismissing it.
type inboundPage struct {
	Mail      *store.InboundMail
	Kept      bool // no ticket and not dismissed: it can be filed or dismissed
	File      *form
	Dismiss   *form
	Customers []option
	Cats      []option
	Sevs      []option
}

// inbound shows one inbound message to the vendor's team.
func (s *Server) inbound(c *call) { s.showInbound(c, http.StatusOK, nil, nil) }

func (s *Server) showInbound(c *call, status int, file, dismiss *form) {
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
	p := inboundPage{Mail: in, File: file, Dismiss: dismiss,
		Kept: in.TicketKey == "" && in.TicketID == 0 && in.Status != store.InboundDismissed}
	if p.Kept {
		custs, err := s.db.ListCustomers(c.ctx)
		if err != nil {
			s.fail(c, err)
			return
		}
		p.Customers = []option{{Value: "", Label: c.T("inbound.choose_customer")}}
		for _, cu := range custs {
			p.Customers = append(p.Customers, option{Value: strconv.FormatInt(cu.ID, 10), Label: cu.Code + " — " + cu.Name})
		}
		k, err := s.loadCatalog(c)
		if err != nil {
			s.fail(c, err)
			return
		}
		p.Cats, p.Sevs = k.categoryOptions(c, "inbound.source_default"), k.severityOptions(c, "inbound.source_default")
	}
	if p.File == nil {
		p.File = newForm("file", url.Values{"customer": {id64(in.CustomerID)}})
	}
	if p.Dismiss == nil {
		p.Dismiss = newForm("dismiss", nil)
	}
	title := in.Subject
	if title == "" {
		title = c.T("inbound.no_subject")
	}
	s.render(c, status, "inbound", title, p)
}

// fileInbound turns a kept message into a new ticket of the chosen customer and opens it.
func (s *Server) fileInbound(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("file", c.r.PostForm)
	cust, err := strconv.ParseInt(f.Get("customer"), 10, 64)
	if err != nil || cust <= 0 {
		f.Fail("customer", c.T("inbound.customer_required"))
		s.showInbound(c, http.StatusUnprocessableEntity, f, nil)
		return
	}
	t, err := s.db.FileInboundMail(c.ctx, id, cust, f.Get("category"), f.Get("severity"))
	if err != nil {
		s.actionError(c, f, []string{"customer", "category", "severity"}, err,
			func(status int) { s.showInbound(c, status, f, nil) })
		return
	}
	c.redirect(ticketURL(t.Key) + "?done=mail_filed")
}

// dismissInbound records that a kept message needs nothing, with the reason.
func (s *Server) dismissInbound(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("dismiss", c.r.PostForm)
	if err := s.db.DismissInboundMail(c.ctx, id, strings.TrimSpace(f.Get("reason"))); err != nil {
		s.actionError(c, f, []string{"reason"}, err, func(status int) { s.showInbound(c, status, nil, f) })
		return
	}
	c.redirect("/admin/mail?status=" + store.InboundTriage + "&done=dismissed")
}
