package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// AttachmentPolicy is the Content-Security-Policy of a downloaded attachment: whatever the file
// holds, a browser that opens it runs nothing and loads nothing, in a sandbox.
const AttachmentPolicy = "default-src 'none'; sandbox"

// attachment sends an attachment's content, on the workspace's and on the portal's route. The
// store decides who reaches it: staff any; a customer only one of their organisation's tickets,
// never one of an internal note. It is always a download, under the type sniffed at upload,
// never sniffed again and never run by the browser.
func (s *Server) attachment(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	at, err := s.db.Attachment(c.ctx, c.r.PathValue("key"), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	s.download(c, at.SHA256, at.Name, at.ContentType, at.CreatedAt, fmt.Sprintf("attachment %d of %s", at.ID, c.r.PathValue("key")))
}

// download sends a stored file (by its SHA-256 in the blob store) as a download under the type
// sniffed at upload, never sniffed again and never run by the browser; what names the file in
// the error of a missing blob.
func (s *Server) download(c *call, sha256, name, contentType string, modified time.Time, what string) {
	file, err := s.blobs.Open(sha256)
	if err != nil {
		s.internal(c, fmt.Errorf("%s: %w", what, err))
		return
	}
	defer file.Close()
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	h := c.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", contentDisposition(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", AttachmentPolicy)
	h.Set("Cache-Control", "private, no-cache")
	http.ServeContent(c.w, c.r, "", modified, file)
}

// itemFile sends an evidence file of a project item, on the staff's and on the portal's route;
// the store decides who reaches the project (a customer: their organisation's only).
func (s *Server) itemFile(c *call) {
	pid, ok1 := pathID(c, "id")
	iid, ok2 := pathID(c, "item")
	fid, ok3 := pathID(c, "file")
	if !ok1 || !ok2 || !ok3 {
		s.notFound(c)
		return
	}
	it, err := s.db.Item(c.ctx, pid, iid)
	if err != nil {
		s.fail(c, err)
		return
	}
	for _, at := range it.Attachments {
		if at.ID == fid {
			s.download(c, at.SHA256, at.Name, at.ContentType, at.CreatedAt, fmt.Sprintf("project %d item %d file %d", pid, iid, fid))
			return
		}
	}
	s.notFound(c)
}

// contentDisposition makes a download of name, written per RFC 6266 and 8187 so that any name
// (accents, quotes, spaces) arrives intact and cannot break out of the header.
func contentDisposition(name string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return "attachment; filename*=UTF-8''" + b.String()
}
