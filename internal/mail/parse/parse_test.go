package parse

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseEmpty(t *testing.T) {
	for _, in := range []string{"", " ", "\r\n\r\n", "\n\t\n"} {
		if m, err := Parse([]byte(in)); !errors.Is(err, ErrEmpty) || m != nil {
			t.Errorf("Parse(%q) = %v, %v; want nil, ErrEmpty", in, m, err)
		}
	}
}

func TestSubjectDecoding(t *testing.T) {
	tests := []struct {
		name, subject, want string
	}{
		{"plain", "Hello", "Hello"},
		{"folded", "Hello\n world", "Hello world"},
		{"q encoding", "=?iso-8859-1?Q?Gr=FC=DFe_aus_K=F6ln?=", "Grüße aus Köln"},
		{"adjacent words joined", "=?utf-8?q?a?= =?utf-8?q?b?=\n =?utf-8?q?c?=", "abc"},
		{"character split across words", "=?utf-8?B?8J+T?= =?utf-8?B?pw==?= mail", "📧 mail"},
		{"text around words", "Re: =?utf-8?B?w6TDtsO8?= [Ticket#1]", "Re: äöü [Ticket#1]"},
		{"language suffix", "=?utf-8*en?q?hi?=", "hi"},
		{"windows-874", "=?windows-874?B?4b654aHDwQ==?=", "แพนแกรม"},
		{"iso-8859-8-i", "=?iso-8859-8-i?B?7vLw5A==?=", "מענה"},
		{"gb2312 label over gbk text", "=?gb2312?B?g8iRqsGmrmE=?=", "內應力產"},
		{"iso-2022-jp with nec row 13", "=?iso-2022-jp?B?GyRCLSEtYhsoQg==?=", "①№"},
		{"utf-7", "=?unicode-1-1-utf-7?Q?+ANw-bermittlung?=", "Übermittlung"},
		{"utf-16 without bom is big-endian", "=?utf-16?B?AGgAaQ==?=", "hi"},
		{"unknown charset falls back to utf-8", "=?x-unknown?q?caf=C3=A9?=", "café"},
		{"raw utf-8", "Caf\xc3\xa9", "Café"},
		{"raw shift_jis", "\x83\x63\x81\x5b\x83\x8b", "ツール"},
		{"raw gbk", "\xd7\xaa\xb7\xa2\xa3\xba\xd5\xfb\xcc\xe5", "转发：整体"},
		{"raw latin-1 is replaced", "Fr\xf6sche", "Fr\uFFFDsche"},
		{"malformed word kept", "=?utf-8?q?broken", "=?utf-8?q?broken"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse(msg([]string{"From: a@example.com", "Subject: " + tt.subject}, "x"))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.Subject != tt.want {
				t.Errorf("subject = %q, want %q", m.Subject, tt.want)
			}
		})
	}
}

