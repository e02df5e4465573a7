package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// upload is what an attachment upload carries: files already stored, and the message text.
type upload struct {
	files    []opsdesk.NewAttachment
	body     string
	internal bool
}

// uploadAttachment stores the files of a multipart form (field file, repeatable; optional body
// and internal fields) or a raw body (?name=, optional ?body= and ?internal=), then records them
// as a message of the ticket. Answers 201 with the message.
func (a *API) uploadAttachment(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	t, err := a.db.TicketByKey(ctx, r.PathValue("number")) // nothing is stored for a ticket the caller cannot see
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, a.cfg.MaxUpload+1<<20) // room for the form around the file
	var up upload
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = a.readMultipart(r, &up)
	} else {
		err = a.readRaw(r, &up)
	}
	if err != nil {
		return err
	}
	if len(up.files) == 0 {
		return opsdesk.Invalid("file", "send a file: the multipart field file, or the raw content with ?name=")
	}
	m, err := a.db.AddMessage(ctx, t.Key, up.body, up.internal, up.files)
	if err != nil {
		return err
	}
	return created(w, apijson.AttachmentURL("", t.Key, m.Attachments[0].ID), apijson.MessageOf(m, t.Key, a.cfg.BaseURL))
}

func (a *API) readRaw(r *http.Request, up *upload) error {
	q := r.URL.Query()
	name := q.Get("name")
	if strings.TrimSpace(name) == "" {
		return opsdesk.Invalid("name", "is required with a raw body: ?name=report.pdf (or send multipart/form-data)")
	}
	var err error
	up.body = q.Get("body")
	if up.internal, err = parseBool("internal", q.Get("internal")); err != nil {
		return err
	}
	if up.internal && !opsdesk.ActorFrom(r.Context()).IsStaff() {
		return opsdesk.Forbidden("only the vendor's team writes internal notes")
	}
	f, err := a.put(r.Body, name)
	up.files = append(up.files, f)
	return err
}

func (a *API) readMultipart(r *http.Request, up *upload) error {
	mr, err := r.MultipartReader()
	if err != nil {
		return badRequest("", "malformed multipart form: "+err.Error())
	}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return a.uploadErr(err, "malformed multipart form")
		}
		switch part.FormName() {
		case "file":
			f, err := a.put(part, part.FileName())
			if err != nil {
				return err
			}
			up.files = append(up.files, f)
		case "body":
			if up.body, err = formValue(part, 200_000); err != nil {
				return a.uploadErr(err, "body: is longer than 200,000 characters")
			}
		case "internal":
			v, err := formValue(part, 10)
			if err != nil {
				return a.uploadErr(err, "internal: must be true or false")
			}
			if up.internal, err = parseBool("internal", v); err != nil {
				return err
			}
		default:
			return badRequest(part.FormName(), fmt.Sprintf("unknown form field %q (file, body, internal)", part.FormName()))
		}
	}
}

// put stores one file's content, at most Config.MaxUpload bytes.
func (a *API) put(r io.Reader, name string) (opsdesk.NewAttachment, error) {
	name = cleanName(name)
	s, err := a.blobs.Put(r, a.cfg.MaxUpload, name)
	if err != nil {
		return opsdesk.NewAttachment{}, a.uploadErr(err, "")
	}
	return opsdesk.NewAttachment{Name: name, ContentType: s.ContentType, Size: s.Size, SHA256: s.SHA256}, nil
}

// uploadErr answers 413 for content over the limit, 400 (with detail) for a broken form and
// passes any other error on.
func (a *API) uploadErr(err error, detail string) error {
	var tooBig *http.MaxBytesError
	if errors.Is(err, blob.ErrTooLarge) || errors.As(err, &tooBig) {
		return &httpError{status: http.StatusRequestEntityTooLarge, kind: "too_large", field: "file",
			detail: fmt.Sprintf("a file may be at most %d bytes", a.cfg.MaxUpload)}
	}
	if detail != "" {
		return badRequest("", detail)
	}
	return err
}

// formValue reads a small form field, failing when it is longer than max bytes.
func formValue(p *multipart.Part, max int64) (string, error) {
	b, err := io.ReadAll(io.LimitReader(p, max+1))
	if err == nil && int64(len(b)) > max {
		err = errors.New("too long")
	}
	return string(b), err
}

func parseBool(field, v string) (bool, error) {
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return false, opsdesk.Invalid(field, "must be true or false")
	}
	return b, nil
}

// cleanName keeps the last element of an uploaded file's name, without control characters, at
// most 200 characters.
func cleanName(s string) string {
	s = path.Base(strings.ReplaceAll(s, `\`, "/"))
	s = strings.TrimSpace(strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return -1
		}
		return r
	}, s))
	if rs := []rune(s); len(rs) > 200 {
		s = string(rs[len(rs)-200:])
	}
	if s == "" || s == "." || s == "/" {
		return "attachment"
	}
	return s
}

// downloadAttachment serves an attachment's content as a download that no browser renders or
// runs: the sniffed type with nosniff, a sandboxing CSP, Content-Disposition: attachment.
func (a *API) downloadAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	at, err := a.db.Attachment(r.Context(), r.PathValue("number"), id)
	if err != nil {
		return err
	}
	f, err := a.blobs.Open(at.SHA256)
	if err != nil {
		return opsdesk.Internal("api.downloadAttachment", fmt.Errorf("attachment %d: %w", at.ID, err))
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", at.ContentType)
	h.Set("Content-Disposition", "attachment; filename*=UTF-8''"+encodeRFC5987(at.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("ETag", `"`+at.SHA256+`"`)
	http.ServeContent(w, r, "", at.CreatedAt, f)
	return nil
}

// encodeRFC5987 percent-encodes a file name for filename*=UTF-8” (RFC 8187): every byte but
// the attribute characters is escaped.
func encodeRFC5987(s string) string {
	const attrChars = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || strings.IndexByte(attrChars, c) >= 0) {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
