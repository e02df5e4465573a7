package opsdesk

import (
	"encoding/json"
	"time"
)

// JobState is where a background job stands.
type JobState string

// The job states. A job is pending until a worker claims it (running); it ends done, or failed
// once its attempts are used up. Failed jobs are kept for admins to see and retry.
const (
	JobPending JobState = "pending"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobFailed  JobState = "failed"
)

// Job is one unit of background work, stored durably: an outgoing mail, an SLA check, a probe run.
type Job struct {
	ID          int64
	Kind        string
	Payload     json.RawMessage
	State       JobState
	RunAt       time.Time
	Attempts    int
	MaxAttempts int
	LastError   string
	LockedBy    string
	LockedUntil time.Time
	UniqueKey   string // optional: at most one pending/running job per key
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// NewJob is a job to enqueue.
type NewJob struct {
	Kind        string
	Payload     any       // marshalled to JSON
	RunAt       time.Time // zero: now
	MaxAttempts int       // zero: 10
	UniqueKey   string    // optional: enqueuing a second pending job with this key is a no-op
}
