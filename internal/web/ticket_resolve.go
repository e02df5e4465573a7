package web

import (
	"net/url"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Resolving a ticket on its page (docs/followup.md): the status form carries, for the move to
// resolved, the resolution summary (public), the cause code (internal) and, when the severity
// requires the knowledge base, the "create a draft article" box. On a resolved or closed ticket
// the closure box offers to record the case in the knowledge base.

// resolveBox is what the ticket page shows of resolution and closure.
type resolveBox struct {
	Offered    bool     // the status form may move the ticket to resolved
	Causes     []option // the active cause codes
	KBRequired bool     // the ticket's severity needs an article at resolution
	Summary    string   // the last resolution's summary, if any
	Cause      string   // the label of the last resolution's cause
	Closure    bool     // resolved or closed: the knowledge-base offer shows
	Linked     []opsdesk.ArticleLink
	DraftURL   string
}

// ticketResolveBox reads the box of a ticket's page and prefills the status form's resolution
// fields from the last resolution (a form being re-rendered keeps its input).
func (s *Server) ticketResolveBox(c *call, t *opsdesk.Ticket, forms *ticketForms) (*resolveBox, error) {
	b := &resolveBox{Summary: t.ResolutionSummary, DraftURL: ticketURL(t.Key) + "/kb-draft",
		Closure: t.Status == opsdesk.StatusResolved || t.Status == opsdesk.StatusClosed}
	for _, st := range opsdesk.NextStatuses(t.Status) {
		b.Offered = b.Offered || st == opsdesk.StatusResolved
	}
	causes, err := s.db.CauseCodes(c.ctx, true)
	if err != nil {
		return nil, err
	}
	b.Causes = []option{{Value: "", Label: c.T("resolve.choose_cause")}}
	for _, cc := range causes {
		if cc.Code == t.Cause {
			b.Cause = cc.Label(c.lang)
		}
		if cc.Active {
			b.Causes = append(b.Causes, option{Value: cc.Code, Label: cc.Label(c.lang)})
		}
	}
	if b.Cause == "" {
		b.Cause = t.Cause
	}
	sevs, err := s.db.Severities(c.ctx)
	if err != nil {
		return nil, err
	}
	for _, sv := range sevs {
		b.KBRequired = b.KBRequired || (sv.Code == t.Severity && sv.KBRequired)
	}
	if b.Linked, err = s.db.TicketArticles(c.ctx, t.Key, c.lang); err != nil {
		return nil, err
	}
	if forms.Status == nil {
		v := url.Values{"resolution": {t.ResolutionSummary}, "cause": {t.Cause}}
		if len(b.Linked) == 0 {
			v.Set("draft_article", "on")
		}
		forms.Status = newForm("status", v)
	}
	return b, nil
}

// resolutionFromForm reads the resolution fields of the status form.
func resolutionFromForm(f *form) *opsdesk.Resolution {
	return &opsdesk.Resolution{Summary: f.Get("resolution"), Cause: f.Get("cause"), DraftArticle: f.Get("draft_article") != ""}
}

// resolveFailed shows a refused resolution next to its field, in the user's language, and
// tells whether it did.
func resolveFailed(c *call, f *form, err error, again func(status int)) bool {
	if opsdesk.ErrorKind(err) != opsdesk.KindInvalid {
		return false
	}
	var field, key string
	switch opsdesk.ErrorField(err) {
	case "resolution":
		field, key = "resolution", "resolve.err_summary"
		if f.Get("status") != string(opsdesk.StatusResolved) {
			field, key = "status", "resolve.err_not_resolving"
		} else if n := len([]rune(f.Get("resolution"))); n > opsdesk.MaxResolutionSummary {
			key = "resolve.err_summary_long"
		}
	case "cause":
		field, key = "cause", "resolve.err_cause"
	case "article":
		field, key = "draft_article", "resolve.err_article"
	default:
		return false
	}
	f.Fail(field, c.T(key))
	again(422)
	return true
}

// kbDraft creates a draft article from the ticket and opens it for editing.
func (s *Server) kbDraft(c *call) {
	a, err := s.db.DraftArticleFromTicket(c.ctx, c.r.PathValue("key"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.redirect("/kb/" + itoa(int(a.ID)) + "/edit")
}

// causeLabels names every cause code, retired ones included, in the call's language.
func (s *Server) causeLabels(c *call) (map[string]string, error) {
	causes, err := s.db.CauseCodes(c.ctx, true)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(causes))
	for _, cc := range causes {
		out[cc.Code] = cc.Label(c.lang)
	}
	return out, nil
}
