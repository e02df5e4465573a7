package mail_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/mail/mailtest"
)

// BenchmarkIMAPPoller measures the poller with the real intake, in process: b.N requests wait
// in a local Dovecot folder (run with -benchtime 10000x); the time runs until every one is a
// committed ticket and the folder is empty. The CPU time per message counts this process only
// (not Dovecot). cmd/opsdesk's BenchmarkIMAPIntake measures the binary, with its peak memory.
func BenchmarkIMAPPoller(b *testing.B) {
	e := newIMAPEnv(b, mailtest.DovecotOptions{})
	e.dc.Drop(b, "INBOX", imapRequests(0, b.N)...)
	m := e.mailbox(b, nil)
	p := &mail.IMAPPoller{Mailbox: m, Deliverer: e.intake, Status: e.db}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	b.ResetTimer()
	cpu0 := processCPU()
	go func() {
		defer close(done)
		p.Run(ctx)
	}()
	for e.tickets(b) < b.N {
		time.Sleep(10 * time.Millisecond)
	}
	for inbox(b, e) > 0 {
		time.Sleep(10 * time.Millisecond)
	}
	b.StopTimer()
	cancel()
	<-done
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-µs/msg")
}

// processCPU is the CPU time (user and system) this process used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
