package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestJobLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ctx := context.Background()
		if ok, err := db.Enqueue(ctx, opsdesk.NewJob{Kind: "mail", Payload: map[string]int{"n": 1}, UniqueKey: "mail:1", MaxAttempts: 2}); !ok || err != nil {
			t.Fatalf("enqueue: %v %v", ok, err)
		}
		if ok, _ := db.Enqueue(ctx, opsdesk.NewJob{Kind: "mail", UniqueKey: "mail:1"}); ok {
			t.Fatal("a second pending job with the same unique key was added")
		}
		db.Enqueue(ctx, opsdesk.NewJob{Kind: "later", RunAt: now.Add(time.Hour)})

		jobs, err := db.ClaimJobs(ctx, "w1", 10, time.Minute)
		if err != nil || len(jobs) != 1 || jobs[0].Kind != "mail" || jobs[0].Attempts != 1 || string(jobs[0].Payload) != `{"n":1}` {
			t.Fatalf("claim = %+v, %v", jobs, err)
		}
		if again, _ := db.ClaimJobs(ctx, "w2", 10, time.Minute); len(again) != 0 {
			t.Fatalf("a leased job was claimed twice: %+v", again)
		}
		// First attempt fails: back in the queue at the retry time.
		if _, err := db.FailJob(ctx, jobs[0].ID, "w1", errors.New("relay down"), now.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if err := db.CompleteJob(ctx, jobs[0].ID, "w1"); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("completing a job no longer held: %v", err)
		}
		now = now.Add(2 * time.Minute)
		jobs, _ = db.ClaimJobs(ctx, "w2", 10, time.Minute)
		if len(jobs) != 1 || jobs[0].Attempts != 2 || jobs[0].LastError != "relay down" {
			t.Fatalf("retry claim = %+v", jobs)
		}
		// Second attempt fails: attempts used up, the job is kept as failed.
		db.FailJob(ctx, jobs[0].ID, "w2", errors.New("relay still down"), now.Add(time.Minute))
		failed, err := db.ListJobs(admin, opsdesk.JobFailed, 0)
		if err != nil || len(failed) != 1 || failed[0].LastError != "relay still down" {
			t.Fatalf("failed jobs = %+v, %v", failed, err)
		}
		if _, err := db.ListJobs(opsdesk.WithActor(ctx, opsdesk.Actor{Role: opsdesk.RoleAgent}), "", 0); opsdesk.ErrorKind(err) != opsdesk.KindForbidden {
			t.Fatalf("agent listed jobs: %v", err)
		}
		// An admin retries it; it runs and completes.
		if err := db.RetryJob(admin, failed[0].ID); err != nil {
			t.Fatal(err)
		}
		jobs, _ = db.ClaimJobs(ctx, "w3", 10, time.Minute, "mail")
		if len(jobs) != 1 || jobs[0].Attempts != 1 {
			t.Fatalf("claim after retry = %+v", jobs)
		}
		if err := db.CompleteJob(ctx, jobs[0].ID, "w3"); err != nil {
			t.Fatal(err)
		}
		// Done: the unique key is free again.
		if ok, _ := db.Enqueue(ctx, opsdesk.NewJob{Kind: "mail", UniqueKey: "mail:1"}); !ok {
			t.Fatal("unique key still held by a done job")
		}
		counts, _ := db.JobCounts(ctx)
		if counts[opsdesk.JobDone] != 1 || counts[opsdesk.JobPending] != 2 {
			t.Fatalf("counts = %v", counts)
		}
		now = now.Add(48 * time.Hour)
		if n, err := db.PruneJobs(ctx, now.Add(-24*time.Hour)); err != nil || n != 1 {
			t.Fatalf("prune = %d, %v", n, err)
		}
	})
}

func TestExpiredLeaseIsReclaimed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		now := time.Date(2026, 4, 1, 12, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		ctx := context.Background()
		db.Enqueue(ctx, opsdesk.NewJob{Kind: "probe"})
		first, _ := db.ClaimJobs(ctx, "dead-worker", 1, time.Minute)
		now = now.Add(30 * time.Second)
		if err := db.ExtendLease(ctx, first[0].ID, "dead-worker", time.Minute); err != nil {
			t.Fatal(err)
		}
		now = now.Add(59 * time.Second)
		if jobs, _ := db.ClaimJobs(ctx, "w2", 1, time.Minute); len(jobs) != 0 {
			t.Fatal("a job was reclaimed while its lease was extended")
		}
		now = now.Add(2 * time.Second)
		jobs, _ := db.ClaimJobs(ctx, "w2", 1, time.Minute)
		if len(jobs) != 1 || jobs[0].ID != first[0].ID || jobs[0].Attempts != 2 {
			t.Fatalf("expired lease not reclaimed: %+v", jobs)
		}
		if err := db.CompleteJob(ctx, first[0].ID, "dead-worker"); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("the dead worker completed a job it lost: %v", err)
		}
	})
}
