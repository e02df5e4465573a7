package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

// Client is a logged-in IMAP connection to the server over plain IMAP, closed when the test ends.
func (d *Dovecot) Client(tb testing.TB) *imapclient.Client {
	tb.Helper()
	c, err := imapclient.DialInsecure(d.Addr, nil)
	if err != nil {
		tb.Fatalf("dial dovecot: %v", err)
	}
	tb.Cleanup(func() { c.Close() })
	if err := c.Login(d.User, d.Password).Wait(); err != nil {
		tb.Fatalf("login to dovecot: %v\n%s", err, d.Log())
	}
	return c
}

// Append adds messages to a folder (created if missing) through IMAP and returns their UIDs.
func (d *Dovecot) Append(tb testing.TB, folder string, raws ...[]byte) []imap.UID {
	tb.Helper()
	c := d.Client(tb)
	defer c.Close()
	d.create(tb, c, folder)
	var uids []imap.UID
	for _, raw := range raws {
		cmd := c.Append(folder, int64(len(raw)), nil)
		if _, err := cmd.Write(raw); err != nil {
			tb.Fatalf("append: %v\n%s", err, d.Log())
		}
		if err := cmd.Close(); err != nil {
			tb.Fatalf("append: %v\n%s", err, d.Log())
		}
		data, err := cmd.Wait()
		if err != nil {
			tb.Fatalf("append to %s: %v", folder, err)
		}
		uids = append(uids, data.UID)
	}
	return uids
}

func (d *Dovecot) create(tb testing.TB, c *imapclient.Client, folder string) {
	tb.Helper()
	if folder == "INBOX" {
		return
	}
	if l, err := c.List("", folder, nil).Collect(); err == nil && len(l) > 0 {
		return
	}
	if err := c.Create(folder, nil).Wait(); err != nil {
		tb.Fatalf("create %s: %v", folder, err)
	}
}

// Drop writes messages straight into a folder's maildir (created if missing), the fast way to
// fill a folder with thousands of messages. Dovecot sees them at its next look.
func (d *Dovecot) Drop(tb testing.TB, folder string, raws ...[]byte) {
	tb.Helper()
	root := d.MaildirPath(folder)
	for _, sub := range []string{filepath.Dir(root), root, filepath.Join(root, "cur"), filepath.Join(root, "new"), filepath.Join(root, "tmp")} {
		if err := os.MkdirAll(sub, 0o700); err != nil {
			tb.Fatal(err)
		}
		d.chown(tb, sub)
	}
	if folder != "INBOX" {
		write(tb, filepath.Join(root, "maildirfolder"), "")
		d.chown(tb, filepath.Join(root, "maildirfolder"))
	}
	stamp := time.Now().UnixNano()
	for i, raw := range raws {
		name := fmt.Sprintf("%d.M%dP%d.opsdesk-test", stamp/1e9, stamp%1e9+int64(i), os.Getpid())
		tmp := filepath.Join(root, "tmp", name)
		write(tb, tmp, string(raw))
		d.chown(tb, tmp)
		if err := os.Rename(tmp, filepath.Join(root, "new", name)); err != nil {
			tb.Fatal(err)
		}
	}
}

// Count is the number of messages in a folder, and how many of them are not \Seen; both 0 when
// the folder does not exist.
func (d *Dovecot) Count(tb testing.TB, folder string) (messages, unseen int) {
	tb.Helper()
	c := d.Client(tb)
	defer c.Close()
	st, err := c.Status(folder, &imap.StatusOptions{NumMessages: true, NumUnseen: true}).Wait()
	if err != nil {
		return 0, 0
	}
	return int(*st.NumMessages), int(*st.NumUnseen)
}

// writeCert makes a self-signed certificate for 127.0.0.1 and localhost, writes it and its key
// for Dovecot, and returns a client configuration that trusts it.
func writeCert(tb testing.TB, dir string) *tls.Config {
	tb.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "opsdesk test IMAP"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true,
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	write(tb, filepath.Join(dir, "cert.pem"), string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	write(tb, filepath.Join(dir, "key.pem"), string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})))
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{RootCAs: pool}
}
