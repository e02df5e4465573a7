package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// RemindProjectItems mails the reminders of delivery projects (docs/projects.md, "Reminders"):
// for every checklist item the customer's side owes on an open project — owner side customer,
// status todo (a submitted item waits for the vendor, a validated or waived one is done) — with a
// due day, project_item_due when the due day is within days from today (0: never), and
// project_item_late once the due day is past. The mail goes to the item's owner contact when it
// names one that can be mailed (store.NoticeContacts: a contact whose login is not disabled),
// else to every such contact of the customer; each in their language (the contact's, else the
// customer's, else the default), with a link to the project's portal page. It returns how many
// mails it added. The recurring job of package projectwatch runs it.
//
// It is idempotent: each mail is keyed by the item, its due day, the kind and the recipient
// (the outbox's dedup key), so each reminder goes once per item and due day — a moved due day
// earns new ones — and a run that is retried or runs on several instances adds nothing twice.
func (n *Notifier) RemindProjectItems(ctx context.Context, days int) (int, error) {
	ctx = systemCtx(ctx)
	now := n.db.Now()
	projects, err := n.db.ListProjects(ctx, opsdesk.ProjectFilter{OpenOnly: true})
	if err != nil {
		return 0, fmt.Errorf("remind project items: %w", err)
	}
	added := 0
	var errs []error
	for _, p := range projects {
		k, err := n.remindProject(ctx, p, now, days)
		if err != nil {
			errs = append(errs, fmt.Errorf("remind items of project %d: %w", p.ID, err))
		}
		added += k
	}
	if added > 0 {
		n.wake()
	}
	return added, errors.Join(errs...)
}

// reminderKind tells which reminder an item needs at now, if any.
func reminderKind(it *opsdesk.Item, now time.Time, days int) (Kind, bool) {
	if it.OwnerSide != opsdesk.SideCustomer || it.Status != opsdesk.ItemTodo || it.DueOn.IsZero() {
		return "", false
	}
	if opsdesk.PastDay(it.DueOn, now) {
		return KindProjectItemLate, true
	}
	if days > 0 && !opsdesk.Day(now).AddDate(0, 0, days).Before(opsdesk.Day(it.DueOn)) {
		return KindProjectItemDue, true
	}
	return "", false
}

// remindProject queues the reminders of one project's items.
func (n *Notifier) remindProject(ctx context.Context, p *opsdesk.Project, now time.Time, days int) (int, error) {
	items, err := n.db.Items(ctx, p.ID)
	if err != nil {
		return 0, err
	}
	var due []*opsdesk.Item
	var kinds []Kind
	for _, it := range items {
		if k, ok := reminderKind(it, now, days); ok {
			due, kinds = append(due, it), append(kinds, k)
		}
	}
	if len(due) == 0 {
		return 0, nil
	}
	phases, err := n.db.Phases(ctx, p.ID)
	if err != nil {
		return 0, err
	}
	cust, err := n.db.CustomerByID(ctx, p.CustomerID)
	if err != nil {
		return 0, err
	}
	contacts, err := n.db.NoticeContacts(ctx, p.CustomerID)
	if err != nil {
		return 0, err
	}
	var mails []*store.OutboxMail
	for i, it := range due {
		for _, c := range itemRecipients(it, contacts) {
			r := recipient{Email: c.Email, Name: c.Name, Lang: c.Lang}
			if !r.Lang.Valid() {
				r.Lang = cust.Lang
			}
			if !r.Lang.Valid() {
				r.Lang = n.opt.Lang
			}
			m, err := n.projectMail(ctx, kinds[i], p, phases, it, cust, r)
			if err != nil {
				return 0, err
			}
			mails = append(mails, m)
		}
	}
	if len(mails) == 0 {
		return 0, nil
	}
	return n.db.QueueMails(ctx, mails, n.sendJob)
}

// itemRecipients are the contacts an item's reminder goes to: its owner contact if it names a
// mailable one, else all of them.
func itemRecipients(it *opsdesk.Item, contacts []*opsdesk.Contact) []*opsdesk.Contact {
	for _, c := range contacts {
		if it.OwnerContactID != 0 && c.ID == it.OwnerContactID {
			return []*opsdesk.Contact{c}
		}
	}
	return contacts
}

// projectMail renders one reminder of item it for r.
func (n *Notifier) projectMail(ctx context.Context, kind Kind, p *opsdesk.Project, phases []*opsdesk.Phase, it *opsdesk.Item,
	cust *opsdesk.Customer, r recipient) (*store.OutboxMail, error) {
	phase := it.PhaseCode
	for _, ph := range phases {
		if ph.ID == it.PhaseID {
			phase = ph.Name(r.Lang)
		}
	}
	due := it.DueOn.UTC().Format(time.DateOnly)
	d := Data{Customer: cust.Name, Project: p.Name, Phase: phase, Item: it.Title(r.Lang), Due: due,
		URL:  strings.TrimSuffix(n.opt.BaseURL, "/") + fmt.Sprintf("/my-projects/%d", p.ID),
		Lang: string(r.Lang), Recipient: r.Name}
	rd, err := n.Render(ctx, kind, r.Lang, d)
	if err != nil {
		return nil, fmt.Errorf("%s to %s: %w", kind, r.Email, err)
	}
	b := make([]byte, 10)
	rand.Read(b)
	return &store.OutboxMail{
		DedupKey: fmt.Sprintf("project-item:%d:%s:%s:%s", it.ID, due, kind, strings.ToLower(r.Email)),
		Kind:     string(kind), Lang: r.Lang, To: r.Email, ToName: r.Name,
		Subject: rd.Subject, Text: rd.Text, HTML: rd.HTML,
		MailMessageID: fmt.Sprintf("opsdesk.project%d.%s@%s", p.ID, hex.EncodeToString(b), n.domain),
		AutoSubmitted: kind.AutoSubmitted(), CustomerFacing: true,
	}, nil
}

// projectPage wraps the body of a project reminder's HTML template.
func projectPage(body string) string {
	return `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head><meta charset="utf-8"><title>{{.Project}}</title></head>
<body style="font-family: Arial, Helvetica, sans-serif; font-size: 14px; line-height: 1.5; color: #1f2328;">
` + body + `{{if .URL}}<p style="margin-top: 24px; font-size: 12px; color: #59636e;"><a href="{{.URL}}">{{.URL}}</a></p>{{end}}
</body>
</html>
`
}
