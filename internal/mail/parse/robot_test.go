package parse

import (
	"slices"
	"strings"
	"testing"
)

// msg builds a small LF message from header lines and a body.
func msg(headers []string, body string) []byte {
	return []byte(strings.Join(headers, "\n") + "\n\n" + body)
}

func TestRobot(t *testing.T) {
	base := []string{"From: Alice <alice@example.com>", "To: help@example.com", "Subject: Hi"}
	tests := []struct {
		name       string
		extra      []string
		from       string // replaces the From field when set
		wantRobot  bool
		wantReason string // substring of RobotReason
	}{
		{"plain mail", nil, "", false, ""},
		{"auto-submitted auto-replied", []string{"Auto-Submitted: auto-replied"}, "", true, "Auto-Submitted"},
		{"auto-submitted auto-generated", []string{"Auto-Submitted: auto-generated (warning)"}, "", true, "Auto-Submitted"},
		{"auto-submitted no", []string{"Auto-Submitted: no"}, "", false, ""},
		{"x-autoreply", []string{"X-Autoreply: yes"}, "", true, "X-Autoreply"},
		{"x-autorespond", []string{"X-Autorespond: vacation"}, "", true, "X-Autorespond"},
		{"exchange suppress all", []string{"X-Auto-Response-Suppress: All"}, "", true, "X-Auto-Response-Suppress"},
		{"exchange suppress oof", []string{"X-Auto-Response-Suppress: DR, OOF, AutoReply"}, "", true, "X-Auto-Response-Suppress"},
		{"exchange suppress rn only", []string{"X-Auto-Response-Suppress: RN, NRN"}, "", false, ""},
		{"precedence bulk", []string{"Precedence: bulk"}, "", true, "Precedence: bulk"},
		{"precedence junk", []string{"Precedence: junk"}, "", true, "Precedence: junk"},
		{"precedence list", []string{"Precedence: list"}, "", true, "Precedence: list"},
		{"precedence first-class", []string{"Precedence: first-class"}, "", false, ""},
		{"mailing list", []string{"List-Id: <dev.lists.example.org>"}, "", true, "List-Id"},
		{"newsletter", []string{"List-Unsubscribe: <mailto:u@example.com>"}, "", true, "List-Unsubscribe"},
		{"null return path", []string{"Return-Path: <>"}, "", true, "null sender"},
		{"normal return path", []string{"Return-Path: <alice@example.com>"}, "", false, ""},
		{"mailer-daemon", nil, "From: MAILER-DAEMON@mx.example.com", true, "system address"},
		{"postmaster", nil, "From: postmaster@example.com", true, "system address"},
		{"noreply", nil, "From: Shop <no-reply@shop.example>", true, "system address"},
		{"noreply lookalike", nil, "From: Noreen <noreen@example.com>", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := slices.Clone(base)
			if tt.from != "" {
				h[0] = tt.from
			}
			m, err := Parse(msg(append(h, tt.extra...), "Hello"))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.Robot != tt.wantRobot || !strings.Contains(m.RobotReason, tt.wantReason) {
				t.Errorf("robot = %v %q, want %v containing %q", m.Robot, m.RobotReason, tt.wantRobot, tt.wantReason)
			}
			if m.Bounce {
				t.Errorf("bounce = true (%s), want false", m.BounceReason)
			}
		})
	}
}

// dsn builds a delivery status notification with the given per-recipient blocks.
func dsn(reportType, recipients string) []byte {
	return []byte(`From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
To: alice@example.com
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Content-Type: multipart/report; report-type=` + reportType + `; boundary="B"

--B
Content-Type: text/plain

Your message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

` + recipients + `
--B
Content-Type: message/rfc822

From: alice@example.com
To: bob@example.net
Message-ID: <orig-1@example.com>
Subject: Hello

hi
--B--
`)
}

func TestBounce(t *testing.T) {
	failed := "Final-Recipient: rfc822; Bob@Example.net\nAction: failed\nStatus: 5.1.1\n\nFinal-Recipient: rfc822; carol@example.net\nAction: failed\nStatus: 5.2.2"
	tests := []struct {
		name       string
		raw        []byte
		wantBounce bool
		wantReason string
		wantRcpts  []string
		wantOrigID string
		wantRobot  bool
	}{
		{"dsn failed", dsn("delivery-status", failed), true, "failed", []string{"bob@example.net", "carol@example.net"}, "orig-1@example.com", true},
		{"dsn delayed", dsn("delivery-status", "Final-Recipient: rfc822; bob@example.net\nAction: delayed\nStatus: 4.4.1"), false, "", nil, "", true},
		{"dsn unreadable status", dsn("delivery-status", "garbage"), true, "unreadable", nil, "orig-1@example.com", true},
		{"read receipt", dsn("disposition-notification", "Final-Recipient: rfc822; bob@example.net\nDisposition: manual-action/MDN-sent-manually; displayed"), false, "", nil, "", true},
		{"x-failed-recipients", msg([]string{"From: MAILER-DAEMON@mx.example.com", "Subject: Mail delivery failed", "X-Failed-Recipients: bob@example.net"}, "failed"), true, "X-Failed-Recipients", []string{"bob@example.net"}, "", true},
		{"failure subject from daemon", msg([]string{"From: Mail Delivery Subsystem <mailer-daemon@mx.example.com>", "Subject: Undeliverable: Hello"}, "failed"), true, "failure subject", nil, "", true},
		{"failure subject from person", msg([]string{"From: alice@example.com", "Subject: Undeliverable: Hello"}, "question about a bounce"), false, "", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(tt.raw)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.Bounce != tt.wantBounce || !strings.Contains(m.BounceReason, tt.wantReason) {
				t.Errorf("bounce = %v %q, want %v containing %q", m.Bounce, m.BounceReason, tt.wantBounce, tt.wantReason)
			}
			if !slices.Equal(m.FailedRecipients, tt.wantRcpts) {
				t.Errorf("failed recipients = %q, want %q", m.FailedRecipients, tt.wantRcpts)
			}
			if m.OriginalMessageID != tt.wantOrigID {
				t.Errorf("original message id = %q, want %q", m.OriginalMessageID, tt.wantOrigID)
			}
			if m.Robot != tt.wantRobot {
				t.Errorf("robot = %v (%s), want %v", m.Robot, m.RobotReason, tt.wantRobot)
			}
		})
	}
}
