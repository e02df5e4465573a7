package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// probeIncident turns one probe result into tickets and notes, inside the result's transaction.
type probeIncident struct {
	tx   *Tx
	p    *opsdesk.Probe
	env  *opsdesk.Environment
	cust *opsdesk.Customer
	r    *opsdesk.ProbeResult
	opt  ProbeIncidentOptions
}

// failed counts a failure; at the threshold it opens the incident (or notes the active one),
// afterwards it adds rate-limited notes.
func (i *probeIncident) failed(ctx context.Context, s *probeState, out *ProbeOutcome) error {
	at := i.r.At.UnixMilli()
	s.failures++
	s.sinceNote++
	if s.downSince == 0 {
		s.downSince = at
	}
	if s.failures < i.p.Threshold {
		return nil
	}
	key, active, err := i.ticket(ctx, s.incident)
	if err != nil {
		return err
	}
	if active {
		due := s.failures == i.p.Threshold || s.notedAt < s.downSince || // a new outage on a still active incident
			s.sinceNote >= i.opt.NoteEvery || at-s.notedAt >= i.opt.NoteInterval.Milliseconds()
		if !due {
			return nil
		}
		body := fmt.Sprintf("Probe %q still failing: %d failures since %s (%d since the last note).\n\n%s",
			i.p.Name, s.failures, probeStamp(s.downSince), s.sinceNote, i.evidence())
		if err := i.note(ctx, s.incident, key, body); err != nil {
			return err
		}
		s.sinceNote, s.notedAt, out.Noted = 0, at, key
		return nil
	}
	if in, err := i.tx.probeMaintenance(ctx, i.env, i.r.At); err != nil || in {
		out.Suppressed = in
		return err
	}
	sev := i.p.Severity
	if sev == "" {
		sev = opsdesk.ProbeSeverity(i.env.Kind)
	}
	n := &opsdesk.NewTicket{CustomerID: i.cust.ID, RequesterEmail: i.requester(), RequesterName: "opsdesk probes",
		EnvironmentID: i.env.ID, Category: i.opt.Category, Type: opsdesk.TypeIncident, Severity: sev, Channel: opsdesk.ChannelProbe,
		Subject: fmt.Sprintf("%s (%s): probe %q failing", i.env.Name, i.env.Kind, i.p.Name),
		Impact:  fmt.Sprintf("The health probe %q of %s has failed %d times in a row since %s.", i.p.Name, i.env.Name, s.failures, probeStamp(s.downSince)),
		Description: fmt.Sprintf("opsdesk's health probe %q of environment %s (%s) failed %d consecutive times since %s (threshold %d).\n\n%s",
			i.p.Name, i.env.Name, i.env.Kind, s.failures, probeStamp(s.downSince), i.p.Threshold, i.evidence())}
	if err := n.Validate(); err != nil {
		return err
	}
	key, err = i.tx.createTicket(ctx, n)
	if err != nil {
		return fmt.Errorf("probe %d: open incident: %w", i.p.ID, err)
	}
	if s.incident, err = i.quiet(ctx, key); err != nil {
		return err
	}
	s.sinceNote, s.notedAt, out.Opened = 0, at, key
	return nil
}

// recovered ends an outage: the incident of this outage, if any and not closed, gets a note with
// the downtime. Closing the ticket stays human.
func (i *probeIncident) recovered(ctx context.Context, s *probeState, out *ProbeOutcome) error {
	if s.failures == 0 {
		return nil
	}
	down, up := s.downSince, i.r.At.UnixMilli()
	touched := s.incident != 0 && s.notedAt >= s.downSince // the incident was opened or noted during this outage
	s.failures, s.sinceNote, s.downSince = 0, 0, 0
	out.Recovered = true
	if !touched {
		return nil
	}
	key, _, err := i.ticket(ctx, s.incident)
	if err != nil || key == "" {
		return err
	}
	var status opsdesk.Status
	if err := i.tx.queryRow(ctx, `SELECT status FROM tickets WHERE id = ?`, s.incident).Scan(&status); err != nil {
		return err
	}
	if status == opsdesk.StatusClosed {
		return nil
	}
	body := fmt.Sprintf("Probe %q recovered: down from %s to %s, %s.\n\n%s", i.p.Name, probeStamp(down), probeStamp(up),
		probeDowntime(time.Duration(up-down)*time.Millisecond), i.evidence())
	if err := i.note(ctx, s.incident, key, body); err != nil {
		return err
	}
	s.notedAt, out.Noted = up, key
	return nil
}

