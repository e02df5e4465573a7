package mail_test

import (
	"context"
	"fmt"
	"net/smtp"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/mail"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// benchEnv is an SQLite database with 200 contacts of five customers and a real blob store.
func benchEnv(b *testing.B) (*env, []string) {
	e := newEnv(b, storetest.Open(b, store.SQLite))
	e.in.Policy.RateLimit = 1 << 30 // checked on every message, never reached
	var senders []string
	for c := range 5 {
		cust := &opsdesk.Customer{Code: fmt.Sprintf("CUST%d", c), Name: "Customer", Domains: []string{fmt.Sprintf("c%d.example", c)}}
		if err := e.db.CreateCustomer(admin, cust); err != nil {
			b.Fatal(err)
		}
		for i := range 40 {
			ct := &opsdesk.Contact{CustomerID: cust.ID, Email: fmt.Sprintf("user%d@c%d.example", i, c), Name: "User"}
			if err := e.db.CreateContact(admin, ct); err != nil {
				b.Fatal(err)
			}
			senders = append(senders, ct.Email)
		}
	}
	return e, senders
}

// cpuTime is the CPU time (user and system) the process used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// report gives the rate, and the CPU time per message, which depends less on what else the
// machine is doing than the rate.
func report(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/msg")
}

// benchBody is a typical request: a few paragraphs, and for replies the quoted conversation.
const benchBody = "Hello,\n\nSince this morning the nightly export to the warehouse fails with a timeout after\n" +
	"about ten minutes. Nothing changed on our side. Could you have a look?\n\nBest regards,\nA user\n"

// BenchmarkIntake measures end-to-end intake on SQLite with the real parser and blob store:
// messages delivered per second by 8 concurrent channels (as an MTA's connections), for new
// tickets, for replies threaded into existing tickets, and over the SMTP listener on loopback.
// It also reports the CPU time per message, which depends less than the rate on what else the
// machine is doing.
func BenchmarkIntake(b *testing.B) {
	b.Run("new", benchNew)
	b.Run("reply", func(b *testing.B) {
		e, senders := benchEnv(b)
		for i := range 200 {
			e.deliver(b, "smtp", build(fmt.Sprintf("From: %s\nSubject: Old %d\nMessage-ID: <o%d@bench.example>", senders[i], i, i), benchBody))
		}
		var n atomic.Int64
		b.SetParallelism(4)
		b.ResetTimer()
		cpu0 := cpuTime()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				i := n.Add(1)
				raw := build(fmt.Sprintf("From: %s\nSubject: RE: [OPS-%d] Old\nMessage-ID: <r%d@bench.example>\nIn-Reply-To: <o%d@bench.example>",
					senders[i%200], 1001+i%200, i, i%200), "Thanks, it works again.\n\nOn Mon, 2 Mar 2026, Support wrote:\n> "+benchBody)
				if r, err := e.in.Deliver(context.Background(), mail.Inbound{Source: "smtp", Raw: raw}); err != nil || r.Status != mail.StatusReply {
					b.Fatalf("deliver: %+v %v", r, err)
				}
			}
		})
		report(b, cpu0)
	})
	b.Run("smtp", func(b *testing.B) {
		e, senders := benchEnv(b)
		l, err := mail.NewListener(mail.ListenerOptions{SMTPAddr: "127.0.0.1:0", Addresses: []string{"support@vendor.example"},
			MaxBytes: 1 << 20, Deliverer: e.in})
		if err != nil || l.Start() != nil {
			b.Fatal(err)
		}
		defer l.Shutdown(context.Background())
		addr := l.Addrs()[0].String()
		var n atomic.Int64
		b.SetParallelism(4)
		b.ResetTimer()
		cpu0 := cpuTime()
		b.RunParallel(func(pb *testing.PB) {
			c, err := smtp.Dial(addr)
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			for pb.Next() {
				i := n.Add(1)
				from := senders[i%200]
				raw := build(fmt.Sprintf("From: %s\nSubject: Over SMTP %d\nMessage-ID: <s%d@bench.example>", from, i, i), benchBody)
				if err := c.Mail(from); err != nil {
					b.Fatal(err)
				}
				if err := c.Rcpt("support@vendor.example"); err != nil {
					b.Fatal(err)
				}
				w, err := c.Data()
				if err != nil {
					b.Fatal(err)
				}
				w.Write(raw)
				if err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
		report(b, cpu0)
	})
}

// benchNew delivers new requests from known contacts: each opens a ticket.
func benchNew(b *testing.B) {
	e, senders := benchEnv(b)
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			raw := build(fmt.Sprintf("From: User <%s>\nSubject: Export fails %d\nMessage-ID: <n%d@bench.example>", senders[i%200], i, i), benchBody)
			if r, err := e.in.Deliver(context.Background(), mail.Inbound{Source: "smtp", Raw: raw}); err != nil || r.Status != mail.StatusTicket {
				b.Fatalf("deliver: %+v %v", r, err)
			}
		}
	})
	report(b, cpu0)
}
