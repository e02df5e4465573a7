package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/store"
)

// mailboxesPage is the data of the mailbox list, with the form adding one.
type mailboxesPage struct {
	Mailboxes []*store.Mailbox
	Form      *form
	Choices   mailboxChoices
}

// mailboxPage is the data of a mailbox's edit form. Its secrets are never put in the page: the
// password and token inputs are empty, and an empty input keeps the stored value.
type mailboxPage struct {
	Mailbox *store.Mailbox
	Form    *form
	Choices mailboxChoices
}

// mailboxChoices are the selects of the mailbox form.
type mailboxChoices struct {
	Security, Action, Cats, Sevs []option
}

// mailboxes lists the IMAP mailboxes with the outcome of their last poll.
func (s *Server) mailboxes(c *call) { s.showMailboxes(c, http.StatusOK, nil) }

func (s *Server) showMailboxes(c *call, status int, f *form) {
	mbs, err := s.db.ListMailboxes(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	ch, err := s.mailboxChoices(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f == nil {
		f = newForm("mailbox", url.Values{"security": {"tls"}, "folder": {"INBOX"}, "action": {"seen"},
			"poll_seconds": {"60"}, "use_idle": {"on"}, "active": {"on"}})
	}
	s.render(c, status, "mailboxes", c.T("mailbox.list_title"), mailboxesPage{Mailboxes: mbs, Form: f, Choices: ch})
}

// createMailbox adds a mailbox (admins only: the store refuses ops managers).
func (s *Server) createMailbox(c *call) {
	f := newForm("mailbox", c.r.PostForm)
	again := func(status int) { s.showMailboxes(c, status, f) }
	m, ok := mailboxFromForm(c, f, nil)
	if !ok {
		again(http.StatusUnprocessableEntity)
		return
	}
	if err := s.db.SaveMailbox(c.ctx, m); err != nil {
		s.formError(c, f, err, again)
		return
	}
	c.redirect("/admin/mailboxes?done=created")
}

// editMailbox shows a mailbox's form, without its secrets.
func (s *Server) editMailbox(c *call) {
	m, err := s.db.Mailbox(c.ctx, c.r.PathValue("name"))
	if err != nil {
		s.fail(c, err)
		return
	}
	v := url.Values{"name": {m.Name}, "host": {m.Host}, "port": {strconv.Itoa(m.Port)}, "security": {m.Security},
		"username": {m.Username}, "folder": {m.Folder}, "action": {m.Action}, "move_to": {m.MoveTo},
		"category": {m.Category}, "severity": {m.Severity}, "poll_seconds": {strconv.Itoa(m.PollSeconds)}}
	if m.UseIDLE {
		v.Set("use_idle", "on")
	}
	if m.Active {
		v.Set("active", "on")
	}
	s.showMailbox(c, http.StatusOK, m, newForm("mailbox", v))
}

// updateMailbox saves a mailbox; an empty password or token keeps the stored one.
func (s *Server) updateMailbox(c *call) {
	old, err := s.db.Mailbox(c.ctx, c.r.PathValue("name"))
	if err != nil {
		s.fail(c, err)
		return
	}
	f := newForm("mailbox", c.r.PostForm)
	again := func(status int) { s.showMailbox(c, status, old, f) }
	m, ok := mailboxFromForm(c, f, old)
	if !ok {
		again(http.StatusUnprocessableEntity)
		return
	}
	if err := s.db.SaveMailbox(c.ctx, m); err != nil {
		s.formError(c, f, err, again)
		return
	}
	c.redirect("/admin/mailboxes?done=saved")
}

// deleteMailbox removes a mailbox; the messages it delivered stay.
func (s *Server) deleteMailbox(c *call) {
	m, err := s.db.Mailbox(c.ctx, c.r.PathValue("name"))
	if err != nil {
		s.fail(c, err)
		return
	}
	if err := s.db.DeleteMailbox(c.ctx, m.ID); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect("/admin/mailboxes?done=deleted")
}

func (s *Server) showMailbox(c *call, status int, m *store.Mailbox, f *form) {
	ch, err := s.mailboxChoices(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, status, "mailbox", c.T("mailbox.edit_title", m.Name), mailboxPage{Mailbox: m, Form: f, Choices: ch})
}

func (s *Server) mailboxChoices(c *call) (mailboxChoices, error) {
	k, err := s.loadCatalog(c)
	if err != nil {
		return mailboxChoices{}, err
	}
	return mailboxChoices{
		Security: []option{{Value: "tls", Label: c.T("mailbox.security.tls")}, {Value: "starttls", Label: c.T("mailbox.security.starttls")},
			{Value: "none", Label: c.T("mailbox.security.none")}},
		Action: []option{{Value: "seen", Label: c.T("mailbox.action.seen")}, {Value: "move", Label: c.T("mailbox.action.move")}},
		Cats:   k.categoryOptions(c, "mailbox.intake_default"),
		Sevs:   k.severityOptions(c, "mailbox.intake_default"),
	}, nil
}

// mailboxFromForm reads the mailbox form over old (nil for a new mailbox): secrets left empty
// keep old's. ok is false when a number does not read; the message is on the form.
func mailboxFromForm(c *call, f *form, old *store.Mailbox) (*store.Mailbox, bool) {
	m := &store.Mailbox{Name: f.Get("name"), Host: f.Get("host"), Security: f.Get("security"),
		Username: strings.TrimSpace(f.Get("username")), Password: f.Get("password"), XOAuth2Token: strings.TrimSpace(f.Get("xoauth2_token")),
		Folder: strings.TrimSpace(f.Get("folder")), Action: f.Get("action"), MoveTo: strings.TrimSpace(f.Get("move_to")),
		Category: f.Get("category"), Severity: f.Get("severity"), UseIDLE: f.Get("use_idle") != "", Active: f.Get("active") != ""}
	if old != nil {
		m.ID = old.ID
		if m.Password == "" {
			m.Password = old.Password
		}
		if m.XOAuth2Token == "" {
			m.XOAuth2Token = old.XOAuth2Token
		}
	}
	ok := true
	num := func(name string, dst *int) {
		v := strings.TrimSpace(f.Get(name))
		if v == "" {
			return
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			f.Fail(name, c.T("mailbox.not_a_number"))
			ok = false
		}
		*dst = n
	}
	num("port", &m.Port)
	num("poll_seconds", &m.PollSeconds)
	return m, ok
}
