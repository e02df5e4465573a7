package notify

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// WarnExpiredAccess mails, once per grant, every access grant expired and not revoked: to the
// holder's manager (users.manager_id) — or, when the holder has none or theirs is disabled, to
// the enabled ops managers — and to the holder, each in their language, with the environment,
// its customer, the kind of access, when it expired (in the customer calendar's time zone), who
// granted it and why, and a link to the environment's page. Revoking stays a person's decision.
// It returns how many grants it warned about. The recurring job of package envwatch runs it.
//
// It is idempotent: each mail is keyed by the grant and its recipient, and the grant is marked
// warned afterwards (env_access_grants.warned_at), so a retried run adds no mail twice and a
// warned grant is never looked at again.
func (n *Notifier) WarnExpiredAccess(ctx context.Context) (int, error) {
	ctx = systemCtx(ctx)
	now := n.db.Now()
	grants, err := n.db.GrantsToWarn(ctx, now, envBatch)
	if err != nil {
		return 0, fmt.Errorf("warn expired access: %w", err)
	}
	var managers []*opsdesk.User // the ops managers, read once when a holder has no manager
	return queueEach(n, grants, func(g *store.GrantWarning) (int, error) {
		k, err := n.warnGrant(ctx, g, now, &managers)
		return k, wrapf(err, "warn expired access grant %d", g.Grant.ID)
	})
}

// warnGrant queues the mails of one expired grant and marks it warned.
func (n *Notifier) warnGrant(ctx context.Context, g *store.GrantWarning, now time.Time, managers *[]*opsdesk.User) (int, error) {
	var to []*opsdesk.User
	if g.ManagerID != 0 {
		u, err := n.db.UserByID(ctx, g.ManagerID)
		if err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound) {
			return 0, err
		}
		if err == nil && !u.Disabled && u.Email != "" && u.Role.Staff() {
			to = append(to, u)
		}
	}
	if len(to) == 0 {
		if *managers == nil {
			us, err := n.db.ListUsers(ctx, store.UserFilter{Role: opsdesk.RoleOpsManager})
			if err != nil {
				return 0, err
			}
			*managers = []*opsdesk.User{}
			for _, u := range us {
				if !u.Disabled && u.Email != "" {
					*managers = append(*managers, u)
				}
			}
		}
		to = *managers
	}
	loc, err := n.customerZone(ctx, g.CustomerID)
	if err != nil {
		return 0, err
	}
	gr := g.Grant
	cause := fmt.Sprint("access-expired:", gr.ID)
	holder := firstOf(g.HolderName, gr.UserEmail)
	url := strings.TrimSuffix(n.opt.BaseURL, "/") + fmt.Sprintf("/environments/%d", g.EnvID)
	data := func(lang opsdesk.Lang, forHolder bool) Data {
		return Data{Customer: g.CustomerName, Environment: g.EnvName, EnvKind: envKindName(g.EnvKind, lang),
			Access: accessKindName(gr.Kind, lang), Holder: holder, Expired: formatInstant(gr.ExpiresAt, loc),
			Author: gr.GrantedBy, Reason: gr.Reason, URL: url, ForHolder: forHolder}
	}
	var mails []*store.OutboxMail
	for _, u := range to {
		if u.ID == gr.UserID {
			continue // the holder is told below
		}
		r := staffRecipient(u)
		if !r.Lang.Valid() {
			r.Lang = n.opt.Lang
		}
		m, err := n.envMail(ctx, KindAccessExpired, cause, r, data(r.Lang, false), g.EnvID, false)
		if err != nil {
			return 0, err
		}
		mails = append(mails, m)
	}
	if h, err := n.db.UserByID(ctx, gr.UserID); err == nil && !h.Disabled && h.Email != "" {
		r := staffRecipient(h)
		if !r.Lang.Valid() {
			r.Lang = n.opt.Lang
		}
		m, err := n.envMail(ctx, KindAccessExpired, cause+":holder", r, data(r.Lang, true), g.EnvID, false)
		if err != nil {
			return 0, err
		}
		mails = append(mails, m)
	} else if err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return 0, err
	}
	added := 0
	if len(mails) > 0 {
		if added, err = n.db.QueueMails(ctx, mails, n.sendJob); err != nil {
			return 0, err
		}
	}
	if _, err := n.db.MarkGrantWarned(ctx, gr.ID, now); err != nil {
		return added, err
	}
	return added, nil
}

