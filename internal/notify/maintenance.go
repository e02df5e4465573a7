package notify

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// envBatch is how many windows or grants one run of the environments' mails handles; the rest
// waits for the next run.
const envBatch = 100

// AnnounceMaintenance mails every maintenance window not announced yet — a new one, or one whose
// times changed since its announcement (the store then clears it) — to its customer's contacts
// (store.NoticeContacts: every contact whose login is not disabled), each in their language (the
// contact's, else the customer's, else the default), with the start and end in the time zone of
// the customer's contract calendar; then records the announcement. It returns how many windows
// it announced. The recurring job of package envwatch runs it.
//
// It is idempotent: each mail is keyed by the window, its version (last update) and the
// recipient, so a run that failed after queueing adds no mail the next time; a window moved
// again gets a new announcement. Windows already over are not announced.
func (n *Notifier) AnnounceMaintenance(ctx context.Context) (int, error) {
	ctx = systemCtx(ctx)
	now := n.db.Now()
	notices, err := n.db.UnannouncedMaintenance(ctx, now, envBatch)
	if err != nil {
		return 0, fmt.Errorf("announce maintenance: %w", err)
	}
	return queueEach(n, notices, func(m *store.MaintenanceNotice) (int, error) {
		k, err := n.announce(ctx, m, now)
		return k, wrapf(err, "announce maintenance window %d of environment %d", m.Window.ID, m.EnvID)
	})
}

// announce queues one window's mails and marks it announced; it returns how many mails it added.
func (n *Notifier) announce(ctx context.Context, m *store.MaintenanceNotice, now time.Time) (int, error) {
	contacts, err := n.db.NoticeContacts(ctx, m.CustomerID)
	if err != nil {
		return 0, err
	}
	loc, err := n.customerZone(ctx, m.CustomerID)
	if err != nil {
		return 0, err
	}
	w := m.Window
	cause := fmt.Sprintf("maintenance:%d:%d", w.ID, w.UpdatedAt.UnixMilli())
	var mails []*store.OutboxMail
	for _, c := range contacts {
		r := recipient{Email: c.Email, Name: c.Name, Lang: c.Lang}
		if !r.Lang.Valid() {
			r.Lang = m.CustomerLang
		}
		if !r.Lang.Valid() {
			r.Lang = n.opt.Lang
		}
		d := Data{Customer: m.CustomerName, Environment: m.EnvName, EnvKind: envKindName(m.EnvKind, r.Lang),
			Subject: w.Title, Body: w.Notes, Starts: formatInstant(w.StartsAt, loc), Ends: formatInstant(w.EndsAt, loc)}
		mail, err := n.envMail(ctx, KindMaintenance, cause, r, d, m.EnvID, true)
		if err != nil {
			return 0, err
		}
		mails = append(mails, mail)
	}
	added := 0
	if len(mails) > 0 {
		if added, err = n.db.QueueMails(ctx, mails, n.sendJob); err != nil {
			return 0, err
		}
	}
	// A window moved meanwhile stays unannounced: the next run tells its new times.
	if _, err := n.db.MarkAnnounced(ctx, w, now); err != nil {
		return added, err
	}
	return added, nil
}

// envMail renders a mail of an environment (no ticket) for r, keyed by cause, kind and address.
func (n *Notifier) envMail(ctx context.Context, kind Kind, cause string, r recipient, d Data, envID int64, customer bool) (*store.OutboxMail, error) {
	d.Lang, d.Recipient = string(r.Lang), r.Name
	rd, err := n.Render(ctx, kind, r.Lang, d)
	if err != nil {
		return nil, fmt.Errorf("%s to %s: %w", kind, r.Email, err)
	}
	b := make([]byte, 10)
	rand.Read(b)
	return &store.OutboxMail{
		DedupKey: cause + ":" + string(kind) + ":" + strings.ToLower(r.Email), Kind: string(kind), Lang: r.Lang,
		To: r.Email, ToName: r.Name, Subject: rd.Subject, Text: rd.Text, HTML: rd.HTML,
		MailMessageID: fmt.Sprintf("opsdesk.env%d.%s@%s", envID, hex.EncodeToString(b), n.domain),
		AutoSubmitted: kind.AutoSubmitted(), CustomerFacing: customer,
	}, nil
}

// customerZone is the time zone of a customer's contract calendar (else the default calendar's),
// UTC when there is none.
func (n *Notifier) customerZone(ctx context.Context, customerID int64) (*time.Location, error) {
	cal, err := n.db.ContractCalendar(ctx, customerID)
	switch {
	case err == nil && cal.Calendar != nil:
		if l := cal.Calendar.Location(); l != nil {
			return l, nil
		}
	case err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound):
		return nil, err
	}
	return time.UTC, nil
}

// formatInstant writes an instant for a mail, in loc: "2027-03-06 22:00 CET".
func formatInstant(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2006-01-02 15:04 MST")
}

// envKindName is how a mail in lang names an environment's kind.
func envKindName(k opsdesk.EnvKind, lang opsdesk.Lang) string {
	names := map[opsdesk.EnvKind][2]string{
		opsdesk.EnvTest:    {"test", "test"},
		opsdesk.EnvPreprod: {"pre-production", "préproduction"},
		opsdesk.EnvProd:    {"production", "production"},
	}
	return pick(names, k, lang)
}

// pick returns the English or French name of key k, or k itself when unknown.
func pick[K ~string](names map[K][2]string, k K, lang opsdesk.Lang) string {
	v, ok := names[k]
	switch {
	case !ok:
		return string(k)
	case lang == opsdesk.LangFR:
		return v[1]
	}
	return v[0]
}
