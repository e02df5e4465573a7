package web

import (
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

// MaxUploadText is the size limit of one file, for the hint of the file inputs.
func (v *projectView) MaxUploadText() string { return v.maxUpload }
