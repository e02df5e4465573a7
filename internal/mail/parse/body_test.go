package parse

import (
	"strings"
	"testing"
)

// attachmentSummary is what the structure tests compare about an attachment.
type attachmentSummary struct {
	name, ctype, cid string
	inline           bool
	data             string
}

func TestBodyAndAttachments(t *testing.T) {
	tests := []struct {
		name        string
		ctype       string // top-level Content-Type
		body        string
		text        string // exact Text
		htmlHas     string // substring of HTML
		attachments []attachmentSummary
	}{
		{
			name:  "alternative prefers plain",
			ctype: `multipart/alternative; boundary="b"`,
			body:  "--b\nContent-Type: text/plain\n\nplain body\n--b\nContent-Type: text/html\n\n<p>html <b>body</b></p>\n--b--\n",
			text:  "plain body", htmlHas: "<b>body</b>",
		},
		{
			name:  "alternative with only html in related",
			ctype: `multipart/alternative; boundary="b"`,
			body: "--b\nContent-Type: multipart/related; boundary=\"r\"\n\n--r\nContent-Type: text/html\n\n<p>see <img src=\"cid:img1@x\"></p>\n" +
				"--r\nContent-Type: image/png\nContent-ID: <img1@x>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--r--\n--b--\n",
			text: "see", htmlHas: `src="cid:img1@x"`,
			attachments: []attachmentSummary{{name: "", ctype: "image/png", cid: "img1@x", inline: true, data: "\x89PNG\r\n\x1a\n"}},
		},
		{
			name:  "mixed concatenates inline text parts",
			ctype: `multipart/mixed; boundary="b"`,
			body: "--b\nContent-Type: text/plain\n\nfirst\n--b\nContent-Type: image/jpeg; name=\"p.jpg\"\nContent-Disposition: inline; filename=\"p.jpg\"\n\nJPEG\n" +
				"--b\nContent-Type: text/plain\nContent-Disposition: inline\n\nsecond\n--b\nContent-Type: text/plain; name=\"notes.txt\"\nContent-Disposition: attachment; filename=\"notes.txt\"\n\nnot body\n--b--\n",
			text: "first\n\nsecond",
			attachments: []attachmentSummary{
				{name: "p.jpg", ctype: "image/jpeg", inline: true, data: "JPEG"},
				{name: "notes.txt", ctype: "text/plain", data: "not body"},
			},
		},
		{
			name:  "attached message is not body",
			ctype: `multipart/mixed; boundary="b"`,
			body: "--b\nContent-Type: text/plain\n\nsee attached\n--b\nContent-Type: message/rfc822\n\nFrom: x@example.com\nSubject: inner\n\ninner body\n" +
				"--b\nContent-Type: message/rfc822; name=\"fwd.eml\"\n\nSubject: named\n\nnamed inner\n--b--\n",
			text: "see attached",
			attachments: []attachmentSummary{
				{name: "", ctype: "message/rfc822", data: "From: x@example.com\nSubject: inner\n\ninner body"},
				{name: "fwd.eml", ctype: "message/rfc822", data: "Subject: named\n\nnamed inner"},
			},
		},
		{
			name:  "rfc 2231 and rfc 2047 file names",
			ctype: `multipart/mixed; boundary="b"`,
			body: "--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf\n\n%PDF\n" +
				"--b\nContent-Type: application/pdf\nContent-Disposition: attachment;\n filename*0*=iso-8859-1''Gr%FC%DFe;\n filename*1=\" aus K\";\n filename*2*=%F6ln.pdf\n\n%PDF\n" +
				"--b\nContent-Type: application/pdf; name=\"=?utf-8?B?5paw44GX44GE?=.pdf\"\n\n%PDF\n" +
				"--b\nContent-Type: image/png; name=\"C:\\\\TEMP\\\\x.png\"\n\nPNG\n--b--\n",
			text: "",
			attachments: []attachmentSummary{
				{name: "€ rates.pdf", ctype: "application/pdf", data: "%PDF"},
				{name: "Grüße aus Köln.pdf", ctype: "application/pdf", data: "%PDF"},
				{name: "新しい.pdf", ctype: "application/pdf", data: "%PDF"},
				{name: `C:\TEMP\x.png`, ctype: "image/png", data: "PNG"},
			},
		},
		{
			name:  "multipart without boundary parameter",
			ctype: `multipart/mixed`,
			body:  "--zzz\nContent-Type: text/plain\n\nrecovered\n--zzz--\n",
			text:  "recovered",
		},
		{
			name:  "html charset from meta",
			ctype: `text/html`,
			body:  "<html><head><meta charset=\"iso-8859-1\"></head><body>caf\xe9</body></html>",
			text:  "café", htmlHas: "café",
		},
		{
			name:  "format flowed",
			ctype: `text/plain; charset=utf-8; format=flowed`,
			body:  "a long line that \nwas wrapped\n> quoted \n> wrap\n",
			text:  "a long line that was wrapped\n> quoted wrap",
		},
		{
			name:  "base64 with garbage and missing padding",
			ctype: `text/plain; charset=utf-8`,
			body:  "aGVs*bG8g\nd29y bGQ",
			text:  "hello world",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{"From: a@example.com", "Subject: s", "MIME-Version: 1.0", "Content-Type: " + tt.ctype}
			if strings.Contains(tt.name, "base64") {
				headers = append(headers, "Content-Transfer-Encoding: base64")
			}
			m, err := Parse(msg(headers, tt.body))
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if m.Text != tt.text {
				t.Errorf("text = %q, want %q", m.Text, tt.text)
			}
			if !strings.Contains(m.HTML, tt.htmlHas) {
				t.Errorf("html = %q, want it to contain %q", m.HTML, tt.htmlHas)
			}
			var got []attachmentSummary
			for _, a := range m.Attachments {
				got = append(got, attachmentSummary{a.Name, a.ContentType, a.ContentID, a.Inline, string(a.Data)})
				if a.Size != len(a.Data) || a.SniffedType == "" {
					t.Errorf("attachment %q: size %d for %d bytes, sniffed %q", a.Name, a.Size, len(a.Data), a.SniffedType)
				}
			}
			if len(got) != len(tt.attachments) {
				t.Fatalf("attachments = %+v, want %+v", got, tt.attachments)
			}
			for i := range got {
				if got[i] != tt.attachments[i] {
					t.Errorf("attachment %d = %+v, want %+v", i, got[i], tt.attachments[i])
				}
			}
		})
	}
}
