// Package plan is the pure arithmetic behind the steering plan (issue #9):
// one explainable priority score over open tickets, open project tasks and
// open occurrences of recurring preventive work, the ops manager's pins and
// moves applied after scoring, filters over the ranked rows, and the
// week-by-week capacity plan per level and per agent.
//
// The package does no I/O and reads no clock: the caller loads the items,
// computes business time left with internal/sla, and passes "now". All
// arithmetic is on integers (points, minutes), so results are exact and
// reproducible. The rules are described with worked examples in docs/plan.md.
package plan