func TestHeaderRepair(t *testing.T) {
	tests := []struct {
		name      string
		raw       string
		from      string
		fromName  string
		subject   string
		to        []string
		text      string
		defectHas string
	}{
		{name: "crlf", raw: "From: a@example.com\r\nSubject: s\r\n\r\nbody\r\n", from: "a@example.com", subject: "s", text: "body"},
		{name: "mbox from line", raw: "From a@example.com Mon Jan  1 00:00:00 2024\nFrom: B <B@Example.COM>\nSubject: s\n\nbody", from: "b@example.com", fromName: "B", subject: "s", text: "body"},
		{name: "first line not a header", raw: "---- Original email message ----\nFrom: a@example.com\nSubject: s\n\nbody", from: "a@example.com", subject: "s", text: "body", defectHas: "not a header field"},
		{name: "indented first line", raw: " From: a@example.com\nSubject: s\n\nbody", from: "a@example.com", subject: "s", text: "body", defectHas: "first field indented"},
		{name: "continuation without whitespace", raw: "Received: from x\nby y with z\nFrom: a@example.com\nSubject: s\n\nbody", from: "a@example.com", subject: "s", text: "body", defectHas: "not indented"},
		{name: "missing blank line", raw: "From: a@example.com\nSubject: s\nHello there,\nthis is the body.", from: "a@example.com", subject: "s", text: "Hello there,\nthis is the body.", defectHas: "no blank line"},
		{name: "two from fields, first unusable", raw: "From: [??????]\nFrom: =?utf-8?B?6YO955C5?= <x@example.cn>\nSubject: s\n\nbody", from: "x@example.cn", fromName: "都琹", subject: "s", text: "body"},
		{name: "empty first mailbox", raw: "From: \"Shop \" <>, \"LTD\" <ly@example.com>\nSubject: s\n\nbody", from: "ly@example.com", fromName: "LTD", subject: "s", text: "body"},
		{name: "local-only sender", raw: "From: MAILER-DAEMON (Mail Delivery System)\nSubject: s\n\nbody", from: "mailer-daemon", fromName: "Mail Delivery System", subject: "s", text: "body"},
		{name: "no from uses reply-to", raw: "Reply-To: <r@example.com>\nSubject: s\n\nbody", from: "r@example.com", subject: "s", text: "body", defectHas: "using Reply-To"},
		{name: "unquoted comma in name", raw: "From: Smith, John <J.Smith@example.com>\nTo: a@x.example, Doe, Jane <jane@x.example>\nSubject: s\n\nbody", from: "j.smith@example.com", fromName: "Smith, John", to: []string{"a@x.example", "jane@x.example"}, subject: "s", text: "body"},
		{name: "two mailboxes without comma", raw: "From: Bob <bob@x.example> Bobby <bobby@x.example>\nSubject: s\n\nbody", from: "bob@x.example", fromName: "Bob", subject: "s", text: "body"},
		{name: "group syntax", raw: "From: a@example.com\nTo: Team: b@example.com, c@example.com;, d@example.com\nSubject: s\n\nbody", from: "a@example.com", to: []string{"b@example.com", "c@example.com", "d@example.com"}, subject: "s", text: "body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Parse([]byte(tt.raw))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.From != tt.from || m.FromName != tt.fromName {
				t.Errorf("from = %q %q, want %q %q", m.From, m.FromName, tt.from, tt.fromName)
			}
			if m.Subject != tt.subject || m.Text != tt.text {
				t.Errorf("subject, text = %q, %q; want %q, %q", m.Subject, m.Text, tt.subject, tt.text)
			}
			if tt.to != nil && !slices.Equal(m.To, tt.to) {
				t.Errorf("to = %q, want %q", m.To, tt.to)
			}
			if tt.defectHas != "" && !slices.ContainsFunc(m.Defects, func(d string) bool { return strings.Contains(d, tt.defectHas) }) {
				t.Errorf("defects %q lack %q", m.Defects, tt.defectHas)
			}
		})
	}
}

func TestThreadingAndDate(t *testing.T) {
	raw := msg([]string{
		"From: a@example.com",
		"Message-ID: <abc@example.com>",
		"In-Reply-To: <p1@example.com> (comment)",
		"References: <p0@example.com>\n <p1@example.com>",
		"Date: Mon, 4 Mar 2024 10:00:00 +0100 (CET)",
	}, "x")
	m, err := Parse(raw)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if m.MessageID != "abc@example.com" || !slices.Equal(m.InReplyTo, []string{"p1@example.com"}) ||
		!slices.Equal(m.References, []string{"p0@example.com", "p1@example.com"}) {
		t.Errorf("ids = %q %q %q", m.MessageID, m.InReplyTo, m.References)
	}
	want := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	if !m.Date.Equal(want) {
		t.Errorf("date = %v, want %v", m.Date, want)
	}
	for _, d := range []string{"4 Mar 2024 10:00:00 +0100", "Mon, 04 Mar 2024 10:00:00 GMT+0100", "Monday, 4 Mar 2024 10:00:00 +0100"} {
		if got, ok := parseDate(d); !ok || !got.Equal(want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", d, got, ok, want)
		}
	}
	if _, ok := parseDate("yesterday"); ok {
		t.Error("parseDate(yesterday) succeeded")
	}
}
