package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// mayWorkProblems lets the vendor's team through: problems are its own records, and every
// problem method refuses customers (forbidden) and callers without an actor (unauthenticated).
func mayWorkProblems(ctx context.Context) error {
	a := opsdesk.ActorFrom(ctx)
	switch {
	case a.Role == "":
		return opsdesk.Unauthenticated("log in first")
	case !a.IsStaff():
		return opsdesk.Forbidden("problems are the vendor's team's records")
	}
	return nil
}

// problemSelect reads a problem with its owner and the counts of its linked tickets.
const problemSelect = `SELECT p.id, p.title, p.description, p.root_cause, p.workaround, p.status, p.owner_id,
	p.created_by, p.created_at, p.updated_at, p.resolved_at, p.version,
	COALESCE(NULLIF(u.name, ''), u.email, ''), COALESCE(u.email, ''),
	(SELECT COUNT(*) FROM problem_tickets pt WHERE pt.problem_id = p.id),
	(SELECT COUNT(*) FROM problem_tickets pt JOIN tickets t ON t.id = pt.ticket_id WHERE pt.problem_id = p.id AND t.active)
	FROM problems p LEFT JOIN users u ON u.id = p.owner_id`

func scanProblem(sc scanner) (*opsdesk.Problem, error) {
	var p opsdesk.Problem
	var owner, resolved sql.NullInt64
	var created, updated int64
	err := sc.Scan(&p.ID, &p.Title, &p.Description, &p.RootCause, &p.Workaround, &p.Status, &owner,
		&p.CreatedBy, &created, &updated, &resolved, &p.Version, &p.OwnerName, &p.OwnerMail, &p.Tickets, &p.OpenTickets)
	if err != nil {
		return nil, err
	}
	p.Key, p.OwnerID = opsdesk.ProblemKey(p.ID), owner.Int64
	p.CreatedAt, p.UpdatedAt = fromMS(sql.NullInt64{Int64: created, Valid: true}), fromMS(sql.NullInt64{Int64: updated, Valid: true})
	p.ResolvedAt = fromMS(resolved)
	return &p, nil
}

// lockProblem serialises the changes of one problem across instances (links, resolution).
func (tx *Tx) lockProblem(ctx context.Context, id int64) error {
	return tx.lock(ctx, "problem:"+strconv.FormatInt(id, 10))
}

