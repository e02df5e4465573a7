package notify

import (
	"context"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// sample is the data a preview renders, in lang; full sets every field and condition (the
// escalation branch included), !full leaves the optional ones empty, so Validate runs both.
func sample(lang opsdesk.Lang, full bool) Data {
	d := Data{Number: "OPS-1042", Level: "N2", Customer: "Acme Industries", Requester: "Alice Martin",
		Recipient: "Alice Martin", Author: "Bruno Petit", URL: "https://support.vendor.example/requests/OPS-1042", Lang: string(lang),
		Severity: opsdesk.DefaultSeverities[1].Label(lang)}
	d.Clock, d.Target = clockName(sla.TakeCharge, lang), formatTarget(4*time.Hour, 0, lang)
	if lang == opsdesk.LangFR {
		d.Subject = "L'export vers la comptabilité échoue depuis la mise à jour"
		d.Body = "Bonjour,\n\nle correctif est déployé en préproduction : pouvez-vous vérifier l'export de ce matin ?\n\nCordialement"
		d.Reason = "Merci de nous envoyer le fichier de journal du traitement de 6 h."
	} else {
		d.Subject = "Export to the accounting system fails since the update"
		d.Body = "Hello,\n\nthe fix is deployed on preproduction: could you check this morning's export?\n\nBest regards"
		d.Reason = "Please send us the log file of the 6 am run."
	}
	d.Environment, d.EnvKind = "Production", envKindName(opsdesk.EnvProd, lang)
	d.Starts, d.Ends, d.Expired = "2026-03-07 22:00 CET", "2026-03-08 02:00 CET", "2026-03-01 18:00 CET"
	d.Access, d.Holder = accessKindName(opsdesk.AccessSSH, lang), "Bruno Petit"
	d.Project, d.Due = "Acme go-live", "2026-03-06"
	d.Phase, d.Item = "Technical pre-framing", "Network and flows"
	if lang == opsdesk.LangFR {
		d.Phase, d.Item = "Pré-cadrage technique", "Réseau et flux"
	}
	d.Month, d.Created, d.Resolved, d.OpenAtEnd, d.OpenActions = "March 2026", "14", "12", "3", "2"
	d.SLA, d.Availability, d.Satisfaction, d.Answers = "96.0%", "99.95%", "4.3 / 5", "9"
	if lang == opsdesk.LangFR {
		d.Month, d.SLA, d.Availability, d.Satisfaction = "mars 2026", "96,0 %", "99,95 %", "4,3 / 5"
	}
	if full {
		d.ForHolder = true
		d.HandlingTime, d.Escalated, d.Deadline = "4 h", true, "2026-03-02 14:00 CET"
		d.Summary = d.Body
		d.SurveyYes = "https://support.vendor.example/survey/3q2-7wEHPkSY6mJ0TtH4sFo1zZ9bRkXh2cVdA8uLnYg?solved=yes"
		d.SurveyNo = "https://support.vendor.example/survey/3q2-7wEHPkSY6mJ0TtH4sFo1zZ9bRkXh2cVdA8uLnYg?solved=no"
	} else {
		d.Recipient, d.Author, d.Body, d.Reason = "", "", "", ""
		d.SLA, d.Availability, d.Satisfaction = "", "", ""
	}
	return d
}

// Preview renders the template in force for a kind and language (the admins' override, else
// the built-in one) with sample data, for the template editor. Errors: invalid (kind, lang, or a
// stored template that no longer renders).
func (n *Notifier) Preview(ctx context.Context, kind Kind, lang opsdesk.Lang) (subject, text, html string, err error) {
	t, _, err := n.Template(ctx, kind, lang)
	if err != nil {
		return "", "", "", err
	}
	return PreviewTemplate(t)
}

// PreviewTemplate checks a draft template (see Validate) and renders it with sample data, so an
// admin sees the result before saving. Errors: invalid, naming the part and the problem.
func PreviewTemplate(t *store.MailTemplate) (subject, text, html string, err error) {
	if err := Validate(t); err != nil {
		return "", "", "", err
	}
	r, err := RenderTemplate(t, sample(t.Lang, true))
	return r.Subject, r.Text, r.HTML, err
}

// SaveTemplate checks an admin's template (see Validate) and stores it as the override of its
// kind and language. Errors: forbidden (not an admin), invalid (naming the part and the problem).
func (n *Notifier) SaveTemplate(ctx context.Context, t *store.MailTemplate) error {
	if !opsdesk.ActorFrom(ctx).IsAdmin() {
		return opsdesk.Forbidden("only admins change mail templates")
	}
	if err := Validate(t); err != nil {
		return err
	}
	return n.db.SaveMailTemplate(ctx, t)
}

// ResetTemplate removes the override of a kind and language: the built-in template applies
// again. Errors: forbidden, not found (no override).
func (n *Notifier) ResetTemplate(ctx context.Context, kind Kind, lang opsdesk.Lang) error {
	return n.db.DeleteMailTemplate(ctx, string(kind), lang)
}

// TemplateInfo is one line of the template editor's list.
type TemplateInfo struct {
	Kind      Kind
	Lang      opsdesk.Lang
	Custom    bool   // an admin's override is in force
	UpdatedBy string // who saved the override
	UpdatedAt time.Time
}

// Templates lists every kind and language, saying which are overridden. Staff only.
func (n *Notifier) Templates(ctx context.Context) ([]TemplateInfo, error) {
	custom, err := n.db.ListMailTemplates(ctx)
	if err != nil {
		return nil, err
	}
	var out []TemplateInfo
	for _, k := range Kinds {
		for _, l := range []opsdesk.Lang{opsdesk.LangFR, opsdesk.LangEN} {
			info := TemplateInfo{Kind: k, Lang: l}
			for _, c := range custom {
				if c.Kind == string(k) && c.Lang == l {
					info.Custom, info.UpdatedBy, info.UpdatedAt = true, c.UpdatedBy, c.UpdatedAt
				}
			}
			out = append(out, info)
		}
	}
	return out, nil
}
