package demo

import (
	"slices"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// waitCustomer asks the customer a question (the ticket waits, its clocks paused) and lets them
// answer later; the agent then resumes. False when the history ends meanwhile.
func (l *life) waitCustomer() (bool, error) {
	g, db, lang := l.g, l.g.db, l.c.lang
	if !l.after(l.minutes(15, 180)) {
		return false, nil
	}
	if _, err := db.AddMessage(g.as(l.agent), l.tk.Key, l.s.question.in(lang), false, nil); err != nil {
		return false, err
	}
	st := opsdesk.StatusWaitingCustomer
	if _, err := db.UpdateTicket(g.as(l.agent), l.tk.Key, opsdesk.TicketPatch{Status: &st}); err != nil {
		return false, err
	}
	if l.g.end.Sub(l.t) < 10*24*time.Hour && g.rnd.IntN(2) == 0 {
		return false, nil // the customer has not answered yet
	}
	if !l.after(l.minutes(60, 3*1440)) {
		return false, nil
	}
	if err := l.say(l.s.answer.in(lang)); err != nil {
		return false, err
	}
	tk, err := db.TicketByKey(g.as(l.agent), l.tk.Key)
	if err != nil {
		return false, err
	}
	if tk.Status == opsdesk.StatusWaitingCustomer {
		st := opsdesk.StatusOpen
		if _, err := db.UpdateTicket(g.as(l.agent), l.tk.Key, opsdesk.TicketPatch{Status: &st}); err != nil {
			return false, err
		}
	}
	return true, nil
}

// escalate hands the ticket to the next level the contract provides, where an agent takes it.
func (l *life) escalate() (bool, error) {
	g, db := l.g, l.g.db
	i := slices.Index(opsdesk.Levels, l.tk.Level)
	if i < 0 || i+1 >= len(opsdesk.Levels) {
		return true, nil
	}
	to := opsdesk.Levels[i+1]
	if !l.after(l.minutes(30, 600)) {
		return false, nil
	}
	reason := text{"Analyse du code nécessaire", "Needs a look at the code"}
	if to == opsdesk.LevelN2 {
		reason = text{"Diagnostic approfondi nécessaire", "Needs deeper diagnosis"}
	}
	tk, err := db.Escalate(g.as(l.agent), l.tk.Key, to, reason.in(l.c.lang))
	if err != nil {
		return false, err
	}
	l.tk = tk
	if !l.after(l.minutes(10, 240)) {
		return false, nil
	}
	l.agent = pick(g, g.agents[tk.Level])
	if _, err := db.Take(g.as(l.agent), l.tk.Key); err != nil {
		return false, err
	}
	return true, nil
}

// resolve links the scenario's article when it has one (blocking requests need one) and
// resolves with the scenario's summary and cause.
func (l *life) resolve() error {
	g, db := l.g, l.g.db
	art := l.s.article
	if art < 0 && l.tk.Severity == "blocking" {
		art = 0
	}
	if art >= 0 && (l.tk.Severity == "blocking" || g.rnd.IntN(2) == 0) {
		links, err := db.TicketArticles(g.as(l.agent), l.tk.Key, l.c.lang)
		if err != nil {
			return err
		}
		if len(links) == 0 {
			if err := db.LinkArticle(g.as(l.agent), l.tk.Key, g.articles[art].ID); err != nil {
				return err
			}
		}
	}
	st := opsdesk.StatusResolved
	_, err := db.UpdateTicket(g.as(l.agent), l.tk.Key, opsdesk.TicketPatch{Status: &st,
		Resolution: &opsdesk.Resolution{Summary: l.s.fix.in(l.c.lang), Cause: l.s.cause}})
	return err
}

// rate answers the satisfaction survey a resolution opened, mostly well.
func (l *life) rate() (bool, error) {
	g := l.g
	if !l.after(l.minutes(30, 2*1440)) {
		return false, nil
	}
	ratings := []int{5, 5, 5, 5, 5, 4, 4, 4, 4, 3, 2, 1}
	rating := ratings[g.rnd.IntN(len(ratings))]
	solved := rating >= 2 || g.rnd.IntN(2) == 0 // "not solved" reopens the ticket
	_, err := g.db.AnswerSurvey(g.as(l.requester), l.tk.Key, opsdesk.SurveyAnswer{Solved: &solved, Rating: rating,
		Comment: surveyComments[rating].in(l.c.lang)})
	return true, err
}

// workaround records a way around the problem while the fix is prepared, most of the time within
// the workaround target; a quarter of the time it takes longer.
func (l *life) workaround() (bool, error) {
	g := l.g
	d := l.minutes(20, 150)
	if g.rnd.IntN(4) == 0 {
		d = l.minutes(180, 900)
	}
	if !l.after(d) {
		return false, nil
	}
	_, err := g.db.RecordWorkaround(g.as(l.agent), l.tk.Key, pick(g, workarounds).in(l.c.lang))
	return true, err
}
