// Package mailtest runs a real Dovecot IMAP server for tests: a throw-away configuration and
// maildir under the test's temporary directory, a loopback port, one user with a password, and
// optionally TLS (implicit and STARTTLS) with a certificate made by the test. The IMAP intake
// tests and the crash test of the opsdesk binary use it.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"text/template"
	"time"
)

// DovecotPath is where Debian's dovecot-imapd installs the server.
const DovecotPath = "/usr/sbin/dovecot"

// DovecotOptions choose what the test server offers.
type DovecotOptions struct {
	// TLS turns on STARTTLS on the plain port and opens an implicit-TLS port, with a
	// certificate for 127.0.0.1 made by the test (Dovecot.TLSConfig trusts it).
	TLS bool
	// Capabilities, when set, replace what the server announces after login (imap_capability),
	// e.g. "IMAP4rev1 UIDPLUS" for a server without IDLE and MOVE.
	Capabilities string
	// OAuth2TokenInfoURL, when set, makes XOAUTH2 and OAUTHBEARER the only login: Dovecot asks
	// this URL (the token appended) whether a token is valid and whose it is.
	OAuth2TokenInfoURL string
}

// Dovecot is a running test server with one user.
type Dovecot struct {
	Addr      string      // 127.0.0.1:port: plain IMAP, and STARTTLS when TLS is on
	TLSAddr   string      // 127.0.0.1:port: implicit TLS, when TLS is on
	TLSConfig *tls.Config // trusts the test certificate
	User      string
	Password  string
	Dir       string // the server's configuration, state and log

	home     string // the users' home directories, with their maildirs
	uid, gid int    // the owner of the mail

	cmd  *exec.Cmd
	done chan error
}

const dovecotConf = `base_dir = {{.Run}}
state_dir = {{.Dir}}/state
log_path = {{.Dir}}/dovecot.log
protocols = imap
listen = 127.0.0.1
default_internal_user = {{.Internal}}
default_login_user = {{.Login}}
mail_uid = {{.UID}}
mail_gid = {{.GID}}
first_valid_uid = {{.UID}}
last_valid_uid = 0
first_valid_gid = 0
mail_location = maildir:{{.Home}}/%u/Maildir
disable_plaintext_auth = no
# A test server: no brute-force delays after the failed logins the tests make on purpose.
auth_failure_delay = 0
imap_idle_notify_interval = 2 mins
{{with .Caps}}imap_capability = {{.}}
{{end}}{{if .TLS}}ssl = yes
ssl_cert = <{{.Dir}}/cert.pem
ssl_key = <{{.Dir}}/key.pem
{{else}}ssl = no
{{end}}{{if .OAuth2}}auth_mechanisms = xoauth2 oauthbearer
passdb {
  driver = oauth2
  args = {{.Dir}}/oauth2.conf
}
{{else}}auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {{.Dir}}/passwd
}
{{end}}userdb {
  driver = static
  args = uid={{.UID}} gid={{.GID}} home={{.Home}}/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = {{.Port}}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = {{.TLSPort}}
  }
}
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
`

var confTemplate = template.Must(template.New("dovecot.conf").Parse(dovecotConf))

