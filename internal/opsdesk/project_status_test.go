package opsdesk

import (
	"testing"
	"time"
)

func TestDeriveStatus(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n) }
	open := &Phase{ID: 1, Status: PhaseOpen}
	closed := &Phase{ID: 2, Status: PhaseClosed}
	cases := []struct {
		name string
		in   StatusInput
		want ProjectStatus
	}{
		{"nothing due", StatusInput{TargetOn: day(90), Phases: []*Phase{open}}, StatusOnTrack},
		{"item due in 8 days", StatusInput{Phases: []*Phase{open}, Items: []*Item{{PhaseID: 1, Status: ItemTodo, DueOn: day(8)}}}, StatusOnTrack},
		{"item due in 7 days", StatusInput{Phases: []*Phase{open}, Items: []*Item{{PhaseID: 1, Status: ItemTodo, DueOn: day(7)}}}, StatusAtRisk},
		{"item due today", StatusInput{Phases: []*Phase{open}, Items: []*Item{{PhaseID: 1, Status: ItemSubmitted, DueOn: day(0)}}}, StatusAtRisk},
		{"item due yesterday", StatusInput{Phases: []*Phase{open}, Items: []*Item{{PhaseID: 1, Status: ItemTodo, DueOn: day(-1)}}}, StatusLate},
		{"validated item due yesterday", StatusInput{Phases: []*Phase{open}, Items: []*Item{{PhaseID: 1, Status: ItemValidated, DueOn: day(-1)}}}, StatusOnTrack},
		{"open item of a closed phase", StatusInput{Phases: []*Phase{open, closed}, Items: []*Item{{PhaseID: 2, Status: ItemTodo, DueOn: day(-1)}}}, StatusOnTrack},
		{"milestone late", StatusInput{Phases: []*Phase{open}, Tasks: []*Task{{ID: 1, Milestone: true, Status: TaskInProgress, DueOn: day(-3)}}}, StatusLate},
		{"done task late", StatusInput{Phases: []*Phase{open}, Tasks: []*Task{{ID: 1, Status: TaskDone, DueOn: day(-3)}}}, StatusOnTrack},
		{"target past", StatusInput{TargetOn: day(-1), Phases: []*Phase{open}}, StatusLate},
		{"target today", StatusInput{TargetOn: day(0), Phases: []*Phase{open}}, StatusOnTrack},
		{"critical path fits", StatusInput{TargetOn: day(4), Phases: []*Phase{open}, Tasks: []*Task{
			{ID: 1, EstimateHours: 16}, {ID: 2, EstimateHours: 24, DependsOn: []int64{1}}}}, StatusOnTrack},
		{"critical path too long", StatusInput{TargetOn: day(4), Phases: []*Phase{open}, Tasks: []*Task{
			{ID: 1, EstimateHours: 16}, {ID: 2, EstimateHours: 25, DependsOn: []int64{1}}}}, StatusAtRisk},
		{"done work does not count", StatusInput{TargetOn: day(4), Phases: []*Phase{open}, Tasks: []*Task{
			{ID: 1, EstimateHours: 160, Status: TaskDone}, {ID: 2, EstimateHours: 16, DependsOn: []int64{1}}}}, StatusOnTrack},
		{"all phases closed", StatusInput{TargetOn: day(-10), Phases: []*Phase{closed}}, StatusDone},
		{"project closed", StatusInput{TargetOn: day(-10), Closed: true, Phases: []*Phase{open}}, StatusDone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := DeriveStatus(c.in, now); got.Status != c.want {
				t.Fatalf("status = %s %q, want %s", got.Status, got.Reasons, c.want)
			}
		})
	}
	if got := CriticalPathDays([]*Task{{ID: 1, EstimateHours: 4, DependsOn: []int64{2}}, {ID: 2, EstimateHours: 4, DependsOn: []int64{1}}}); got != 1 {
		t.Fatalf("a cycle is cut: %d days", got)
	}
}
