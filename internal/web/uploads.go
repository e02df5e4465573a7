package web

import (
	"errors"
	"fmt"
	"mime/multipart"
	"path"
	"strconv"
	"strings"
	"unicode"

	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// defaultMaxUpload applies when the configuration leaves MaxUpload unset (tests, tools).
const defaultMaxUpload = 25 << 20

// maxFiles bounds the attachments of one message.
const maxFiles = 10

// attachmentsField is the file input of every form that takes attachments.
const attachmentsField = "attachments"

// maxRequestBytes bounds a multipart request: a few files at the upload limit and the fields.
// A single file over the limit still fits, so that it is reported next to its input.
func (s *Server) maxRequestBytes() int64 { return 4*s.cfg.MaxUpload + maxFormBytes }

// uploadedFiles are the files chosen in the attachments input of a posted multipart form; a
// browser sends an empty part when none is chosen.
func uploadedFiles(c *call) []*multipart.FileHeader {
	if c.r.MultipartForm == nil {
		return nil
	}
	var out []*multipart.FileHeader
	for _, fh := range c.r.MultipartForm.File[attachmentsField] {
		if fh.Filename != "" || fh.Size > 0 {
			out = append(out, fh)
		}
	}
	return out
}

// storeUploads writes the posted attachments to the attachment store — before any record names
// them — and returns them for the store's message. A file over the limit, or too many files,
// fails the form's attachments field and stores nothing more; the caller re-renders the form
// when f.Failed(). Only a fault of the disk is returned as an error.
func (s *Server) storeUploads(c *call, f *form) ([]opsdesk.NewAttachment, error) {
	fhs := uploadedFiles(c)
	if len(fhs) > maxFiles {
		f.Fail(attachmentsField, c.T("upload.too_many", maxFiles))
		return nil, nil
	}
	for _, fh := range fhs {
		if fh.Size > s.cfg.MaxUpload {
			f.Fail(attachmentsField, c.T("upload.too_large", cleanName(fh.Filename), formatSize(c.lang, s.cfg.MaxUpload)))
			return nil, nil
		}
	}
	var out []opsdesk.NewAttachment
	for _, fh := range fhs {
		name := cleanName(fh.Filename)
		st, err := s.putUpload(fh, name)
		if errors.Is(err, blob.ErrTooLarge) {
			f.Fail(attachmentsField, c.T("upload.too_large", name, formatSize(c.lang, s.cfg.MaxUpload)))
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("attachment %s: %w", name, err)
		}
		out = append(out, opsdesk.NewAttachment{Name: name, ContentType: st.ContentType, Size: st.Size, SHA256: st.SHA256})
	}
	return out, nil
}

func (s *Server) putUpload(fh *multipart.FileHeader, name string) (blob.Stored, error) {
	file, err := fh.Open()
	if err != nil {
		return blob.Stored{}, err
	}
	defer file.Close()
	return s.blobs.Put(file, s.cfg.MaxUpload, name)
}

// keepFilesHint tells, after a failed submission that carried files, that a browser cannot
// keep them: they must be chosen again.
func keepFilesHint(c *call, f *form) {
	if len(uploadedFiles(c)) > 0 && f.Err(attachmentsField) == "" {
		f.Fail(attachmentsField, c.T("upload.choose_again"))
	}
}

// cleanName keeps the last element of an uploaded file's name, without control characters,
// at most 200 characters long.
func cleanName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '"' {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > 200 {
		name = string(r[len(r)-200:])
	}
	if name == "" || name == "." || name == "/" {
		return "attachment"
	}
	return name
}

// formatSize writes a size for people: bytes, KB or MB (Ko, Mo in French).
func formatSize(lang opsdesk.Lang, n int64) string {
	unit := func(key string, v float64) string {
		num := strconv.FormatFloat(v, 'f', -1, 64)
		if lang == opsdesk.LangFR {
			num = strings.ReplaceAll(num, ".", ",")
		}
		return i18n.T(lang, "size."+key, num)
	}
	switch {
	case n >= 1<<20:
		return unit("mb", float64(n*10/(1<<20))/10)
	case n >= 1<<10:
		return unit("kb", float64(n*10/(1<<10))/10)
	}
	return unit("b", float64(n))
}
