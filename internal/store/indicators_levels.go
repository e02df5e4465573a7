package store

import (
	"context"
	"database/sql"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The figures besides tickets and clocks: surveys, knowledge, probes and projects.

// surveys: response rate and average rating of the surveys opened in the period, those
// superseded left out: all opened, less the superseded, and the answered ones — three counts
// over three indexes, which costs less than reading the state and rating of every survey.
func (q indicatorQuery) surveys(ctx context.Context, out *opsdesk.Indicators) error {
	w, args := q.rowWhere("s")
	args = append(args, q.from, q.to)
	var opened, superseded, sum int
	if err := q.ints(ctx, `SELECT COUNT(*) FROM `+q.via("surveys", "s", "surveys_ind_opened")+`
		WHERE `+w+` AND s.opened_at >= ? AND s.opened_at < ?`, args, &opened); err != nil {
		return err
	}
	if err := q.ints(ctx, `SELECT COUNT(*) FROM `+q.via("surveys", "s", "surveys_ind_superseded")+`
		WHERE `+w+` AND s.state = 'superseded' AND s.opened_at >= ? AND s.opened_at < ?`, args, &superseded); err != nil {
		return err
	}
	err := q.ints(ctx, `SELECT COUNT(*), COUNT(s.rating), SUM(s.rating) FROM `+q.via("surveys", "s", "surveys_ind_answered")+`
		WHERE `+w+` AND s.state = 'answered' AND s.opened_at >= ? AND s.opened_at < ?`, args,
		&out.SurveyResponse.Num, &out.CSATRated, &sum)
	if err != nil {
		return err
	}
	out.SurveyResponse.Den = opened - superseded
	if out.CSATRated > 0 {
		out.CSATAverage = float64(sum) / float64(out.CSATRated)
	}
	return nil
}

// knowledgeShape forces one shape of the articles' query in tests ("tickets", "links"); "" lets
// the sizes choose.
var knowledgeShape = ""

// knowledge: deflections recorded in the period (only the customer filter applies to them) and
// the articles linked to the tickets resolved in the period.
func (q indicatorQuery) knowledge(ctx context.Context, out *opsdesk.Indicators) error {
	dq, dargs := `SELECT COUNT(*) FROM kb_deflections WHERE at >= ? AND at < ?`, []any{q.from, q.to}
	if q.f.CustomerID != 0 {
		dq += ` AND customer_id = ?`
		dargs = append(dargs, q.f.CustomerID)
	}
	if err := q.ints(ctx, dq, dargs, &out.KBDeflections); err != nil {
		return err
	}
	w, args := q.where()
	// Driven by whichever side is smaller (both give the same counts): the links, each ticket
	// looked up (in the narrow index of its resolution facts and customer, unless another
	// filter needs the ticket's row); or the tickets resolved in the period (counted by the
	// step resolved, run before in this lane), each looked up in the links.
	var links int
	if err := q.ints(ctx, `SELECT COUNT(*) FROM ticket_articles`, nil, &links); err != nil {
		return err
	}
	var rs *sql.Rows
	var err error
	byTickets := out.TicketsResolved > 0 && out.TicketsResolved < links
	if knowledgeShape != "" {
		byTickets = knowledgeShape == "tickets"
	}
	if byTickets {
		more := q.indexed("tickets", "t", "tickets_ind_resolved_again")
		rs, err = q.tx.query(ctx, `SELECT ta.article_id, COUNT(*) FROM (
				SELECT t.id FROM `+q.indexed("tickets", "t", "tickets_ind_resolved")+` WHERE `+w+`
					AND t.ind_resolved_first >= ? AND t.ind_resolved_first < ?
				UNION ALL
				SELECT t.id FROM `+more+` WHERE `+w+` AND t.ind_resolved_first < ? AND t.ind_resolutions > 1
					AND EXISTS (SELECT 1 FROM ticket_events e WHERE e.ticket_id = t.id AND `+resolution+` AND e.at >= ? AND e.at < ?)
			) r CROSS JOIN ticket_articles ta WHERE ta.ticket_id = r.id
			GROUP BY ta.article_id ORDER BY COUNT(*) DESC, ta.article_id`,
			append(append(append([]any{}, args...), q.from, q.to), append(args, q.from, q.from, q.to)...)...)
	} else {
		in, inArgs := q.resolvedIn()
		tickets := "tickets t"
		if !q.ticketFiltered() {
			tickets = q.indexed("tickets", "t", "tickets_ind_id")
		}
		rs, err = q.tx.query(ctx, `SELECT ta.article_id, COUNT(*) FROM ticket_articles ta JOIN `+tickets+` ON t.id = ta.ticket_id
			WHERE `+w+` AND `+in+` GROUP BY ta.article_id ORDER BY COUNT(*) DESC, ta.article_id`, append(args, inArgs...)...)
	}
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var u opsdesk.ArticleUse
		if err := rs.Scan(&u.ArticleID, &u.Tickets); err != nil {
			return err
		}
		out.ArticlesSolved = append(out.ArticlesSolved, u)
	}
	return rs.Err()
}

// availability: per production environment (of the customer filtered, if any), the probe
// checks made in the period and how many succeeded. The other filters are about tickets and do
// not apply.
func (q indicatorQuery) availability(ctx context.Context, out *opsdesk.Indicators) error {
	aq := `SELECT e.id, e.customer_id, e.name, COUNT(*), SUM(CASE WHEN r.ok THEN 1 ELSE 0 END)
		FROM env_probe_results r JOIN env_probes p ON p.id = r.probe_id JOIN environments e ON e.id = p.environment_id
		WHERE e.kind = 'prod' AND r.at >= ? AND r.at < ?`
	args := []any{q.from, q.to}
	if q.f.CustomerID != 0 {
		aq += ` AND e.customer_id = ?`
		args = append(args, q.f.CustomerID)
	}
	rs, err := q.tx.query(ctx, aq+` GROUP BY e.id, e.customer_id, e.name ORDER BY e.id`, args...)
	if err != nil {
		return err
	}
	defer rs.Close()
	for rs.Next() {
		var a opsdesk.EnvAvailability
		if err := rs.Scan(&a.EnvironmentID, &a.CustomerID, &a.Name, &a.Checks, &a.OK); err != nil {
			return err
		}
		out.Availability = append(out.Availability, a)
	}
	return rs.Err()
}

// projects: the projects closed in the period that had a target day, and how many of them
// closed by the end of it (UTC). Only the customer filter applies.
func (q indicatorQuery) projects(ctx context.Context, out *opsdesk.Indicators) error {
	const day = int64(86_400_000)
	pq := `SELECT COUNT(*), SUM(CASE WHEN closed_at < target_on + ? THEN 1 ELSE 0 END) FROM projects
		WHERE target_on IS NOT NULL AND closed_at >= ? AND closed_at < ?`
	args := []any{day, q.from, q.to}
	if q.f.CustomerID != 0 {
		pq += ` AND customer_id = ?`
		args = append(args, q.f.CustomerID)
	}
	return q.ints(ctx, pq, args, &out.ProjectsOnTime.Den, &out.ProjectsOnTime.Num)
}
