package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// opsdeskBinary builds the real opsdesk binary once per test run.
func opsdeskBinary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "opsdesk-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "opsdesk")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binPath
}

// process is a running opsdesk binary.
type process struct {
	cmd  *exec.Cmd
	base string
}

// startProcess runs `opsdesk serve` as a separate process on a free port and waits until it
// prints its URL.
func startProcess(tb testing.TB, dataDir string) *process {
	tb.Helper()
	cmd := exec.Command(opsdeskBinary(tb), "serve")
	cmd.Env = append(os.Environ(), "OPSDESK_DATA_DIR="+dataDir, "OPSDESK_LISTEN=127.0.0.1:0", "OPSDESK_LOG_LEVEL=warn")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	p := &process{cmd: cmd}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := listenRE.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	select {
	case p.base = <-urls:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		tb.Fatal("opsdesk did not print its URL")
	}
	tb.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return p
}

func TestSIGTERMStopsGracefully(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			p := startProcess(t, t.TempDir())
			resp, err := http.Get(p.base + "/readyz")
			if err != nil || resp.StatusCode != 200 {
				t.Fatalf("readyz: %v %v", resp, err)
			}
			resp.Body.Close()
			p.cmd.Process.Signal(sig)
			done := make(chan error, 1)
			go func() { done <- p.cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit after %v: %v (want status 0)", sig, err)
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("opsdesk did not stop within 20s of %v", sig)
			}
		})
	}
}

// BenchmarkServeToReady measures, on a fresh data directory each time, the time from starting
// the opsdesk binary to its first successful /readyz, and its resident memory after two idle
// seconds. Results are in docs/benchmarks.md.
func BenchmarkServeToReady(b *testing.B) {
	bin := opsdeskBinary(b)
	var total time.Duration
	var rss float64
	for b.Loop() {
		dir := b.TempDir()
		start := time.Now()
		p := startProcess(b, dir)
		for {
			resp, err := http.Get(p.base + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			time.Sleep(time.Millisecond)
		}
		total += time.Since(start)
		b.StopTimer()
		time.Sleep(2 * time.Second)
		rss += rssMB(b, p.cmd.Process.Pid)
		p.cmd.Process.Signal(syscall.SIGTERM)
		p.cmd.Wait()
		b.StartTimer()
	}
	_ = bin
	b.ReportMetric(float64(total.Milliseconds())/float64(b.N), "ms-to-ready")
	b.ReportMetric(rss/float64(b.N), "MB-idle-RSS")
}

func rssMB(tb testing.TB, pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			var kb float64
			fmt.Sscanf(strings.TrimSpace(v), "%f", &kb)
			return kb / 1024
		}
	}
	tb.Fatal("no VmRSS")
	return 0
}
