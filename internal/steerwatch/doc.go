// Package steerwatch runs the recurring jobs of operational steering (issue #9): the monthly
// service report mailed to each customer's contacts on the first business day of a month
// (reports.go, docs/report.md "Monthly service report"), and beside it the other steering jobs —
// CAPA suggestions, quality targets, preventive work — each in its own file. Every job is
// idempotent, so several instances, a restart or a retry never act twice.
package steerwatch
