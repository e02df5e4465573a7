package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// requestFormPage is the data of the online request form.
type requestFormPage struct {
	Form           *form
	Severities     []severityChoice
	Categories     []option
	Envs           []option
	ImpactRequired bool   // the chosen severity asks for the impact
	ImpactFor      string // the severities that ask for it, for the hint
	MaxUpload      string
	Visit          string      // the key of this visit of the form, for the suggestions' deflections
	Suggest        *suggestBox // the articles suggested for the subject; nil before a search
}

// severityChoice is one radio button of the severity scale with its explanation.
type severityChoice struct {
	Code, Label, Help string
	RequiresImpact    bool
	Checked           bool
}

func (s *Server) showRequestForm(c *call, status int, f *form) { s.requestForm(c, status, f, nil) }

// requestForm renders the request form, with the articles suggested for its subject if any.
func (s *Server) requestForm(c *call, status int, f *form, sug *suggestBox) {
	k, err := s.loadCatalog(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	envs, err := s.db.ListEnvironments(c.ctx, c.user.CustomerID)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := requestFormPage{Form: f, Categories: k.categoryOptions(c, "request.choose_category"),
		Envs: envOptions(c, envs, "request.no_environment"), MaxUpload: formatSize(c.lang, s.cfg.MaxUpload),
		Visit: visitOf(c, f), Suggest: sug}
	var needImpact []string
	for _, sv := range k.Severities {
		ch := severityChoice{Code: sv.Code, Label: sv.Label(c.lang), Help: sv.Help(c.lang), RequiresImpact: sv.RequiresImpact,
			Checked: f.Get("severity") == sv.Code}
		p.Severities = append(p.Severities, ch)
		if sv.RequiresImpact {
			needImpact = append(needImpact, ch.Label)
			p.ImpactRequired = p.ImpactRequired || ch.Checked
		}
	}
	p.ImpactFor = strings.Join(needImpact, ", ")
	s.render(c, status, "request_new", c.T("request.new_title"), p)
}

// newRequest shows the empty request form.
func (s *Server) newRequest(c *call) {
	s.showRequestForm(c, http.StatusOK, newForm("request", url.Values{}))
}

// fileRequest files a customer's request. The fields are checked first, all at once, so that
// every message shows next to its input; then the attachments are written to the attachment
// store and the ticket created with them, so that a record only ever names stored content.
func (s *Server) fileRequest(c *call) {
	f := newForm("request", c.r.PostForm)
	if f.Get("suggest") != "" {
		s.suggestFromForm(c, f)
		return
	}
	again := func(status int) {
		keepFilesHint(c, f)
		s.showRequestForm(c, status, f)
	}
	k, err := s.loadCatalog(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	n := &opsdesk.NewTicket{CustomerID: c.user.CustomerID, RequesterEmail: c.user.Email, RequesterName: c.user.Name,
		Severity: f.Get("severity"), Category: f.Get("category"), Subject: f.Get("subject"), Description: f.Get("description"),
		Impact: f.Get("impact"), Channel: opsdesk.ChannelWeb}
	if err := s.checkEnvironment(c, f, n); err != nil {
		s.fail(c, err)
		return
	}
	s.checkRequest(c, f, k, n)
	if f.Failed() {
		again(http.StatusUnprocessableEntity)
		return
	}
	if n.Attachments, err = s.storeUploads(c, f); err != nil {
		s.internal(c, err)
		return
	}
	if f.Failed() {
		again(http.StatusUnprocessableEntity)
		return
	}
	t, err := s.db.CreateTicket(c.ctx, n)
	if err != nil {
		s.actionError(c, f, requestFields, err, again)
		return
	}
	s.endVisit(c, f)
	c.redirect(requestURL(t.Key) + "?done=filed")
}

// checkRequest records a message for every field of the request that cannot be filed as it is.
// The store applies the same rules (and more); checking here names them all at once, with the
// severity in the reader's language.
func (s *Server) checkRequest(c *call, f *form, k *catalog, n *opsdesk.NewTicket) {
	required := i18n.Domain(c.lang, "is required")
	if strings.TrimSpace(n.Subject) == "" {
		f.Fail("subject", required)
	} else if len([]rune(strings.TrimSpace(n.Subject))) > 250 {
		f.Fail("subject", i18n.Domain(c.lang, "is longer than 250 characters"))
	}
	if strings.TrimSpace(n.Description) == "" {
		f.Fail("description", required)
	}
	switch sv := k.severity(n.Severity); {
	case n.Severity == "":
		f.Fail("severity", c.T("request.choose_severity"))
	case sv == nil:
		f.Fail("severity", i18n.Domain(c.lang, strconv.Quote(n.Severity)+" is not a severity"))
	case sv.RequiresImpact && strings.TrimSpace(n.Impact) == "":
		f.Fail("impact", c.T("request.impact_required", sv.Label(c.lang)))
	}
	switch {
	case n.Category == "":
		f.Fail("category", required)
	case !k.activeCategory(n.Category):
		f.Fail("category", i18n.Domain(c.lang, strconv.Quote(n.Category)+" is not a category"))
	}
}

// requestFields are the inputs of the request form; a refusal about anything else (the
// requester, say) is shown at the top of the form.
var requestFields = []string{"environment", "severity", "category", "subject", "description", "impact", attachmentsField}

// checkEnvironment reads the chosen environment, which must be one of the organisation's.
func (s *Server) checkEnvironment(c *call, f *form, n *opsdesk.NewTicket) error {
	v := f.Get("environment")
	if v == "" {
		return nil
	}
	envs, err := s.db.ListEnvironments(c.ctx, c.user.CustomerID)
	if err != nil {
		return err
	}
	for _, e := range envs {
		if strconv.FormatInt(e.ID, 10) == v {
			n.EnvironmentID = e.ID
			return nil
		}
	}
	f.Fail("environment", c.T("request.bad_environment"))
	return nil
}

// requestURL is the portal page of a request.
func requestURL(key string) string { return "/requests/" + url.PathEscape(key) }
