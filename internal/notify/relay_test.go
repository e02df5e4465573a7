package notify_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/notify"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// TestRelayDownThenAdminRetry: with the relay's port closed every attempt is recorded, the mail
// is left failed after its last attempt and admins see it; once the relay is back, an admin's
// retry sends it exactly once — also when the old failed job is retried from the jobs page.
func TestRelayDownThenAdminRetry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		addr := freeAddr(t)
		opt := options(addr)
		opt.MaxAttempts = 3
		n := run(t, db, opt)
		tk := file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Reports are slow"})
		idle(t, db)
		failed, err := db.ListOutbox(as(f.ops), store.OutboxFilter{State: store.OutboxFailed, TicketKey: tk.Key})
		if err != nil || len(failed) != 3 {
			t.Fatalf("failed mails visible to the ops manager: %d, %v", len(failed), err)
		}
		var ack *store.OutboxMail
		for _, m := range failed {
			if m.Attempts != 3 || !strings.Contains(m.LastError, "connection refused") {
				t.Errorf("mail %d: %d attempts, last error %q", m.ID, m.Attempts, m.LastError)
			}
			if m.Kind == string(notify.KindAck) {
				ack = m
			}
		}
		if counts, _ := db.OutboxCounts(admin); counts[store.OutboxFailed] != 3 {
			t.Errorf("outbox counts = %v", counts)
		}
		if _, err := db.ListOutbox(as(f.bob), store.OutboxFilter{}); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Errorf("a customer reads the outbox: %v", err)
		}

		rl := &relay{}
		startRelay(t, rl, addr, nil, false)
		if err := n.Retry(as(f.bob), ack.ID); !opsdesk.IsKind(err, opsdesk.KindForbidden) {
			t.Errorf("a customer retries a mail: %v", err)
		}
		if err := n.Retry(as(f.adm), ack.ID); err != nil {
			t.Fatal(err)
		}
		idle(t, db)
		if rl.count() != 1 || rl.mails(t)[0].Envelope.To[0] != f.bob.Email {
			t.Fatalf("after the admin's retry the relay got %d mails", rl.count())
		}
		m, _ := db.OutboxMailByID(admin, ack.ID)
		if m.State != store.OutboxSent || m.Attempts != 4 || m.LastError != "" {
			t.Errorf("retried mail: %s, %d attempts, %q", m.State, m.Attempts, m.LastError)
		}
		if err := n.Retry(as(f.adm), ack.ID); !opsdesk.IsKind(err, opsdesk.KindNotFound) {
			t.Errorf("retrying a sent mail: %v", err)
		}
		// The jobs page offers the old failed jobs too: running one again sends nothing twice.
		jobs, _ := db.ListJobs(admin, opsdesk.JobFailed, 100)
		found := false
		for _, j := range jobs {
			if j.Kind == notify.SendJob && strings.Contains(string(j.Payload), `"outbox_id":`+itoa(ack.ID)+`}`) {
				if err := db.RetryJob(admin, j.ID); err != nil {
					t.Fatal(err)
				}
				found = true
			}
		}
		if !found {
			t.Fatal("the failed mail.send job of the acknowledgement is not on the jobs page")
		}
		idle(t, db)
		time.Sleep(50 * time.Millisecond)
		if rl.count() != 1 {
			t.Fatalf("the mail was sent %d times", rl.count())
		}
	})
}

// TestNoRelayKeepsMail: without a relay, mails are written and kept as not sent, never dropped.
func TestNoRelayKeepsMail(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		run(t, db, options(""))
		file(t, db, as(f.alice), opsdesk.NewTicket{Subject: "Panne"})
		idle(t, db)
		ms := outbox(t, db)
		if len(ms) != 3 {
			t.Fatalf("%d mails in the outbox, want 3", len(ms))
		}
		for _, m := range ms {
			if m.State != store.OutboxFailed || m.LastError != notify.NoRelay || m.Subject == "" || m.Text == "" || m.HTML == "" {
				t.Errorf("mail %d: %s, %q, subject %q", m.ID, m.State, m.LastError, m.Subject)
			}
		}
		if failed, _ := db.ListJobs(admin, opsdesk.JobFailed, 10); len(failed) != 0 {
			t.Errorf("%d failed jobs: keeping a mail for want of a relay is not a job failure", len(failed))
		}
	})
}

// TestRelayTLSAndAuth sends through STARTTLS and implicit TLS with credentials, and sees a
// relay's refusal (a wrong password) fail the mail at once, without retries.
func TestRelayTLSAndAuth(t *testing.T) {
	serverTLS, clientTLS := selfSigned(t)
	for _, c := range []struct {
		name, mode, password string
		implicit, sent       bool
	}{
		{"starttls", "starttls", "s3cret", false, true},
		{"tls", "tls", "s3cret", true, true},
		{"refused", "tls", "wrong", true, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			db := storetest.Open(t, store.SQLite)
			f := newFixture(t, db)
			rl := &relay{user: "desk", pass: "s3cret"}
			startRelay(t, rl, "127.0.0.1:0", serverTLS, c.implicit)
			opt := options(rl.addr)
			opt.TLS, opt.TLSConfig, opt.User, opt.Password, opt.MaxAttempts = c.mode, clientTLS, "desk", c.password, 5
			run(t, db, opt)
			file(t, db, as(f.bob), opsdesk.NewTicket{Subject: "Over " + c.name})
			idle(t, db)
			want := 0
			if c.sent {
				want = 3
			}
			if rl.count() != want {
				t.Fatalf("the relay got %d mails, want %d", rl.count(), want)
			}
			for _, m := range outbox(t, db) {
				switch {
				case c.sent && m.State != store.OutboxSent:
					t.Errorf("mail %d: %s, %q", m.ID, m.State, m.LastError)
				case !c.sent && (m.State != store.OutboxFailed || m.Attempts != 1 || !strings.Contains(m.LastError, "535")):
					t.Errorf("mail refused by the relay: %s after %d attempts, %q", m.State, m.Attempts, m.LastError)
				}
			}
		})
	}
}

func itoa(n int64) string { return big.NewInt(n).String() }

// selfSigned makes a certificate for 127.0.0.1 and the client configuration that trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "relay.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: roots}
}
