package jobs_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/jobs"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func counts(t *testing.T, db *store.DB) map[opsdesk.JobState]int {
	c, err := db.JobCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTwoInstancesRunEachJobOnce runs two runners, each with its own connection pool as two
// opsdesk instances would have, on one database, and proves every job ran exactly once.
func TestTwoInstancesRunEachJobOnce(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn := storetest.DSN(t, d)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var instances []*store.DB
			for range 2 {
				db, err := store.Open(ctx, dsn, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if _, err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				instances = append(instances, db)
			}
			const n = 400
			for i := range n {
				if _, err := instances[0].Enqueue(ctx, opsdesk.NewJob{Kind: "work", Payload: map[string]int{"i": i}}); err != nil {
					t.Fatal(err)
				}
			}
			var mu sync.Mutex
			runs := map[int]int{}
			byInstance := map[string]int{}
			var wg sync.WaitGroup
			for k, db := range instances {
				r := jobs.New(db, jobs.Options{Workers: 4, Poll: 5 * time.Millisecond, Logger: quiet, WorkerID: fmt.Sprint("instance-", k)})
				r.Handle("work", func(ctx context.Context, j *opsdesk.Job) error {
					var p struct{ I int }
					json.Unmarshal(j.Payload, &p)
					mu.Lock()
					runs[p.I]++
					byInstance[fmt.Sprint(k)]++
					mu.Unlock()
					time.Sleep(time.Millisecond)
					return nil
				})
				wg.Add(1)
				go func() { defer wg.Done(); r.Run(ctx) }()
			}
			waitFor(t, "all jobs done", func() bool { return counts(t, instances[0])[opsdesk.JobDone] == n })
			cancel()
			wg.Wait()
			for i := range n {
				if runs[i] != 1 {
					t.Errorf("job %d ran %d times", i, runs[i])
				}
			}
			if byInstance["0"] == 0 || byInstance["1"] == 0 {
				t.Errorf("work was not shared: %v", byInstance)
			}
			t.Logf("runs per instance: %v", byInstance)
		})
	}
}

func TestRetryPermanentAndPanic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		attempts := map[string]int{}
		outcomes := map[string][]string{}
		r := jobs.New(db, jobs.Options{Poll: 5 * time.Millisecond, Logger: quiet, Backoff: func(int) time.Duration { return 0 },
			OnRun: func(kind, outcome string, _ time.Duration) {
				mu.Lock()
				outcomes[kind] = append(outcomes[kind], outcome)
				mu.Unlock()
			}})
		count := func(kind string) int {
			mu.Lock()
			defer mu.Unlock()
			attempts[kind]++
			return attempts[kind]
		}
		r.Handle("flaky", func(ctx context.Context, j *opsdesk.Job) error {
			if count("flaky") < 3 {
				return errors.New("not yet")
			}
			return nil
		})
		r.Handle("bad", func(ctx context.Context, j *opsdesk.Job) error {
			count("bad")
			return jobs.Permanent(errors.New("malformed payload"))
		})
		r.Handle("boom", func(ctx context.Context, j *opsdesk.Job) error {
			count("boom")
			panic("handler bug")
		})
		for _, k := range []string{"flaky", "bad", "boom"} {
			db.Enqueue(ctx, opsdesk.NewJob{Kind: k, MaxAttempts: 5})
		}
		go r.Run(ctx)
		waitFor(t, "jobs settled", func() bool {
			c := counts(t, db)
			return c[opsdesk.JobDone] == 1 && c[opsdesk.JobFailed] == 2
		})
		mu.Lock()
		defer mu.Unlock()
		if attempts["flaky"] != 3 || attempts["bad"] != 1 || attempts["boom"] != 5 {
			t.Errorf("attempts = %v; want flaky 3, bad 1 (permanent), boom 5 (max)", attempts)
		}
		failed, _ := db.ListJobs(opsdesk.WithActor(ctx, opsdesk.System("t")), opsdesk.JobFailed, 0)
		for _, j := range failed {
			if j.Kind == "boom" && j.LastError != "panic: handler bug" {
				t.Errorf("panic recorded as %q", j.LastError)
			}
		}
		if fmt.Sprint(outcomes["flaky"]) != "[retry retry done]" {
			t.Errorf("flaky outcomes = %v", outcomes["flaky"])
		}
	})
}

func TestRecurringJobRunsOnceAcrossRunners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		n := 0
		for k := range 2 {
			r := jobs.New(db, jobs.Options{Poll: 5 * time.Millisecond, Logger: quiet, WorkerID: fmt.Sprint("r", k)})
			r.Every("tick", time.Hour, func(ctx context.Context, j *opsdesk.Job) error {
				mu.Lock()
				n++
				mu.Unlock()
				return nil
			})
			go r.Run(ctx)
		}
		waitFor(t, "first tick", func() bool { mu.Lock(); defer mu.Unlock(); return n >= 1 })
		waitFor(t, "next tick scheduled", func() bool { return counts(t, db)[opsdesk.JobPending] == 1 })
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		if n != 1 {
			t.Fatalf("recurring job ran %d times, want once until its interval passes", n)
		}
		pending, _ := db.ListJobs(opsdesk.WithActor(ctx, opsdesk.System("t")), opsdesk.JobPending, 0)
		if len(pending) != 1 || time.Until(pending[0].RunAt) < 59*time.Minute {
			t.Fatalf("next occurrence = %+v", pending)
		}
	})
}

// TestThenEnqueuesFollowUpsWithCompletion: follow-up jobs asked for by a handler are recorded
// with its completion, and not at all by an attempt that fails.
func TestThenEnqueuesFollowUpsWithCompletion(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var mu sync.Mutex
		attempts := 0
		done := map[string]int{}
		r := jobs.New(db, jobs.Options{Poll: 5 * time.Millisecond, Logger: quiet, Backoff: func(int) time.Duration { return 0 }})
		r.Handle("fanout", func(ctx context.Context, j *opsdesk.Job) error {
			jobs.Then(ctx, opsdesk.NewJob{Kind: "leaf", Payload: "a"}, opsdesk.NewJob{Kind: "leaf", Payload: "b"})
			mu.Lock()
			defer mu.Unlock()
			attempts++
			if attempts == 1 {
				return errors.New("first attempt fails after asking for follow-ups")
			}
			return nil
		})
		r.Handle("leaf", func(ctx context.Context, j *opsdesk.Job) error {
			mu.Lock()
			done[string(j.Payload)]++
			mu.Unlock()
			return nil
		})
		db.Enqueue(ctx, opsdesk.NewJob{Kind: "fanout"})
		go r.Run(ctx)
		waitFor(t, "leaves done", func() bool { return counts(t, db)[opsdesk.JobDone] == 3 })
		time.Sleep(50 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		if attempts != 2 || done[`"a"`] != 1 || done[`"b"`] != 1 {
			t.Fatalf("attempts %d, leaves %v: want 2 attempts and each leaf once", attempts, done)
		}
	})
}
