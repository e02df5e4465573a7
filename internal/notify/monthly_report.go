package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/report"
	"github.com/opsdesk/opsdesk/internal/store"
)

// SendMonthlyReport queues the monthly service report of a customer for a month to the
// customer's contacts — the recipients of the maintenance announcements (store.NoticeContacts:
// every contact whose login is not disabled) — each in their language (the contact's, else the
// customer's, else the default), with the headline figures of the report as the customer may
// read it (store.MonthlyReport.ForCustomer) and a link to its portal page. It returns how many
// mails it added.
//
// sentAt zero is the scheduled send: each mail is keyed by the customer, the month and the
// recipient, so the schedule, a retry or a second instance never sends a month twice. A send on
// demand passes the instant it was asked at, which goes into the key: it always sends, also
// after the scheduled one.
func (n *Notifier) SendMonthlyReport(ctx context.Context, customerID int64, year int, month time.Month, sentAt time.Time) (int, error) {
	if !opsdesk.ActorFrom(ctx).IsStaff() {
		return 0, opsdesk.Forbidden("only the vendor's team sends monthly reports")
	}
	ctx = systemCtx(ctx)
	rep, err := n.db.MonthlyReport(ctx, customerID, year, month)
	if err != nil {
		return 0, fmt.Errorf("monthly report of customer %d: %w", customerID, err)
	}
	rep = rep.ForCustomer()
	contacts, err := n.db.NoticeContacts(ctx, customerID)
	if err != nil {
		return 0, fmt.Errorf("monthly report of customer %d: %w", customerID, err)
	}
	cause := fmt.Sprintf("monthly-report:%d:%04d-%02d", customerID, year, int(month))
	if !sentAt.IsZero() {
		cause += fmt.Sprintf(":sent-%d", sentAt.UnixMilli())
	}
	var mails []*store.OutboxMail
	for _, c := range contacts {
		r := recipient{Email: c.Email, Name: c.Name, Lang: c.Lang}
		if !r.Lang.Valid() {
			r.Lang = rep.Customer.Lang
		}
		if !r.Lang.Valid() {
			r.Lang = n.opt.Lang
		}
		m, err := n.reportMail(ctx, cause, rep, r)
		if err != nil {
			return 0, fmt.Errorf("monthly report of customer %d: %w", customerID, err)
		}
		mails = append(mails, m)
	}
	if len(mails) == 0 {
		return 0, nil
	}
	added, err := n.db.QueueMails(ctx, mails, n.sendJob)
	if err != nil {
		return 0, fmt.Errorf("monthly report of customer %d: %w", customerID, err)
	}
	if added > 0 {
		n.wake()
	}
	return added, nil
}

// reportMail renders the report's mail for r, keyed by cause and address.
func (n *Notifier) reportMail(ctx context.Context, cause string, rep *store.MonthlyReport, r recipient) (*store.OutboxMail, error) {
	d := ReportFigures(rep, r.Lang)
	d.Recipient, d.Lang = r.Name, string(r.Lang)
	d.URL = strings.TrimSuffix(n.opt.BaseURL, "/") + fmt.Sprintf("/report?month=%04d-%02d", rep.Year, int(rep.Month))
	rd, err := n.Render(ctx, KindMonthlyReport, r.Lang, d)
	if err != nil {
		return nil, fmt.Errorf("%s to %s: %w", KindMonthlyReport, r.Email, err)
	}
	b := make([]byte, 10)
	rand.Read(b)
	return &store.OutboxMail{
		DedupKey: cause + ":" + string(KindMonthlyReport) + ":" + strings.ToLower(r.Email), Kind: string(KindMonthlyReport),
		Lang: r.Lang, To: r.Email, ToName: r.Name, Subject: rd.Subject, Text: rd.Text, HTML: rd.HTML,
		MailMessageID: fmt.Sprintf("opsdesk.report%d.%s@%s", rep.Customer.ID, hex.EncodeToString(b), n.domain),
		AutoSubmitted: KindMonthlyReport.AutoSubmitted(), CustomerFacing: true,
	}, nil
}

// ReportFigures are the headline figures of a report as a mail in lang writes them: the month,
// the ticket counts, the share of SLA targets met over every clock, the availability over the
// production environments in the report (checks up ÷ checks), the average rating and the open
// actions. A share with nothing counted is "".
func ReportFigures(rep *store.MonthlyReport, lang opsdesk.Lang) Data {
	loc := report.LocaleFor(lang)
	d := Data{Customer: rep.Customer.Name, Month: fmt.Sprintf("%s %d", loc.Months[rep.Month-1], rep.Year),
		Created: fmt.Sprint(rep.Created), Resolved: fmt.Sprint(rep.Resolved), OpenAtEnd: fmt.Sprint(rep.OpenAtTo),
		OpenActions: fmt.Sprint(len(rep.Actions))}
	var met, counted int
	for _, c := range rep.SLATotals() {
		met, counted = met+c.Met, counted+c.Met+c.Breached
	}
	if counted > 0 {
		d.SLA = percent(float64(met)/float64(counted), 1, lang)
	}
	var up, checks int
	for _, a := range rep.Availability {
		up, checks = up+a.OK, checks+a.Checks
	}
	if checks > 0 {
		d.Availability = percent(float64(up)/float64(checks), 2, lang)
	}
	if ind := rep.Indicators; ind != nil && ind.CSATRated > 0 {
		d.Satisfaction = decimal(ind.CSATAverage, 1, lang) + " / 5"
		d.Answers = fmt.Sprint(ind.CSATRated)
	}
	return d
}

// percent writes a share as a percentage with digits decimals: "96.0%" in English, "96,0 %" in
// French.
func percent(share float64, digits int, lang opsdesk.Lang) string {
	if lang == opsdesk.LangFR {
		return decimal(100*share, digits, lang) + "\u00a0%"
	}
	return decimal(100*share, digits, lang) + "%"
}

// decimal writes a number with digits decimals and the language's decimal mark.
func decimal(v float64, digits int, lang opsdesk.Lang) string {
	s := fmt.Sprintf("%.*f", digits, v)
	if lang == opsdesk.LangFR {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// reportPage wraps the body of the monthly report's HTML template.
func reportPage(body string) string {
	return `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><title>{{.Month}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;">
` + body + `{{if .URL}}<p style="margin-top: 24px; font-size: 12px; color: #59636e;"><a href="{{.URL}}">{{.URL}}</a></p>{{end}}
</body>
</html>
`
}
