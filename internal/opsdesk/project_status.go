package opsdesk

import (
	"fmt"
	"math"
	"time"
)

// ProjectStatus is a project's health, derived (never stored) from its dates and states.
type ProjectStatus string

// The derived statuses.
const (
	StatusOnTrack ProjectStatus = "on_track"
	StatusAtRisk  ProjectStatus = "at_risk"
	StatusLate    ProjectStatus = "late"
	StatusDone    ProjectStatus = "done"
)

// AtRiskDays is the look-ahead: an open item or task due within this many calendar days puts the
// project at risk.
const AtRiskDays = 7

// HoursPerDay converts remaining estimates into calendar days for the critical path.
const HoursPerDay = 8

// StatusInput is what the derivation looks at.
type StatusInput struct {
	TargetOn time.Time
	Closed   bool
	Phases   []*Phase
	Items    []*Item
	Tasks    []*Task
}

// StatusReport is a derived status with the reasons behind it (the first few, most serious first).
type StatusReport struct {
	Status  ProjectStatus
	Reasons []string
}

// DeriveStatus computes a project's status at now, a pure function:
//   - done: the project is closed, or every phase is closed;
//   - late: an open item or an unfinished task or milestone is past its due day, or the target day
//     is past;
//   - at risk: an open item or unfinished task is due within AtRiskDays, or the critical path —
//     the longest chain of remaining estimates through unfinished tasks and their dependencies, at
//     HoursPerDay hours a calendar day from today — ends after the target day;
//   - on track otherwise.
//
// Items of closed phases do not count.
func DeriveStatus(in StatusInput, now time.Time) StatusReport {
	closedPhase := map[int64]bool{}
	allClosed := len(in.Phases) > 0
	for _, p := range in.Phases {
		if p.Status == PhaseClosed {
			closedPhase[p.ID] = true
		} else {
			allClosed = false
		}
	}
	if in.Closed || allClosed {
		return StatusReport{Status: StatusDone}
	}
	var late, risk []string
	soon := Day(now).AddDate(0, 0, AtRiskDays)
	check := func(what string, due time.Time) {
		switch {
		case due.IsZero():
		case PastDay(due, now):
			late = append(late, fmt.Sprintf("%s was due %s", what, due.Format(time.DateOnly)))
		case !due.After(soon):
			risk = append(risk, fmt.Sprintf("%s is due %s", what, due.Format(time.DateOnly)))
		}
	}
	for _, it := range in.Items {
		if !it.Status.Complete() && !closedPhase[it.PhaseID] {
			check(fmt.Sprintf("item %q", it.TitleEN), it.DueOn)
		}
	}
	for _, t := range in.Tasks {
		if t.Status != TaskDone {
			what := "task"
			if t.Milestone {
				what = "milestone"
			}
			check(fmt.Sprintf("%s %q", what, t.Title), t.DueOn)
		}
	}
	if PastDay(in.TargetOn, now) {
		late = append(late, fmt.Sprintf("the target date %s is past", in.TargetOn.Format(time.DateOnly)))
	}
	if !in.TargetOn.IsZero() {
		if days := CriticalPathDays(in.Tasks); days > 0 {
			end := Day(now).AddDate(0, 0, days-1)
			if end.After(Day(in.TargetOn)) {
				risk = append(risk, fmt.Sprintf("the remaining work (%d days) ends %s, after the target date %s",
					days, end.Format(time.DateOnly), in.TargetOn.Format(time.DateOnly)))
			}
		}
	}
	switch {
	case len(late) > 0:
		return StatusReport{Status: StatusLate, Reasons: append(late, risk...)}
	case len(risk) > 0:
		return StatusReport{Status: StatusAtRisk, Reasons: risk}
	}
	return StatusReport{Status: StatusOnTrack}
}

// CriticalPathDays is the length, in whole calendar days of HoursPerDay hours, of the longest
// chain of remaining estimates through unfinished tasks and their dependencies (done tasks count
// zero). Dependency cycles, which the store refuses, are cut.
func CriticalPathDays(tasks []*Task) int {
	byID := make(map[int64]*Task, len(tasks))
	for _, t := range tasks {
		byID[t.ID] = t
	}
	memo := map[int64]float64{}
	visiting := map[int64]bool{}
	var finish func(t *Task) float64
	finish = func(t *Task) float64 {
		if v, ok := memo[t.ID]; ok {
			return v
		}
		if visiting[t.ID] {
			return 0
		}
		visiting[t.ID] = true
		var before float64
		for _, d := range t.DependsOn {
			if dt, ok := byID[d]; ok {
				before = math.Max(before, finish(dt))
			}
		}
		visiting[t.ID] = false
		own := t.EstimateHours
		if t.Status == TaskDone {
			own = 0
		}
		memo[t.ID] = before + own
		return memo[t.ID]
	}
	var longest float64
	for _, t := range tasks {
		longest = math.Max(longest, finish(t))
	}
	return int(math.Ceil(longest / HoursPerDay))
}