// StartDovecot starts a server for the test and stops it when the test ends. A missing Dovecot
// fails the test: skipping would hide a check that did not run.
func StartDovecot(tb testing.TB, o DovecotOptions) *Dovecot {
	tb.Helper()
	if _, err := os.Stat(DovecotPath); err != nil {
		tb.Fatalf("Dovecot is not installed (%s): the IMAP tests need a real server; install it with "+
			"'apt-get install dovecot-imapd' (.ci/run does)", DovecotPath)
	}
	dir := tb.TempDir()
	// The mail and the sockets live in a directory of their own outside the test's (which only
	// root may enter), readable by the unprivileged mail user, with a short path for the sockets.
	mail, err := os.MkdirTemp("", "dovecot-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(mail) })
	os.Chmod(mail, 0o755)
	d := &Dovecot{Dir: dir, User: "support", Password: "imap-test-secret", home: filepath.Join(mail, "home"),
		done: make(chan error, 1)}
	u := accounts()
	d.uid, d.gid = u.uid, u.gid
	for _, sub := range []string{filepath.Join(dir, "state"), filepath.Join(mail, "run"), d.home} {
		if err := os.MkdirAll(sub, 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	d.chown(tb, d.home)
	write(tb, filepath.Join(dir, "passwd"), fmt.Sprintf("%s:{PLAIN}%s\n", d.User, d.Password))
	if o.TLS {
		d.TLSConfig = writeCert(tb, dir)
	}
	if o.OAuth2TokenInfoURL != "" {
		write(tb, filepath.Join(dir, "oauth2.conf"), "tokeninfo_url = "+o.OAuth2TokenInfoURL+
			"\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n")
	}
	port, tlsPort := freePort(tb), 0
	if o.TLS {
		tlsPort = freePort(tb)
	}
	var conf bytes.Buffer
	confTemplate.Execute(&conf, map[string]any{"Dir": dir, "Run": filepath.Join(mail, "run"), "Home": d.home,
		"TLS": o.TLS, "OAuth2": o.OAuth2TokenInfoURL != "", "Port": port, "TLSPort": tlsPort, "Caps": o.Capabilities,
		"Internal": u.internal, "Login": u.login, "UID": u.uid, "GID": u.gid})
	write(tb, filepath.Join(dir, "dovecot.conf"), conf.String())
	d.Addr = fmt.Sprintf("127.0.0.1:%d", port)
	if o.TLS {
		d.TLSAddr = fmt.Sprintf("127.0.0.1:%d", tlsPort)
	}
	d.start(tb)
	return d
}

func (d *Dovecot) start(tb testing.TB) {
	tb.Helper()
	d.cmd = exec.Command(DovecotPath, "-F", "-c", filepath.Join(d.Dir, "dovecot.conf"))
	var out bytes.Buffer
	d.cmd.Stdout, d.cmd.Stderr = &out, &out
	if err := d.cmd.Start(); err != nil {
		tb.Fatalf("start dovecot: %v", err)
	}
	go func() { d.done <- d.cmd.Wait() }()
	tb.Cleanup(d.Stop)
	deadline := time.Now().Add(15 * time.Second)
	for _, addr := range []string{d.Addr, d.TLSAddr} {
		for addr != "" {
			select {
			case err := <-d.done:
				d.done <- err
				tb.Fatalf("dovecot exited: %v\n%s\n%s", err, out.String(), d.Log())
			default:
			}
			if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
				c.Close()
				break
			}
			if time.Now().After(deadline) {
				tb.Fatalf("dovecot does not answer on %s\n%s", addr, d.Log())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// Stop stops the server (SIGTERM, then SIGKILL after five seconds). It may be called twice.
func (d *Dovecot) Stop() {
	if d.cmd == nil || d.cmd.Process == nil {
		return
	}
	d.cmd.Process.Signal(os.Interrupt)
	select {
	case err := <-d.done:
		d.done <- err
	case <-time.After(5 * time.Second):
		d.cmd.Process.Kill()
	}
}

// Log is Dovecot's log so far, for failure messages.
func (d *Dovecot) Log() string {
	b, _ := os.ReadFile(filepath.Join(d.Dir, "dovecot.log"))
	if s := string(b); len(s) > 4000 {
		return "…" + s[len(s)-4000:]
	}
	return string(b)
}

func write(tb testing.TB, name, content string) {
	tb.Helper()
	if err := os.WriteFile(name, []byte(content), 0o600); err != nil {
		tb.Fatal(err)
	}
}

type account struct {
	internal, login string // the users of Dovecot's own processes and of its login processes
	uid, gid        int    // the owner of the mail
}

// accounts chooses who Dovecot's processes run as. Dovecot refuses root for its login and mail
// processes: as root, they run as the accounts Debian's package creates (dovenull, dovecot),
// else as nobody; as anyone else, everything runs as that user.
func accounts() account {
	if os.Geteuid() != 0 {
		cur, _ := user.Current()
		return account{internal: cur.Username, login: cur.Username, uid: os.Getuid(), gid: os.Getgid()}
	}
	a := account{internal: "root", login: "nobody", uid: 65534, gid: 65534}
	if _, err := user.Lookup("dovenull"); err == nil {
		a.login = "dovenull"
	}
	if u, err := user.Lookup("dovecot"); err == nil {
		a.uid, _ = strconv.Atoi(u.Uid)
		a.gid, _ = strconv.Atoi(u.Gid)
	} else if u, err := user.Lookup("nobody"); err == nil {
		a.uid, _ = strconv.Atoi(u.Uid)
		a.gid, _ = strconv.Atoi(u.Gid)
	}
	return a
}

// chown gives a path to the mail user, when running as root.
func (d *Dovecot) chown(tb testing.TB, path string) {
	tb.Helper()
	if os.Geteuid() != 0 {
		return
	}
	if err := os.Lchown(path, d.uid, d.gid); err != nil {
		tb.Fatal(err)
	}
}

// freePort finds a loopback port nobody listens on.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// MaildirPath is where a folder's messages are stored: INBOX is the maildir itself, others are
// Maildir++ subfolders.
func (d *Dovecot) MaildirPath(folder string) string {
	root := filepath.Join(d.home, d.User, "Maildir")
	if strings.EqualFold(folder, "INBOX") {
		return root
	}
	return filepath.Join(root, "."+folder)
}
