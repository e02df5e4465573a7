package api

import (
	"fmt"
	"mime"
	"net/http"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// checkItem is a checklist item of a project phase.
type checkItem struct {
	ID            int64            `json:"id"`
	Phase         string           `json:"phase" doc:"phase code"`
	Kind          string           `json:"kind" enum:"prerequisite,deliverable,task"`
	TitleFR       string           `json:"title_fr"`
	TitleEN       string           `json:"title_en"`
	DescriptionFR string           `json:"description_fr"`
	DescriptionEN string           `json:"description_en"`
	OwnerSide     string           `json:"owner_side" enum:"vendor,customer" doc:"who owes it; customers write only their side's items"`
	Owner         string           `json:"owner" doc:"the owner's name or email, \"\" when only the side is known"`
	DueDate       *string          `json:"due_date" format:"date"`
	Status        string           `json:"status" enum:"todo,submitted,validated,waived"`
	Evidence      string           `json:"evidence"`
	SubmittedAt   *string          `json:"submitted_at" format:"date-time"`
	SubmittedBy   string           `json:"submitted_by,omitempty"`
	Reviewer      string           `json:"reviewer,omitempty" doc:"who validated or waived it"`
	ValidatedAt   *string          `json:"validated_at" format:"date-time" doc:"when validated or waived"`
	WaiveReason   string           `json:"waive_reason,omitempty"`
	Attachments   []itemAttachment `json:"attachments"`
	UpdatedAt     string           `json:"updated_at" format:"date-time"`
}

// itemAttachment is an evidence file of an item.
type itemAttachment struct {
	ID          int64  `json:"id"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	UploadedBy  string `json:"uploaded_by"`
	CreatedAt   string `json:"created_at" format:"date-time"`
	URL         string `json:"url" doc:"where to download it"`
}

// itemPatch is the body of PATCH /projects/{id}/items/{item}; absent fields are left as they are.
type itemPatch struct {
	Status      *string `json:"status" enum:"todo,submitted,validated,waived" doc:"customers: submitted only; validated makes the caller the reviewer; waived needs an ops manager or admin and waive_reason, and nothing else in the same request"`
	Evidence    *string `json:"evidence" doc:"text evidence, at most 20000 characters"`
	WaiveReason *string `json:"waive_reason" doc:"why the item is waived: with status waived"`
	DueDate     *string `json:"due_date" format:"date" doc:"staff"`
	Owner       *string `json:"owner" doc:"staff: email of a member of the vendor's team (the item becomes the vendor's), or me"`
}

// itemComment is the body of POST /projects/{id}/items/{item}/comments.
type itemComment struct {
	Body string `json:"body" required:"true"`
}

func itemJSON(it *opsdesk.Item) checkItem {
	j := checkItem{ID: it.ID, Phase: it.PhaseCode, Kind: string(it.Kind), TitleFR: it.TitleFR, TitleEN: it.TitleEN,
		DescriptionFR: it.DescriptionFR, DescriptionEN: it.DescriptionEN, OwnerSide: string(it.OwnerSide), Owner: it.Owner,
		DueDate: dayJSON(it.DueOn), Status: string(it.Status), Evidence: it.Evidence, SubmittedAt: apijson.Time(it.SubmittedAt),
		SubmittedBy: it.SubmittedBy, Reviewer: it.Reviewer, ValidatedAt: apijson.Time(it.ValidatedAt), WaiveReason: it.WaiveReason,
		Attachments: []itemAttachment{}, UpdatedAt: apijson.Stamp(it.UpdatedAt)}
	for _, at := range it.Attachments {
		j.Attachments = append(j.Attachments, itemAttachment{ID: at.ID, Name: at.Name, ContentType: at.ContentType, Size: at.Size,
			UploadedBy: at.UploadedBy, CreatedAt: apijson.Stamp(at.CreatedAt),
			URL: itemPath(it.ProjectID, it.ID) + "/attachments/" + strconv.FormatInt(at.ID, 10)})
	}
	return j
}

// item reads the {id} project and its {item} item with the caller's scope. Errors: not found.
func (a *API) item(r *http.Request) (*opsdesk.Item, error) {
	p, _, err := a.project(r)
	if err != nil {
		return nil, err
	}
	id, err := pathID(r, "item")
	if err != nil {
		return nil, err
	}
	return a.db.Item(r.Context(), p.ID, id)
}

func (a *API) getItem(w http.ResponseWriter, r *http.Request) error {
	it, err := a.item(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemJSON(it))
}

func (a *API) patchItem(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	it, err := a.item(r)
	if err != nil {
		return err
	}
	var in itemPatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.Status != nil && *in.Status == string(opsdesk.ItemWaived) {
		if in.Evidence != nil || in.DueDate != nil || in.Owner != nil {
			return opsdesk.Invalid("status", "waive an item on its own: send only status and waive_reason")
		}
		reason := ""
		if in.WaiveReason != nil {
			reason = *in.WaiveReason
		}
		if it, err = a.db.WaiveItem(ctx, it.ProjectID, it.ID, reason); err != nil {
			return err
		}
		return a.writeItem(w, r, it.ProjectID, it.ID)
	}
	if in.WaiveReason != nil {
		return opsdesk.Invalid("waive_reason", "goes with status waived")
	}
	var patch opsdesk.ItemPatch
	if in.Status != nil {
		s := opsdesk.ItemStatus(*in.Status)
		patch.Status = &s
	}
	patch.Evidence = in.Evidence
	if in.DueDate != nil {
		due, err := parseDay("due_date", *in.DueDate)
		if err != nil {
			return err
		}
		if due.IsZero() {
			return opsdesk.Invalid("due_date", "is required: a date YYYY-MM-DD")
		}
		patch.DueOn = &due
	}
	if in.Owner != nil {
		if !opsdesk.ActorFrom(ctx).IsStaff() {
			return opsdesk.Forbidden("a customer may only submit an item with its evidence")
		}
		id, err := a.personID(ctx, *in.Owner, "owner")
		if err != nil {
			return err
		}
		if id == 0 {
			return opsdesk.Invalid("owner", "is required: an email, or me")
		}
		patch.OwnerUserID = &id
	}
	if _, err := a.db.UpdateItem(ctx, it.ProjectID, it.ID, patch); err != nil {
		return err
	}
	return a.writeItem(w, r, it.ProjectID, it.ID)
}

// writeItem answers an item as it is now.
func (a *API) writeItem(w http.ResponseWriter, r *http.Request, projectID, itemID int64) error {
	it, err := a.db.Item(r.Context(), projectID, itemID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, itemJSON(it))
}

func (a *API) commentItem(w http.ResponseWriter, r *http.Request) error {
	it, err := a.item(r)
	if err != nil {
		return err
	}
	var in itemComment
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.db.CommentItem(r.Context(), it.ProjectID, it.ID, in.Body); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// uploadItemEvidence stores evidence files of an item, as the ticket uploads do (multipart field
// file, repeatable, with an optional body field that becomes the item's evidence text; or a raw
// body with ?name=), then adds them to the item. Answers 201 with the item.
func (a *API) uploadItemEvidence(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	it, err := a.item(r) // nothing is stored for an item the caller cannot see
	if err != nil {
		return err
	}
	if opsdesk.ActorFrom(ctx).IsCustomer() && it.OwnerSide != opsdesk.SideCustomer {
		return opsdesk.Forbidden("item %q is the vendor's", it.TitleEN)
	}
	r.Body = http.MaxBytesReader(w, r.Body, a.cfg.MaxUpload+1<<20)
	var up upload
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		err = a.readMultipart(r, &up)
	} else {
		err = a.readRaw(r, &up)
	}
	if err != nil {
		return err
	}
	if up.internal {
		return opsdesk.Invalid("internal", "evidence files are not internal notes")
	}
	if len(up.files) == 0 {
		return opsdesk.Invalid("file", "send a file: the multipart field file, or the raw content with ?name=")
	}
	patch := opsdesk.ItemPatch{Attachments: up.files}
	if up.body != "" {
		patch.Evidence = &up.body
	}
	if _, err := a.db.UpdateItem(ctx, it.ProjectID, it.ID, patch); err != nil {
		return err
	}
	if it, err = a.db.Item(ctx, it.ProjectID, it.ID); err != nil {
		return err
	}
	j := itemJSON(it)
	return created(w, j.Attachments[len(j.Attachments)-1].URL, j)
}

// downloadItemEvidence serves an evidence file of an item as a download, like ticket attachments.
func (a *API) downloadItemEvidence(w http.ResponseWriter, r *http.Request) error {
	it, err := a.item(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "att")
	if err != nil {
		return err
	}
	for _, at := range it.Attachments {
		if at.ID != id {
			continue
		}
		f, err := a.blobs.Open(at.SHA256)
		if err != nil {
			return opsdesk.Internal("api.downloadItemEvidence", fmt.Errorf("item attachment %d: %w", at.ID, err))
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
	return opsdesk.NotFound("item %d has no attachment %d", it.ID, id)
}
