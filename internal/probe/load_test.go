package probe_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/probe"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// The probes load test (docs/benchmarks.md, "Probes"): 5,000 probes at a 60 s interval against a
// local HTTP server, in real time, measuring the scheduling lag, the CPU used by opsdesk's side
// (getrusage of this process; the HTTP server runs in a child process so its CPU is not counted)
// and the storage each result takes. It runs only when asked:
//
//	OPSDESK_PROBE_LOAD=5m go test ./internal/probe/ -run TestProbeLoad -v -timeout 30m
//
// with OPSDESK_TEST_POSTGRES_URL set, it runs on PostgreSQL instead of SQLite.

const loadServerEnv = "OPSDESK_PROBE_LOAD_SERVER"

func TestMain(m *testing.M) {
	if addr := os.Getenv(loadServerEnv); addr != "" {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println(ln.Addr().String())
		http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("status: ok")) }))
		return
	}
	os.Exit(m.Run())
}

func TestProbeLoad(t *testing.T) {
	d, _ := time.ParseDuration(os.Getenv("OPSDESK_PROBE_LOAD"))
	if d <= 0 {
		t.Skip("set OPSDESK_PROBE_LOAD to a measuring duration, such as 5m")
	}
	const probes, interval = 5000, 60 * time.Second
	dialect := storetest.Dialects()[len(storetest.Dialects())-1]
	db := storetest.Open(t, dialect)
	db.Now = time.Now
	// The HTTP server: this test binary again, in a child process.
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), loadServerEnv+"=127.0.0.1:0")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	buf := make([]byte, 64)
	n, err := out.Read(buf)
	if err != nil {
		t.Fatal(err)
	}
	addr := strings.TrimSpace(string(buf[:n]))

	ctx := context.Background()
	if err := db.SeedDefaults(ctx); err != nil {
		t.Fatal(err)
	}
	cust := &opsdesk.Customer{Code: "LOAD", Name: "Load"}
	if err := db.CreateCustomer(admin, cust); err != nil {
		t.Fatal(err)
	}
	env := &opsdesk.Environment{CustomerID: cust.ID, Kind: opsdesk.EnvProd, Name: "Production"}
	if err := db.CreateEnvironment(admin, env); err != nil {
		t.Fatal(err)
	}
	for i := range probes {
		p := &opsdesk.Probe{EnvironmentID: env.ID, Name: "p" + strconv.Itoa(i), URL: "http://" + addr + "/health/" + strconv.Itoa(i),
			BodyContains: "ok", Interval: interval, Timeout: 5 * time.Second, Enabled: true}
		if err := db.CreateProbe(admin, p); err != nil {
			t.Fatal(err)
		}
	}
	// Spread the first runs over one interval, as probes created over time are.
	start := time.Now().Add(2 * time.Second)
	if _, err := db.SQL().Exec(db.Rebind(`UPDATE env_probes SET next_due = ? + (id * 12) % 60000`), start.UnixMilli()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var lags []time.Duration
	measuring := false
	s := probe.New(db, probe.Options{Workers: 16, OnResult: func(_ *store.ProbeOutcome, _ *opsdesk.ProbeResult, lag time.Duration) {
		mu.Lock()
		if measuring {
			lags = append(lags, lag)
		}
		mu.Unlock()
	}})
	runCtx, stop := context.WithCancel(ctx)
	stopped := s.Start(runCtx)
	time.Sleep(time.Until(start.Add(interval))) // warm up: one whole interval
	size0, rows0 := resultStorage(t, db)
	cpu0, wall0 := cpuTime(), time.Now()
	mu.Lock()
	measuring = true
	mu.Unlock()
	time.Sleep(d)
	cpu, wall := cpuTime()-cpu0, time.Since(wall0)
	mu.Lock()
	measuring = false
	got := slices.Clone(lags)
	mu.Unlock()
	stop()
	stopped()
	size1, rows1 := resultStorage(t, db)
	slices.Sort(got)
	pct := func(q float64) time.Duration { return got[min(len(got)-1, int(q*float64(len(got))))] }
	perResult := float64(size1-size0) / float64(max(rows1-rows0, 1))
	t.Logf("dialect %s, %d probes every %s, measured %s after a %s warm-up", dialect, probes, interval, wall.Round(time.Second), interval)
	t.Logf("runs %d (%.1f/s, expected %.1f/s)", len(got), float64(len(got))/wall.Seconds(), probes/interval.Seconds())
	t.Logf("scheduling lag p50 %s, p99 %s, max %s", pct(.5), pct(.99), got[len(got)-1])
	t.Logf("CPU %s over %s = %.1f%% of one core", cpu.Round(time.Millisecond), wall.Round(time.Second), 100*cpu.Seconds()/wall.Seconds())
	t.Logf("storage %.0f bytes per result → %.1f MB per day for %d probes (%d results per day)",
		perResult, perResult*probes*1440/1e6, probes, probes*1440)
}

// cpuTime is the user and system CPU this process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// resultStorage gives the bytes the results table and its indexes take, and its row count.
func resultStorage(t *testing.T, db *store.DB) (int64, int64) {
	t.Helper()
	var size, rows int64
	if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM env_probe_results`).Scan(&rows); err != nil {
		t.Fatal(err)
	}
	if db.Dialect() == store.Postgres {
		if err := db.SQL().QueryRow(`SELECT pg_total_relation_size('env_probe_results')`).Scan(&size); err != nil {
			t.Fatal(err)
		}
		return size, rows
	}
	// SQLite: the whole file after a checkpoint (results dominate what grows).
	var path string
	if err := db.SQL().QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
		t.Fatal(err)
	}
	if _, err := db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(filepath.Clean(path))
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size(), rows
}
