package web

import (
	"net/http"
	"net/url"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// templateFields are the fields a mail template may use, in the order the help lists them
// (docs/mail.md, "Templates"); each is described under "tpl.field.<name>".
var templateFields = []string{"Number", "Subject", "Severity", "Level", "Customer", "Requester", "Recipient", "Author",
	"Body", "Reason", "HandlingTime", "Clock", "Target", "Deadline", "URL", "Escalated", "Lang"}

// templatesPage is the data of the template list.
type templatesPage struct {
	Templates []notify.TemplateInfo
}

// templatePage is the data of the template editor: the draft, and its rendering with sample
// data when the admin asked for a preview.
type templatePage struct {
	Kind    notify.Kind
	Lang    opsdesk.Lang
	Custom  bool
	Form    *form
	Preview *templatePreview
	Fields  []string
	Base    string // the editor's URL
}

// templatePreview is a draft rendered with sample data.
type templatePreview struct {
	Subject, Text, HTML string
}

// mailTemplates lists every kind and language of notification, saying which are overridden.
func (s *Server) mailTemplates(c *call) {
	if !s.needMail(c) {
		return
	}
	ts, err := s.mail.Templates(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.render(c, http.StatusOK, "mail_templates", c.T("tpl.title"), templatesPage{Templates: ts})
}

// templateKey reads the kind and language of the path; ok is false (and a 404 answered) for
// anything else.
func (s *Server) templateKey(c *call) (notify.Kind, opsdesk.Lang, bool) {
	kind, lang := notify.Kind(c.r.PathValue("kind")), opsdesk.Lang(c.r.PathValue("lang"))
	if !kind.Valid() || !lang.Valid() {
		s.notFound(c)
		return "", "", false
	}
	return kind, lang, s.needMail(c)
}

// mailTemplate shows the editor of a template, starting from the one in force.
func (s *Server) mailTemplate(c *call) {
	kind, lang, ok := s.templateKey(c)
	if !ok {
		return
	}
	t, _, err := s.mail.Template(c.ctx, kind, lang)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := newForm("tpl", url.Values{"subject": {t.Subject}, "text": {t.Text}, "html": {t.HTML}})
	s.showTemplate(c, http.StatusOK, kind, lang, f, nil)
}

// saveMailTemplate previews the draft (button "preview") or saves it (button "save"); a
// template that does not parse or render is shown back with the message next to its part.
func (s *Server) saveMailTemplate(c *call) {
	kind, lang, ok := s.templateKey(c)
	if !ok {
		return
	}
	f := newForm("tpl", c.r.PostForm)
	draft := &store.MailTemplate{Kind: string(kind), Lang: lang, Subject: f.Get("subject"), Text: f.Get("text"), HTML: f.Get("html")}
	again := func(status int) { s.showTemplate(c, status, kind, lang, f, nil) }
	if f.Get("do") == "preview" {
		subject, text, html, err := notify.PreviewTemplate(draft)
		if err != nil {
			s.actionError(c, f, []string{"subject", "text", "html"}, err, again)
			return
		}
		s.showTemplate(c, http.StatusOK, kind, lang, f, &templatePreview{Subject: subject, Text: text, HTML: html})
		return
	}
	if err := s.mail.SaveTemplate(c.ctx, draft); err != nil {
		s.actionError(c, f, []string{"subject", "text", "html"}, err, again)
		return
	}
	c.redirect(templateURL(kind, lang) + "?done=saved")
}

// resetMailTemplate removes the admins' override: the built-in template applies again.
func (s *Server) resetMailTemplate(c *call) {
	kind, lang, ok := s.templateKey(c)
	if !ok {
		return
	}
	if err := s.mail.ResetTemplate(c.ctx, kind, lang); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect(templateURL(kind, lang) + "?done=template_reset")
}

func (s *Server) showTemplate(c *call, status int, kind notify.Kind, lang opsdesk.Lang, f *form, preview *templatePreview) {
	_, custom, err := s.mail.Template(c.ctx, kind, lang)
	if err != nil {
		s.fail(c, err)
		return
	}
	p := templatePage{Kind: kind, Lang: lang, Custom: custom, Form: f, Preview: preview, Fields: templateFields,
		Base: templateURL(kind, lang)}
	s.render(c, status, "mail_template", c.T("tpl.edit_title", c.T("tpl.kind."+string(kind)), c.T("lang."+string(lang))), p)
}

func templateURL(kind notify.Kind, lang opsdesk.Lang) string {
	return "/admin/templates/" + url.PathEscape(string(kind)) + "/" + url.PathEscape(string(lang))
}
