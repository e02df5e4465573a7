package parse

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// fuzzSeeds are small damaged messages that reach the repair paths.
var fuzzSeeds = []string{
	"From: a@example.com\nSubject: =?utf-8?B?8J+Tpw==?= hi\n\nbody",
	"From x Mon Jan 1 00:00:00 2024\nFrom: <>\nContent-Type: multipart/mixed; boundary=a\n\n--a\n\n--a--",
	"Content-Type: multipart/alternative\n\n--q\nContent-Type: text/html\n\n<p>x<script>y</script>\n--q--",
	"Subject: =?iso-2022-jp?B?GyRCLSEbKEI=?=\nContent-Type: text/plain; charset=\"x-unknown\"\nContent-Transfer-Encoding: base64\n\n!!!!",
	"Content-Type: text/plain; name*0*=utf-8''%E2; name*1*=%82%AC\n\n\xff\xfe",
	"---- junk ----\nReceived: x\ny\nFrom: \"a\" <b@c>, d\n\n=?",
	"Content-Type: message/rfc822\n\nContent-Type: multipart/mixed; boundary=b\n\n--b\n",
	"Content-Type: multipart/report; report-type=delivery-status; boundary=r\n\n--r\nContent-Type: message/delivery-status\n\nAction: failed\nFinal-Recipient: rfc822; <>\n--r--",
	"Content-Type: text/plain; charset=utf-7\n\n+AGEAYgBj-+-+",
	"Content-Transfer-Encoding: quoted-printable\n\n=\n=4\n=ZZ=C3=A9 \t\n",
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	// A dozen small corpus messages spread over the sources (large ones slow the fuzzer down).
	if dir, err := findCorpus(); err == nil {
		files, _ := filepath.Glob(filepath.Join(dir, "messages", "*.eml"))
		var small [][]byte
		for _, path := range files {
			if raw, err := os.ReadFile(path); err == nil && len(raw) < 8<<10 {
				small = append(small, raw)
			}
		}
		for i := 0; i < len(small); i += max(1, len(small)/12) {
			f.Add(small[i])
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		// A hang is a failure too: panic from a watchdog so the fuzzer records the input.
		done := make(chan struct{})
		go func() {
			select {
			case <-done:
			case <-time.After(3 * time.Second):
				panic(fmt.Sprintf("Parse hangs on %q", raw))
			}
		}()
		m, err := Parse(raw)
		close(done)
		switch {
		case err != nil && m != nil:
			t.Fatalf("Parse returned both a message and %v", err)
		case err != nil && !errors.Is(err, ErrEmpty):
			t.Fatalf("Parse: unexpected error %v", err)
		case errors.Is(err, ErrEmpty) && len(bytes.TrimSpace(raw)) != 0:
			t.Fatalf("Parse: ErrEmpty for %d non-blank bytes", len(raw))
		case err == nil && m == nil:
			t.Fatal("Parse returned neither message nor error")
		case m == nil:
			return
		}
		for _, d := range m.Defects {
			if strings.HasPrefix(d, "internal error") {
				t.Fatalf("recovered panic: %s", d)
			}
		}
		checkUTF8(t, m)
	})
}

// checkUTF8 fails when a text field of m is not valid UTF-8.
func checkUTF8(t *testing.T, m *Message) {
	t.Helper()
	fields := []string{m.From, m.FromName, m.ReplyTo, m.Subject, m.MessageID, m.Text, m.HTML, m.TextNew,
		m.RobotReason, m.BounceReason, m.OriginalMessageID}
	for _, list := range [][]string{m.To, m.Cc, m.InReplyTo, m.References, m.FailedRecipients, m.Defects} {
		fields = append(fields, list...)
	}
	for _, a := range m.Attachments {
		fields = append(fields, a.Name, a.ContentType, a.ContentID)
	}
	for _, s := range fields {
		if !utf8.ValidString(s) {
			t.Fatalf("invalid UTF-8 in output: %q", s)
		}
	}
}

// findCorpus is corpusDir without a testing.TB, for seeding the fuzzer.
func findCorpus() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			corpus := filepath.Join(dir, "..", "shared", "mail-corpus")
			_, err := os.Stat(filepath.Join(corpus, "messages"))
			return corpus, err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}