// certificate opens one preventive request per certificate (its expiry instant) that expires
// within the probe's warning days.
func (i *probeIncident) certificate(ctx context.Context, s *probeState, out *ProbeOutcome) error {
	na := i.r.CertNotAfter
	if na.IsZero() || i.p.TLSWarnDays == 0 || na.Sub(i.r.At) > time.Duration(i.p.TLSWarnDays)*24*time.Hour || s.certWarned == na.UnixMilli() {
		return nil
	}
	days := int(na.Sub(i.r.At).Hours() / 24)
	n := &opsdesk.NewTicket{CustomerID: i.cust.ID, RequesterEmail: i.requester(), RequesterName: "opsdesk probes",
		EnvironmentID: i.env.ID, Category: i.opt.Category, Type: opsdesk.TypeServiceRequest, Severity: "minor", Channel: opsdesk.ChannelProbe,
		Subject: fmt.Sprintf("%s (%s): TLS certificate expires on %s", i.env.Name, i.env.Kind, na.UTC().Format("2006-01-02")),
		Description: fmt.Sprintf("The TLS certificate served at %s (probe %q of %s) expires on %s, in %d days. Renew it before then.",
			i.p.URL, i.p.Name, i.env.Name, probeStamp(na.UnixMilli()), days)}
	if err := n.Validate(); err != nil {
		return err
	}
	key, err := i.tx.createTicket(ctx, n)
	if err != nil {
		return fmt.Errorf("probe %d: certificate request: %w", i.p.ID, err)
	}
	if _, err := i.quiet(ctx, key); err != nil {
		return err
	}
	s.certWarned, out.CertRequest = na.UnixMilli(), key
	return nil
}

// ticket returns the key of ticket id and whether it is active (new, open or waiting for the
// customer): an incident resolved or closed by a human is not reused.
func (i *probeIncident) ticket(ctx context.Context, id int64) (string, bool, error) {
	if id == 0 {
		return "", false, nil
	}
	var key string
	var status opsdesk.Status
	err := i.tx.queryRow(ctx, `SELECT key, status FROM tickets WHERE id = ?`, id).Scan(&key, &status)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	return key, err == nil && status.Active(), err
}

// quiet returns the id of the ticket key just opened by the probe and marks its first message as
// automatic, so the synthetic requester is sent no acknowledgement (the team is still told).
func (i *probeIncident) quiet(ctx context.Context, key string) (int64, error) {
	var id int64
	if err := i.tx.queryRow(ctx, `SELECT id FROM tickets WHERE key = ?`, key).Scan(&id); err != nil {
		return 0, err
	}
	_, err := i.tx.exec(ctx, `UPDATE ticket_messages SET no_autoreply = TRUE WHERE ticket_id = ?`, id)
	return id, err
}

// note adds an internal note from the probe to ticket id.
func (i *probeIncident) note(ctx context.Context, id int64, key, body string) error {
	m := &opsdesk.Message{TicketID: id, Internal: true, Body: body, Channel: opsdesk.ChannelProbe, AuthorLabel: "opsdesk probe"}
	if err := i.tx.addMessage(ctx, m, nil, true); err != nil {
		return err
	}
	return i.tx.emit(ctx, opsdesk.TicketMessage, &opsdesk.Ticket{ID: id, Key: key}, m.ID, true)
}

// requester is the contact that files a customer's probe tickets.
func (i *probeIncident) requester() string {
	return "probes+" + strings.ToLower(i.cust.Code) + "@" + i.opt.RequesterDomain
}

// evidence describes the last check for a ticket.
func (i *probeIncident) evidence() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Probe: %s %s (expected status %d", i.p.Method, i.p.URL, i.p.ExpectStatus)
	if i.p.BodyContains != "" {
		fmt.Fprintf(&b, ", body containing %q", i.p.BodyContains)
	}
	fmt.Fprintf(&b, ", timeout %s)\nLast check: %s\n", i.p.Timeout, probeStamp(i.r.At.UnixMilli()))
	if i.r.StatusCode != 0 {
		fmt.Fprintf(&b, "Status: %d\n", i.r.StatusCode)
	}
	if i.r.Error != "" {
		fmt.Fprintf(&b, "Error: %s\n", i.r.Error)
	}
	fmt.Fprintf(&b, "Latency: %d ms\n", i.r.Latency.Milliseconds())
	return b.String()
}

func probeStamp(msec int64) string {
	return time.UnixMilli(msec).UTC().Format("2006-01-02 15:04:05 UTC")
}

// probeDowntime writes a duration for people: "12 min", "2 h 5 min", "45 s".
func probeDowntime(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	}
	return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
}