func (tx *Tx) problemByID(ctx context.Context, id int64) (*opsdesk.Problem, error) {
	p, err := scanProblem(tx.queryRow(ctx, problemSelect+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no problem %s", opsdesk.ProblemKey(id))
	}
	return p, err
}

// checkOwner makes sure a problem's owner is an active member of the vendor's team.
func (tx *Tx) checkOwner(ctx context.Context, id int64) error {
	if id == 0 {
		return nil
	}
	u, err := tx.userByID(ctx, id)
	if opsdesk.IsKind(err, opsdesk.KindNotFound) || (err == nil && (!u.Role.Staff() || u.Disabled)) {
		return opsdesk.Invalid("owner", "must be an active member of the vendor's team")
	}
	return err
}

// CreateProblem records a new problem (status open unless p says known_error). Staff only.
// Errors: invalid, forbidden.
func (d *DB) CreateProblem(ctx context.Context, p *opsdesk.Problem) error {
	if err := mayWorkProblems(ctx); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	if !p.Status.Active() {
		return opsdesk.Invalid("status", "a new problem is open or a known error")
	}
	p.CreatedBy = opsdesk.ActorFrom(ctx).Label
	return d.inTx(ctx, "store.CreateProblem", func(tx *Tx) error {
		if err := tx.checkOwner(ctx, p.OwnerID); err != nil {
			return err
		}
		id, err := tx.insert(ctx, `INSERT INTO problems (title, description, root_cause, workaround, status, owner_id, created_by, created_at, updated_at, version)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`, p.Title, p.Description, p.RootCause, p.Workaround, p.Status,
			nullID(p.OwnerID), p.CreatedBy, tx.now.UnixMilli(), tx.now.UnixMilli())
		if err != nil {
			return err
		}
		p.ID, p.Key, p.CreatedAt, p.UpdatedAt, p.Version = id, opsdesk.ProblemKey(id), tx.now, tx.now, 1
		created, err := tx.problemByID(ctx, id)
		if err != nil {
			return err
		}
		*p = *created
		return tx.audit(ctx, "problem", id, "create", opsdesk.Diff(opsdesk.ProblemAuditFields, nil, p.AuditFields()))
	})
}

// ProblemByID returns a problem with the counts of its tickets. Staff only. Errors: forbidden,
// not found.
func (d *DB) ProblemByID(ctx context.Context, id int64) (*opsdesk.Problem, error) {
	if err := mayWorkProblems(ctx); err != nil {
		return nil, err
	}
	p, err := scanProblem(d.queryRow(ctx, problemSelect+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("no problem %s", opsdesk.ProblemKey(id))
	}
	return p, wrapErr("store.ProblemByID", err)
}

// ListProblems lists problems, the most recently changed first, with the counts of their
// tickets. Staff only. Errors: invalid (status), forbidden.
func (d *DB) ListProblems(ctx context.Context, f opsdesk.ProblemFilter) ([]*opsdesk.Problem, error) {
	if err := mayWorkProblems(ctx); err != nil {
		return nil, err
	}
	if f.Limit <= 0 {
		f.Limit = 100
	}
	if f.Limit > 500 {
		return nil, opsdesk.Invalid("limit", "must be at most 500")
	}
	q := problemSelect
	var args []any
	if len(f.Statuses) > 0 {
		q += ` WHERE p.status IN (?` + repeat(",?", len(f.Statuses)-1) + `)`
		for _, s := range f.Statuses {
			if !s.Valid() {
				return nil, opsdesk.Invalid("status", "%q is not a problem status (open, known_error, resolved, closed)", s)
			}
			args = append(args, s)
		}
	}
	out, err := collect(scanProblem)(d.query(ctx, q+` ORDER BY p.updated_at DESC, p.id DESC LIMIT ?`, append(args, f.Limit)...))
	return out, wrapErr("store.ListProblems", err)
}

// UpdateProblem applies a patch. A known error needs a workaround; a status of resolved here
// resolves the problem without posting anything on its tickets (ResolveProblem does). Staff
// only. Errors: invalid, forbidden, not found, conflict (illegal transition).
func (d *DB) UpdateProblem(ctx context.Context, id int64, patch opsdesk.ProblemPatch) (*opsdesk.Problem, error) {
	if err := mayWorkProblems(ctx); err != nil {
		return nil, err
	}
	if patch.Empty() {
		return nil, opsdesk.Invalid("", "nothing to change")
	}
	var out *opsdesk.Problem
	err := d.inTx(ctx, "store.UpdateProblem", func(tx *Tx) error {
		if err := tx.lockProblem(ctx, id); err != nil {
			return err
		}
		old, err := tx.problemByID(ctx, id)
		if err != nil {
			return err
		}
		p := *old
		set := func(dst *string, v *string) {
			if v != nil {
				*dst = *v
			}
		}
		set(&p.Title, patch.Title)
		set(&p.Description, patch.Description)
		set(&p.RootCause, patch.RootCause)
		set(&p.Workaround, patch.Workaround)
		if patch.OwnerID != nil {
			p.OwnerID = *patch.OwnerID
			if err := tx.checkOwner(ctx, p.OwnerID); err != nil {
				return err
			}
		}
		statusOnly := patch
		statusOnly.Status = nil
		// Asking for the current status alone is a conflict; with other changes, it is ignored.
		if patch.Status != nil && (*patch.Status != old.Status || statusOnly.Empty()) {
			if err := opsdesk.CheckProblemTransition(old.Status, *patch.Status); err != nil {
				return err
			}
			p.Status = *patch.Status
		}
		if err := p.Validate(); err != nil {
			return err
		}
		if old.Status == opsdesk.ProblemClosed && len(diffFields(old, &p)) > 0 {
			return opsdesk.Conflict("status", "%s is closed", old.Key)
		}
		return tx.saveProblem(ctx, old, &p, &out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// diffFields names the audited fields that differ between two versions of a problem.
func diffFields(old, p *opsdesk.Problem) []string {
	var out []string
	for _, c := range opsdesk.Diff(opsdesk.ProblemAuditFields, old.AuditFields(), p.AuditFields()) {
		out = append(out, c.Field)
	}
	return out
}

// saveProblem writes a problem's fields when they changed, with its audit entry, and reads it
// back into out.
func (tx *Tx) saveProblem(ctx context.Context, old, p *opsdesk.Problem, out **opsdesk.Problem) error {
	changes := opsdesk.Diff(opsdesk.ProblemAuditFields, old.AuditFields(), p.AuditFields())
	if len(changes) > 0 {
		resolved := ms(p.ResolvedAt)
		switch {
		case p.Status == opsdesk.ProblemResolved && old.Status != opsdesk.ProblemResolved:
			resolved = tx.now.UnixMilli()
		case p.Status.Active():
			resolved = nil
		}
		_, err := tx.exec(ctx, `UPDATE problems SET title = ?, description = ?, root_cause = ?, workaround = ?, status = ?,
			owner_id = ?, resolved_at = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
			p.Title, p.Description, p.RootCause, p.Workaround, p.Status, nullID(p.OwnerID), resolved, tx.now.UnixMilli(), p.ID)
		if err != nil {
			return err
		}
		if err := tx.audit(ctx, "problem", p.ID, "update", changes); err != nil {
			return err
		}
	}
	var err error
	*out, err = tx.problemByID(ctx, p.ID)
	return err
}
