package store

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// headerIDs lists the Message-IDs a reply names, most telling first: In-Reply-To, then
// References from the newest.
func headerIDs(inReplyTo, refs []string) []string {
	var ids []string
	seen := map[string]bool{}
	add := func(id string) {
		id = strings.Trim(strings.TrimSpace(id), "<>")
		if id != "" && !seen[id] && len(ids) < 50 {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	for _, id := range inReplyTo {
		add(id)
	}
	for i := len(refs) - 1; i >= 0; i-- {
		add(refs[i])
	}
	return ids
}

// headerMatch is a Message-ID a message names and the ticket that has it.
type headerMatch struct {
	id       string
	ticketID int64
}

// ticketsByMailID finds the tickets whose messages (or queued outbound mails) carry one of ids,
// in the order of ids.
func (tx *Tx) ticketsByMailID(ctx context.Context, ids []string) ([]headerMatch, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in := "?" + strings.Repeat(", ?", len(ids)-1)
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	q := `SELECT mail_message_id, ticket_id FROM ticket_messages WHERE mail_message_id IN (` + in + `)`
	if ok, err := tx.hasOutbox(ctx); err != nil {
		return nil, err
	} else if ok {
		q += ` UNION ALL SELECT mail_message_id, ticket_id FROM mail_outbox WHERE ticket_id IS NOT NULL AND mail_message_id IN (` + in + `)`
		args = append(args, args...)
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	found := map[string]int64{}
	for rows.Next() {
		var id string
		var ticket int64
		if err := rows.Scan(&id, &ticket); err != nil {
			rows.Close()
			return nil, err
		}
		found[id] = ticket
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []headerMatch
	seen := map[int64]bool{}
	for _, id := range ids {
		tid, ok := found[id]
		if ok && !seen[tid] {
			seen[tid] = true
			out = append(out, headerMatch{id, tid})
		}
	}
	return out, nil
}

// ticketByID reads a ticket inside a transaction.
func (tx *Tx) ticketByID(ctx context.Context, id int64) (*opsdesk.Ticket, error) {
	return scanTicket(tx.queryRow(ctx, ticketSelect+` WHERE t.id = ?`, id))
}

// outboxTables remembers the databases known to have the outbound mail table (it arrives with
// the outbound notifications' migration; threading uses it when it is there).
var outboxTables sync.Map

func (tx *Tx) hasOutbox(ctx context.Context) (bool, error) {
	if _, ok := outboxTables.Load(tx.db); ok {
		return true, nil
	}
	q := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'mail_outbox'`
	if tx.db.dialect == Postgres {
		q = `SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'mail_outbox'`
	}
	var n int
	if err := tx.queryRow(ctx, q).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		outboxTables.Store(tx.db, true)
	}
	return n > 0, nil
}

// TicketTags returns the ticket numbers tagged in a subject, "[OPS-1042]" for prefix OPS, in
// order: the tag our notifications put in their subjects, kept by replies from any client.
func TicketTags(prefix, subject string) []string {
	var out []string
	for _, m := range tagRE(prefix).FindAllStringSubmatch(subject, 5) {
		n, err := strconv.ParseInt(m[1], 10, 64)
		if err == nil {
			out = append(out, opsdesk.FormatKey(prefix, n))
		}
	}
	return out
}

var tagREs sync.Map // prefix → *regexp.Regexp

func tagRE(prefix string) *regexp.Regexp {
	if re, ok := tagREs.Load(prefix); ok {
		return re.(*regexp.Regexp)
	}
	re := regexp.MustCompile(`(?i)\[\s*` + regexp.QuoteMeta(prefix) + `\s*-\s*(\d{1,18})\s*\]`)
	tagREs.Store(prefix, re)
	return re
}

// replyPrefix matches the reply and forward markers mail clients put before a subject, in the
// languages support mail arrives in (Re, AW, TR, Fwd, WG, SV, Antw, RIF, Réf…), repeated.
var replyPrefix = regexp.MustCompile(`(?i)^(?:\s*(?:re|aw|tr|fw|fwd|wg|sv|vs|antw|antwort|rif|r|réf|ref|odp|enc|res|rv|vl|ynt)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*)+`)

// CleanSubject removes ticket tags from a subject and, when replies is true, the reply and
// forward markers before it: the subject of a new ticket made from a reply.
func CleanSubject(prefix, subject string, replies bool) string {
	s := tagRE(prefix).ReplaceAllString(subject, " ")
	s = strings.Join(strings.Fields(s), " ")
	if replies {
		s = replyPrefix.ReplaceAllString(s, "")
	}
	return strings.TrimSpace(s)
}