// WarnExpiringAccess tells the holder of every access grant that expires within notice (and was
// given for longer than that) when it expires, once per grant (env_access_grants.notice_at), in
// their language (access_expiring), so they ask for it again in time. It returns how many grants
// it told about. notice 0 does nothing. The recurring job of package envwatch runs it.
func (n *Notifier) WarnExpiringAccess(ctx context.Context, notice time.Duration) (int, error) {
	if notice <= 0 {
		return 0, nil
	}
	ctx = systemCtx(ctx)
	now := n.db.Now()
	grants, err := n.db.GrantsExpiringSoon(ctx, now, notice, envBatch)
	if err != nil {
		return 0, fmt.Errorf("warn expiring access: %w", err)
	}
	return queueEach(n, grants, func(g *store.GrantWarning) (int, error) {
		k, err := n.noticeGrant(ctx, g, now)
		return k, wrapf(err, "warn expiring access grant %d", g.Grant.ID)
	})
}

// noticeGrant queues the holder's mail of a grant expiring soon and marks it noticed.
func (n *Notifier) noticeGrant(ctx context.Context, g *store.GrantWarning, now time.Time) (int, error) {
	gr := g.Grant
	h, err := n.db.UserByID(ctx, gr.UserID)
	if err != nil && !opsdesk.IsKind(err, opsdesk.KindNotFound) {
		return 0, err
	}
	added := 0
	if err == nil && !h.Disabled && h.Email != "" {
		loc, err := n.customerZone(ctx, g.CustomerID)
		if err != nil {
			return 0, err
		}
		r := staffRecipient(h)
		if !r.Lang.Valid() {
			r.Lang = n.opt.Lang
		}
		d := Data{Customer: g.CustomerName, Environment: g.EnvName, EnvKind: envKindName(g.EnvKind, r.Lang),
			Access: accessKindName(gr.Kind, r.Lang), Holder: firstOf(g.HolderName, gr.UserEmail), Expired: formatInstant(gr.ExpiresAt, loc),
			Author: gr.GrantedBy, Reason: gr.Reason, URL: strings.TrimSuffix(n.opt.BaseURL, "/") + fmt.Sprintf("/environments/%d", g.EnvID),
			ForHolder: true}
		m, err := n.envMail(ctx, KindAccessExpiry, fmt.Sprint("access-expiring:", gr.ID), r, d, g.EnvID, false)
		if err != nil {
			return 0, err
		}
		if added, err = n.db.QueueMails(ctx, []*store.OutboxMail{m}, n.sendJob); err != nil {
			return 0, err
		}
	}
	if _, err := n.db.MarkGrantNoticed(ctx, gr.ID, now); err != nil {
		return added, err
	}
	return added, nil
}

// accessKindName is how a mail in lang names a kind of access.
func accessKindName(k opsdesk.AccessKind, lang opsdesk.Lang) string {
	names := map[opsdesk.AccessKind][2]string{
		opsdesk.AccessSSH:       {"SSH", "SSH"},
		opsdesk.AccessVPN:       {"VPN", "VPN"},
		opsdesk.AccessConsole:   {"admin console", "console d'administration"},
		opsdesk.AccessDatabase:  {"database", "base de données"},
		opsdesk.AccessAppAdmin:  {"application admin", "administration de l'application"},
		opsdesk.AccessOtherKind: {"other", "autre"},
	}
	return pick(names, k, lang)
}
