package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// This file holds the evidence of a project's items on the staff page: the evidence text and
// files staff record (what a customer gave by mail, a vendor deliverable), and the download of
// any item's files. Files are written to the attachment store before the item names them, as
// for tickets (uploads.go); a download is never run by the browser (attachment.go).

// saveEvidence writes the evidence text of an item and adds the chosen files.
func (s *Server) saveEvidence(c *call) {
	id := itemID(c)
	p, ok := s.projectFor(c)
	if !ok {
		return
	}
	f := newForm("evidence-"+strconv.FormatInt(id, 10), c.r.PostForm)
	again := func(status int) {
		keepFilesHint(c, f)
		s.showProject(c, status, p, f)
	}
	atts, err := s.storeUploads(c, f)
	if err != nil {
		s.internal(c, err)
		return
	}
	if f.Failed() {
		again(http.StatusUnprocessableEntity)
		return
	}
	ev := strings.TrimSpace(f.Get("evidence"))
	if _, err := s.db.UpdateItem(c.ctx, p.ID, id, opsdesk.ItemPatch{Evidence: &ev, Attachments: atts}); err != nil {
		s.actionError(c, f, []string{"evidence", attachmentsField}, err, again)
		return
	}
	c.redirect(projectURL(p.ID) + "?done=saved#" + itemAnchor(id))
}

// projectItemFile sends an evidence file of an item as a download.
func (s *Server) projectItemFile(c *call) {
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
		if at.ID != fid {
			continue
		}
		file, err := s.blobs.Open(at.SHA256)
		if err != nil {
			s.internal(c, fmt.Errorf("project %d item %d file %d: %w", pid, iid, fid, err))
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
		return
	}
	s.notFound(c)
}

// MaxUploadText is the size limit of one file, for the hint of the file inputs.
func (v *projectView) MaxUploadText() string { return v.maxUpload }
