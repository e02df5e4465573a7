package web

import (
	"fmt"
	"net/http"
	"strings"
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
	file, err := s.blobs.Open(at.SHA256)
	if err != nil {
		s.internal(c, fmt.Errorf("attachment %d of %s: %w", at.ID, c.r.PathValue("key"), err))
		return
	}
	defer file.Close()
	ct := at.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := c.w.Header()
	h.Set("Content-Type", ct)
	h.Set("Content-Disposition", contentDisposition(at.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", AttachmentPolicy)
	h.Set("Cache-Control", "private, no-cache")
	http.ServeContent(c.w, c.r, "", at.CreatedAt, file)
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
