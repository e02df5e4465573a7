package plan

import (
	"strconv"
	"time"
)

// Term is one part of a score: what was read (Value, as shown), the weight
// applied, the points it contributed, and a reason key the UI translates
// (catalog keys "plan.reason.*").
type Term struct {
	Name         string `json:"name"`
	Value        string `json:"value"`
	Weight       int64  `json:"weight"`
	Contribution int64  `json:"contribution"`
	Reason       string `json:"reason"`
}

// Score computes the item's score and the terms that make it, in a fixed
// order. Terms worth nothing are kept when they explain (e.g. an SLA with
// time to spare) and left out when the fact is absent.
func Score(it *Item, w *Weights, now time.Time) (int64, []Term) {
	var terms []Term
	if t := it.Ticket; t != nil {
		terms = ticketTerms(t, w)
	} else if t := it.Task; t != nil {
		terms = taskTerms(t, w, now)
	} else if p := it.Preventive; p != nil {
		terms = preventiveTerms(p, w, now)
	}
	if !it.Created.IsZero() && w.AgePerDay > 0 {
		days := int64(now.Sub(it.Created) / (24 * time.Hour))
		if days < 0 {
			days = 0
		}
		c := min(days*w.AgePerDay, w.AgeCap)
		terms = append(terms, Term{"age", strconv.FormatInt(days, 10) + "d", w.AgePerDay, c, "plan.reason.age"})
	}
	var sum int64
	for _, t := range terms {
		sum += t.Contribution
	}
	return sum, terms
}

func ticketTerms(t *TicketFacts, w *Weights) []Term {
	env := string(t.Env)
	pct, ok := w.EnvPercent[env]
	if !ok {
		pct = 100
	}
	envName := env
	if envName == "" {
		envName = "none"
	}
	sev := w.Severity[t.SeverityRank-1]
	terms := []Term{{"severity_env", strconv.Itoa(t.SeverityRank) + "×" + envName, pct,
		sev * pct / 100, "plan.reason.severity_" + envName}}
	if t.HasSLA {
		left, target := int64(t.SLALeft/time.Second), int64(t.SLATarget/time.Second)
		used := min(max(target-left, 0), target)
		val := strconv.FormatInt(used*100/target, 10) + "%"
		var at risk
		switch {
		case left <= 0:
			at = risk{w.SLABreached, "plan.reason.sla_breached"}
		case left*100 <= target*w.SLANearPercent:
			at = risk{w.SLANear, "plan.reason.sla_near"}
		default:
			at = risk{w.SLARunning * used / target, "plan.reason.sla_running"}
		}
		terms = append(terms, Term{"sla", val, pct, at.points * pct / 100, at.reason})
		if t.SeverityRank == 1 && t.Env == "prod" && at.reason != "plan.reason.sla_running" {
			terms = append(terms, Term{"blocking_prod_at_risk", "1×prod", 1, w.BlockingProdAtRisk, "plan.reason.blocking_prod_at_risk"})
		}
	}
	tier := t.Tier
	if tier == "" {
		tier = "standard"
	}
	terms = append(terms, Term{"tier", tier, 1, w.Tier[tier], "plan.reason.tier_" + tier})
	return terms
}

type risk struct {
	points int64
	reason string
}

func taskTerms(t *TaskFacts, w *Weights, now time.Time) []Term {
	pct, reason := int64(100), "plan.reason.priority_agreed"
	if !t.Agreed {
		pct, reason = w.UnagreedPercent, "plan.reason.priority_unagreed"
	}
	p := string(t.Priority)
	terms := []Term{{"project_priority", p, pct, w.Priority[p] * pct / 100, reason}}
	if due, ok := t.Deadline(); ok {
		val := strconv.FormatInt(t.LeftHours, 10) + "h"
		d := Term{"deadline", val, 1, 0, "plan.reason.deadline_far"}
		if t.LeftHours < 0 || due.Before(now) {
			d.Contribution, d.Reason = w.DeadlineOverdue, "plan.reason.deadline_overdue"
		} else {
			for _, s := range w.Deadline {
				if t.LeftHours <= s.WithinHours {
					d.Contribution, d.Reason = s.Points, "plan.reason.deadline_soon"
					break
				}
			}
		}
		terms = append(terms, d)
	}
	return terms
}

// preventiveTerms scores an occurrence of preventive work: a fixed base
// (planned work the team committed to), and its due day's proximity in
// business hours, on the same steps as a project task's deadline.
func preventiveTerms(p *PreventiveFacts, w *Weights, now time.Time) []Term {
	terms := []Term{{"preventive", p.Kind, 1, w.Preventive, "plan.reason.preventive"}}
	d := Term{"deadline", strconv.FormatInt(p.LeftHours, 10) + "h", 1, 0, "plan.reason.deadline_far"}
	if p.LeftHours < 0 || !now.Before(p.End) {
		d.Contribution, d.Reason = w.DeadlineOverdue, "plan.reason.deadline_overdue"
	} else {
		for _, s := range w.Deadline {
			if p.LeftHours <= s.WithinHours {
				d.Contribution, d.Reason = s.Points, "plan.reason.deadline_soon"
				break
			}
		}
	}
	return append(terms, d)
}
