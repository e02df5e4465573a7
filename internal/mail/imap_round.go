package mail

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// roundResult is what one round of intake did.
type roundResult struct {
	delivered int
	warnings  []error // messages left aside for a lasting reason (too large): reported, not retried
}

// deliveryError is a failed delivery: the message stays in the folder and comes again.
type deliveryError struct {
	uid imap.UID
	err error
}

func (e *deliveryError) Error() string {
	return fmt.Sprintf("delivery of message UID %d failed, left in the folder to try again: %v", e.uid, e.err)
}

func (e *deliveryError) Unwrap() error { return e.err }

// wholeMessage is BODY.PEEK[]: the raw message, without setting \Seen.
var wholeMessage = &imap.FetchItemBodySection{Peek: true}

// round delivers every unprocessed message of the selected folder, oldest first, in batches
// bounded in count and bytes, acknowledging each batch's delivered messages. Unprocessed means
// not \Deleted and, when processed messages are flagged rather than moved, not \Seen.
func (p *IMAPPoller) round(ctx context.Context, c *imapclient.Client) (roundResult, error) {
	var res roundResult
	criteria := &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}
	if p.Mailbox.Action != "move" {
		criteria.NotFlag = append(criteria.NotFlag, imap.FlagSeen)
	}
	found, err := c.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return res, fmt.Errorf("search folder %s: %w", p.Mailbox.Folder, err)
	}
	uids := found.AllUIDs()
	if len(uids) == 0 {
		return res, nil
	}
	slices.Sort(uids)
	sizes, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true}).Collect()
	if err != nil {
		return res, fmt.Errorf("fetch sizes: %w", err)
	}
	size := make(map[imap.UID]int64, len(sizes))
	for _, s := range sizes {
		size[s.UID] = s.RFC822Size
	}
	var batch []imap.UID
	var bytes int64
	flush := func() error {
		n, err := p.deliverBatch(ctx, c, batch)
		res.delivered += n
		batch, bytes = batch[:0], 0
		return err
	}
	for _, uid := range uids {
		n, ok := size[uid]
		switch {
		case !ok:
			continue // expunged meanwhile
		case n > p.MaxBytes:
			res.warnings = append(res.warnings, fmt.Errorf("message UID %d is %d bytes, over the %d-byte limit: left in folder %s",
				uid, n, p.MaxBytes, p.Mailbox.Folder))
			continue
		}
		if len(batch) > 0 && (len(batch) >= p.Batch || bytes+n > p.BatchBytes) {
			if err := flush(); err != nil || ctx.Err() != nil {
				return res, err
			}
		}
		batch, bytes = append(batch, uid), bytes+n
	}
	if len(batch) > 0 {
		return res, flush()
	}
	return res, nil
}

// deliverBatch fetches some messages, delivers them and acknowledges those delivered.
func (p *IMAPPoller) deliverBatch(ctx context.Context, c *imapclient.Client, uids []imap.UID) (int, error) {
	msgs, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, InternalDate: true,
		BodySection: []*imap.FetchItemBodySection{wholeMessage}}).Collect()
	if err != nil {
		return 0, fmt.Errorf("fetch messages: %w", err)
	}
	slices.SortFunc(msgs, func(a, b *imapclient.FetchMessageBuffer) int { return int(a.UID) - int(b.UID) })
	done, failed := p.deliverLanes(ctx, msgs)
	if err := p.ack(c, done); err != nil {
		// Delivered but not acknowledged: they come again and are recognised as duplicates.
		return len(done), errors.Join(failed, fmt.Errorf("acknowledge %d delivered messages: %w", len(done), err))
	}
	return len(done), failed
}

// deliver hands one fetched message to the Deliverer. A delivery under way when the poller is
// stopped is let finish, so its commit is not wasted.
func (p *IMAPPoller) deliver(ctx context.Context, m *imapclient.FetchMessageBuffer) error {
	raw := m.FindBodySection(wholeMessage)
	if raw == nil {
		return fmt.Errorf("the server sent no content for message UID %d", m.UID)
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.DeliverTimeout)
	defer cancel()
	res, err := p.Deliverer.Deliver(dctx, Inbound{Source: p.Mailbox.Name, Raw: raw, ReceivedAt: m.InternalDate})
	if err != nil {
		return err
	}
	p.Logger.Debug("imap: message delivered", "uid", m.UID, "status", res.Status, "ticket", res.TicketKey, "duplicate", res.Duplicate)
	return nil
}

// ack acknowledges delivered messages on the server: moves them to MoveTo (MOVE, or COPY, STORE
// \Deleted and EXPUNGE on servers without MOVE), or flags them \Seen.
func (p *IMAPPoller) ack(c *imapclient.Client, uids []imap.UID) error {
	if len(uids) == 0 {
		return nil
	}
	set := imap.UIDSetNum(uids...)
	if p.Mailbox.Action == "move" {
		_, err := c.Move(set, p.Mailbox.MoveTo).Wait()
		return err
	}
	return c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
}
