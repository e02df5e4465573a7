package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// kbPanelSize is how many similar tickets and relevant articles the Knowledge panel shows.
const kbPanelSize = 5

// ticketKB is the "Knowledge" panel of the agent's ticket page: the articles linked to it and
// the steps of the linked procedures to follow, each ticked into the ticket's history — read
// with the page, they are cheap — and the resolved tickets like this one and the articles that
// may solve it, which cost full-text searches: those come on demand (ticket_kb_lists.go).
type ticketKB struct {
	Base       string   // the ticket's URL; the panel's forms post under it
	Lists      *kbLists // the searched lists, when the page was asked with them; nil otherwise
	Form       *form    // a panel form that failed: its message and input
	Linked     []opsdesk.ArticleLink
	Procedures []procedureView
}

// procedureView is a linked procedure with its steps in the page's language (or the one it has).
type procedureView struct {
	ArticleID int64
	Title     string
	Lang      opsdesk.Lang
	Steps     []stepView
}

// stepView is one step of a procedure followed on a ticket, with its last tick if it has one.
type stepView struct {
	opsdesk.Step
	Done *stepTick
}

// stepTick is when and by whom a step was ticked on this ticket, with what they saw.
type stepTick struct {
	Who  string
	At   time.Time
	Note string
}

// ticketKBPanel reads the panel of a ticket's page; f is the panel's form that failed, if any.
// The searched lists are read only for ?knowledge=1 (the link of a browser without script).
func (s *Server) ticketKBPanel(c *call, t *opsdesk.Ticket, f *form) (*ticketKB, error) {
	p := &ticketKB{Base: ticketURL(t.Key), Form: f}
	if p.Form == nil {
		p.Form = newForm("kb", nil)
	}
	var err error
	if p.Linked, err = s.db.TicketArticles(c.ctx, t.Key, c.lang); err != nil {
		return nil, err
	}
	if c.r.Method == http.MethodGet && c.r.URL.Query().Get("knowledge") == "1" {
		if p.Lists, err = s.ticketKBLists(c, t, p.Linked); err != nil {
			return nil, err
		}
	}
	ticks, err := s.stepTicks(c, t.Key)
	if err != nil {
		return nil, err
	}
	for _, l := range p.Linked {
		if l.Kind != opsdesk.ArticleProcedure {
			continue
		}
		a, err := s.db.ArticleByID(c.ctx, l.ArticleID)
		if err != nil {
			return nil, err
		}
		text := a.Text(c.lang)
		if text == nil {
			continue
		}
		pv := procedureView{ArticleID: a.ID, Title: text.Title, Lang: text.Lang}
		for _, st := range text.Steps {
			pv.Steps = append(pv.Steps, stepView{Step: st, Done: ticks[stepRef{a.ID, st.Position}]})
		}
		p.Procedures = append(p.Procedures, pv)
	}
	return p, nil
}

// stepRef names a step of a procedure.
type stepRef struct {
	article int64
	step    int
}

// stepTicks reads the steps ticked on a ticket from its history (the last tick of each).
func (s *Server) stepTicks(c *call, key string) (map[stepRef]*stepTick, error) {
	events, err := s.db.History(c.ctx, key)
	if err != nil {
		return nil, err
	}
	out := map[stepRef]*stepTick{}
	for _, e := range events {
		if e.Kind != opsdesk.EventStepDone {
			continue
		}
		if a, n, ok := parseStepField(e.Field); ok {
			out[stepRef{a, n}] = &stepTick{Who: e.ActorLabel, At: e.At, Note: e.Reason}
		}
	}
	return out, nil
}

// parseStepField reads the field of a procedure_step history line: "article 12 step 3".
func parseStepField(field string) (article int64, step int, ok bool) {
	_, err := fmt.Sscanf(field, "article %d step %d", &article, &step)
	return article, step, err == nil
}

// formArticle reads the article id of a form or a path, or answers an invalid field.
func formArticle(v string) (int64, error) {
	id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil || id <= 0 {
		return 0, opsdesk.Invalid("article", "choose an article")
	}
	return id, nil
}

// linkTicketArticle links an article to the ticket of the path, from its Knowledge panel.
func (s *Server) linkTicketArticle(c *call) {
	key := c.r.PathValue("key")
	id, err := formArticle(c.r.PostForm.Get("article"))
	if err == nil {
		err = s.db.LinkArticle(c.ctx, key, id)
	}
	if err != nil {
		s.kbFormError(c, err)
		return
	}
	c.redirect(ticketURL(key) + "?done=kb_linked#knowledge")
}

// unlinkTicketArticle removes the link between the ticket and the article of the path.
func (s *Server) unlinkTicketArticle(c *call) {
	key := c.r.PathValue("key")
	id, err := formArticle(c.r.PathValue("id"))
	if err == nil {
		err = s.db.UnlinkArticle(c.ctx, key, id)
	}
	if err != nil {
		s.kbFormError(c, err)
		return
	}
	c.redirect(ticketURL(key) + "?done=kb_unlinked#knowledge")
}

// tickProcedureStep records in the ticket's history that a step of a linked procedure was
// carried out, with the note of what the agent saw.
func (s *Server) tickProcedureStep(c *call) {
	key := c.r.PathValue("key")
	f := c.r.PostForm
	id, err := formArticle(f.Get("article"))
	if err != nil {
		s.kbFormError(c, err)
		return
	}
	step, err := strconv.Atoi(strings.TrimSpace(f.Get("step")))
	if err != nil || step <= 0 {
		s.kbFormError(c, opsdesk.Invalid("step", "choose a step of the procedure"))
		return
	}
	lang := opsdesk.Lang(f.Get("lang"))
	if !lang.Valid() {
		s.kbFormError(c, opsdesk.Invalid("lang", "must be fr or en"))
		return
	}
	note := strings.TrimSpace(f.Get("note"))
	if len([]rune(note)) > 2000 {
		s.kbFormError(c, opsdesk.Invalid("note", "is longer than 2000 characters"))
		return
	}
	if err := s.db.TickStep(c.ctx, key, id, lang, step, note); err != nil {
		s.kbFormError(c, err)
		return
	}
	c.redirect(ticketURL(key) + "?done=kb_step#knowledge")
}

// kbFormError answers a Knowledge panel form that failed: an invalid or conflicting input
// re-renders the ticket page with the message at the top of the panel and the form's input (a
// step's note stays in its field); anything else (a ticket or article not found, a refusal) is
// the error page.
func (s *Server) kbFormError(c *call, err error) {
	f := newForm("kb", c.r.PostForm)
	s.actionError(c, f, nil, err, func(status int) { s.showTicket(c, status, ticketForms{KB: f}) })
}

// Note is the note a failed tick form sent for the step, to give it back in its field.
func (kb *ticketKB) Note(article int64, step int) string {
	f := kb.Form
	if f == nil || !f.Failed() || f.Get("article") != strconv.FormatInt(article, 10) || f.Get("step") != strconv.Itoa(step) {
		return ""
	}
	return f.Get("note")
}
