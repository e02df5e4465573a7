package api_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// png is the start of a PNG file: enough for the content sniffer.
var png = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)

// field is one part of a multipart form; a file when name is set.
type field struct{ form, name, value string }

// upload posts a multipart form as user.
func (e *env) upload(user, path string, fields ...field) *resp {
	e.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, f := range fields {
		if f.name == "" {
			w.WriteField(f.form, f.value)
			continue
		}
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="`+f.form+`"; filename="`+f.name+`"`)
		h.Set("Content-Type", "application/octet-stream")
		p, _ := w.CreatePart(h)
		p.Write([]byte(f.value))
	}
	w.Close()
	req, _ := http.NewRequest("POST", e.srv.URL+path, &b)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return e.send(user, req)
}

func (e *env) raw(user, path string, body []byte) *resp {
	e.t.Helper()
	req, _ := http.NewRequest("POST", e.srv.URL+path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/octet-stream")
	return e.send(user, req)
}

func TestAttachments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		tk := e.file("alice", nil)
		base := "/api/v1/tickets/" + tk.Number + "/attachments"

		var m apijson.Message
		r := e.upload("alice", base, field{form: "body", value: "see the screenshot"}, field{form: "file", name: `C:\shots\login.png`, value: string(png)})
		r.want(t, http.StatusCreated, &m)
		if len(m.Attachments) != 1 || m.Body != "see the screenshot" || m.Internal {
			t.Fatalf("upload = %+v", m)
		}
		shot := m.Attachments[0]
		if shot.Name != "login.png" || shot.ContentType != "image/png" || shot.Size != int64(len(png)) ||
			shot.URL != "https://desk.example"+base+"/"+strconv.FormatInt(shot.ID, 10) || r.header.Get("Location") != base+"/"+strconv.FormatInt(shot.ID, 10) {
			t.Fatalf("attachment = %+v, Location %q", shot, r.header.Get("Location"))
		}

		// A raw body with ?name=, as an internal note; HTML is sniffed as HTML but never rendered.
		e.raw("n1", base+"?name=r%C3%A9sum%C3%A9%20(1).html&internal=true&body=from+the+logs", []byte("<html><script>alert(1)</script>")).want(t, http.StatusCreated, &m)
		note := m.Attachments[0]
		if !m.Internal || m.Body != "from the logs" || note.Name != "résumé (1).html" || !strings.HasPrefix(note.ContentType, "text/html") || !note.Internal {
			t.Fatalf("raw upload = %+v", m)
		}

		r = e.do("alice", "GET", base+"/"+strconv.FormatInt(shot.ID, 10), nil).want(t, http.StatusOK, nil)
		if !bytes.Equal(r.body, png) {
			t.Error("downloaded content differs")
		}
		for h, want := range map[string]string{
			"Content-Type":            "image/png",
			"Content-Disposition":     "attachment; filename*=UTF-8''login.png",
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "default-src 'none'; sandbox",
		} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s = %q, want %q", h, got, want)
			}
		}
		r = e.do("n1", "GET", base+"/"+strconv.FormatInt(note.ID, 10), nil).want(t, http.StatusOK, nil)
		if cd := r.header.Get("Content-Disposition"); cd != "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20%281%29.html" {
			t.Errorf("Content-Disposition = %q", cd)
		}
		// The customer never reaches the file of an internal note.
		e.do("alice", "GET", base+"/"+strconv.FormatInt(note.ID, 10), nil).problem(t, http.StatusNotFound, "")
		e.do("alice", "GET", base+"/999999", nil).problem(t, http.StatusNotFound, "")

		// Files already uploaded join a reply by id; a note's file never joins a public reply.
		e.do("n1", "POST", "/api/v1/tickets/"+tk.Number+"/messages", map[string]any{"body": "fixed, see your screenshot",
			"attachments": []int64{shot.ID}}).want(t, http.StatusCreated, &m)
		if len(m.Attachments) != 1 || m.Attachments[0].SHA256 != shot.SHA256 || m.Attachments[0].ID == shot.ID {
			t.Fatalf("reply with attachment = %+v", m)
		}
		e.do("n1", "POST", "/api/v1/tickets/"+tk.Number+"/messages", map[string]any{"body": "x",
			"attachments": []int64{note.ID}}).problem(t, http.StatusUnprocessableEntity, "attachments[0]")
		e.do("alice", "POST", "/api/v1/tickets/"+tk.Number+"/messages", map[string]any{"body": "x",
			"attachments": []int64{shot.ID, note.ID}}).problem(t, http.StatusNotFound, "attachments[1]")

		// The size limit, multipart or raw: 413.
		tooBig := strings.Repeat("a", maxUpload+1)
		e.upload("alice", base, field{form: "file", name: "big.txt", value: tooBig}).problem(t, http.StatusRequestEntityTooLarge, "file")
		e.raw("alice", base+"?name=big.txt", []byte(tooBig)).problem(t, http.StatusRequestEntityTooLarge, "file")
		e.upload("alice", base, field{form: "file", name: "fits.txt", value: tooBig[1:]}).want(t, http.StatusCreated, nil)

		e.upload("alice", base, field{form: "body", value: "no file"}).problem(t, http.StatusUnprocessableEntity, "file")
		e.upload("alice", base, field{form: "picture", name: "x.png", value: "x"}).problem(t, http.StatusBadRequest, "picture")
		e.upload("alice", base, field{form: "internal", value: "true"}, field{form: "file", name: "x.txt", value: "x"}).problem(t, http.StatusForbidden, "")
		e.upload("alice", base, field{form: "internal", value: "maybe"}).problem(t, http.StatusUnprocessableEntity, "internal")
		e.raw("alice", base, []byte("x")).problem(t, http.StatusUnprocessableEntity, "name")
		e.raw("alice", base+"?name=x.txt&internal=true", []byte("x")).problem(t, http.StatusForbidden, "")
	})
}
