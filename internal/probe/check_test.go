package probe_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/probe"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

func TestCheck(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") != probe.UserAgent || r.Header.Get("Cookie") != "" {
			http.Error(w, "bad client", http.StatusBadRequest)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "s", Value: "1"})
		w.Write([]byte("all systems go"))
	})
	// /hop/N redirects N more times before landing on /ok.
	mux.HandleFunc("/hop/{n}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("n") == "0" {
			http.Redirect(w, r, "/ok", http.StatusFound)
			return
		}
		n := int(r.PathValue("n")[0] - '1')
		http.Redirect(w, r, "/hop/"+string(rune('0'+n)), http.StatusFound)
	})
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.com/file", http.StatusFound)
	})
	// /big sends 1 MB of filler, then the marker.
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", 1<<20) + "MARKER"))
	})
	mux.HandleFunc("/small", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(strings.Repeat("x", 1000) + "MARKER"))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	c := probe.NewChecker(nil, nil)
	for _, tc := range []struct {
		name, path, method, body string
		status                   int
		ok                       bool
		err                      string
	}{
		{"healthy", "/ok", "GET", "systems go", 200, true, ""},
		{"head", "/ok", "HEAD", "", 200, true, ""},
		{"wrong status", "/nothing", "GET", "", 200, false, "status 404, expected 200"},
		{"substring missing", "/ok", "GET", "welcome", 200, false, "do not contain"},
		{"three redirects followed", "/hop/2", "GET", "systems go", 200, true, ""},
		{"four redirects refused", "/hop/3", "GET", "", 200, false, "more than 3 redirects"},
		{"redirect to another scheme refused", "/ftp", "GET", "", 200, false, "redirect to a ftp URL refused"},
		{"body read to a cap", "/big", "GET", "MARKER", 200, false, "first 64 KB"},
		{"marker within the cap", "/small", "GET", "MARKER", 200, true, ""},
		{"timeout", "/slow", "GET", "", 200, false, "no answer within 1s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &opsdesk.Probe{EnvironmentID: 1, Name: "x", URL: srv.URL + tc.path, Method: tc.method, BodyContains: tc.body,
				ExpectStatus: tc.status, Timeout: time.Second, Interval: time.Minute}
			if err := p.Validate(); err != nil {
				t.Fatal(err)
			}
			r := c.Check(context.Background(), p)
			if r.OK != tc.ok || !strings.Contains(r.Error, tc.err) || (tc.ok && r.Error != "") {
				t.Fatalf("result = %+v, want ok %v error containing %q", r, tc.ok, tc.err)
			}
		})
	}
}

// tlsServer serves https with a self-signed certificate expiring at notAfter; the pool trusts it.
func tlsServer(t *testing.T, notAfter time.Time) (*httptest.Server, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(42), Subject: pkix.Name{CommonName: "probe test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: notAfter, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return srv, pool
}

// A certificate within the warning days opens one preventive request for that certificate.
func TestCertificateExpiryOpensOneRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db, opsdesk.EnvProd)
		f.clock.now = time.Now().UTC().Truncate(time.Second) // certificates are verified against the real time
		notAfter := f.clock.now.Add(10 * 24 * time.Hour).Truncate(time.Second)
		srv, pool := tlsServer(t, notAfter)
		p := f.probe(t, "TLS", func(p *opsdesk.Probe) { p.URL, p.BodyContains, p.TLSWarnDays = srv.URL, "", 30 })
		var last *store.ProbeOutcome
		s := probe.New(db, probe.Options{Owner: "a", Checker: probe.NewChecker(pool, db.Now),
			OnResult: func(o *store.ProbeOutcome, _ *opsdesk.ProbeResult, _ time.Duration) { last = o }})
		for i := range 3 {
			runAt(t, f, s, map[bool]time.Duration{true: 0, false: time.Minute}[i == 0])
			if i == 0 && (last.CertRequest == "" || !last.Probe.CertNotAfter.Equal(notAfter)) {
				t.Fatalf("first run: %+v, cert %s want %s", last, last.Probe.CertNotAfter, notAfter)
			}
		}
		ts := f.tickets(t)
		if len(ts) != 1 || ts[0].Type != opsdesk.TypeServiceRequest || ts[0].Severity != "minor" ||
			!strings.Contains(ts[0].Subject, notAfter.Format("2006-01-02")) {
			t.Fatalf("tickets = %+v", ts)
		}
		if got := f.results(t, p.ID); got != 3 {
			t.Fatalf("%d results", got)
		}
	})
}
