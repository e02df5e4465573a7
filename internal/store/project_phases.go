package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

func scanPhase(sc scanner) (*opsdesk.Phase, error) {
	var p opsdesk.Phase
	var closed sql.NullInt64
	err := sc.Scan(&p.ID, &p.ProjectID, &p.Position, &p.Code, &p.NameFR, &p.NameEN, &p.Status, &closed, &p.ClosedBy)
	p.ClosedAt = fromMS(closed)
	return &p, err
}

const phaseColumns = `id, project_id, position, code, name_fr, name_en, status, closed_at, closed_by`

func readPhases(ctx context.Context, r reader, projectID int64) ([]*opsdesk.Phase, error) {
	return collect(scanPhase)(r.query(ctx, `SELECT `+phaseColumns+` FROM project_phases WHERE project_id = ? ORDER BY position`, projectID))
}

// phaseByCode reads a phase of a project. Errors: not found.
func phaseByCode(ctx context.Context, r reader, projectID int64, code string) (*opsdesk.Phase, error) {
	p, err := scanPhase(r.queryRow(ctx, `SELECT `+phaseColumns+` FROM project_phases WHERE project_id = ? AND code = ?`, projectID, code))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, opsdesk.NotFound("project %d has no phase %q", projectID, code)
	}
	return p, err
}

// Phases lists a project's phases in order. Errors: forbidden, not found.
func (d *DB) Phases(ctx context.Context, projectID int64) ([]*opsdesk.Phase, error) {
	if _, err := readProject(ctx, d, projectID); err != nil {
		return nil, wrapErr("store.Phases", err)
	}
	out, err := readPhases(ctx, d, projectID)
	return out, wrapErr("store.Phases", err)
}

// phaseGate checks who closes or reopens a phase: project managers, ops managers, admins and
// the project's Ops lead.
func phaseGate(ctx context.Context, p *opsdesk.Project) error {
	if a := opsdesk.ActorFrom(ctx); !runsProjects(a) && (a.UserID == 0 || a.UserID != p.OpsLeadID) {
		return opsdesk.Forbidden("only the project's Ops lead, project managers, ops managers and admins close or reopen a phase")
	}
	return nil
}

// ClosePhase closes the gate of a project's phase: refused (conflict on "phase", naming them)
// while an item of the phase is neither validated nor waived. Who and when are kept on the phase
// and in the history. Errors: forbidden, not found, conflict (open items, already closed, project closed).
func (d *DB) ClosePhase(ctx context.Context, projectID int64, code string) (*opsdesk.Phase, error) {
	var ph *opsdesk.Phase
	err := d.inTx(ctx, "store.ClosePhase", func(tx *Tx) error {
		p, err := tx.projectToWrite(ctx, projectID, false)
		if err != nil {
			return err
		}
		if err := phaseGate(ctx, p); err != nil {
			return err
		}
		if ph, err = phaseByCode(ctx, tx, projectID, code); err != nil {
			return err
		}
		if ph.Status == opsdesk.PhaseClosed {
			return opsdesk.Conflict("phase", "phase %s is already closed", code)
		}
		open, err := collect(func(sc scanner) (string, error) {
			var s string
			return s, sc.Scan(&s)
		})(tx.query(ctx, `SELECT title_en FROM project_items WHERE phase_id = ? AND status NOT IN ('validated', 'waived')
			ORDER BY position`, ph.ID))
		if err != nil {
			return err
		}
		if len(open) > 0 {
			return opsdesk.Conflict("phase", "phase %s cannot close: %d item(s) neither validated nor waived: %s",
				code, len(open), strings.Join(open, ", "))
		}
		a := opsdesk.ActorFrom(ctx)
		if _, err := tx.exec(ctx, `UPDATE project_phases SET status = 'closed', closed_at = ?, closed_by = ? WHERE id = ?`,
			tx.now.UnixMilli(), a.Label, ph.ID); err != nil {
			return err
		}
		ph.Status, ph.ClosedAt, ph.ClosedBy = opsdesk.PhaseClosed, tx.now, a.Label
		return tx.projectEvent(ctx, projectID, "phase_closed", ph.ID, 0, 0, code)
	})
	if err != nil {
		return nil, err
	}
	return ph, nil
}

// ReopenPhase reopens a closed phase, with a reason kept in the history.
// Errors: invalid (reason), forbidden, not found, conflict (not closed, project closed).
func (d *DB) ReopenPhase(ctx context.Context, projectID int64, code, reason string) (*opsdesk.Phase, error) {
	reason = strings.TrimSpace(reason)
	var ph *opsdesk.Phase
	err := d.inTx(ctx, "store.ReopenPhase", func(tx *Tx) error {
		p, err := tx.projectToWrite(ctx, projectID, false)
		if err != nil {
			return err
		}
		if err := phaseGate(ctx, p); err != nil {
			return err
		}
		if reason == "" {
			return opsdesk.Invalid("reason", "say why the phase is reopened")
		}
		if ph, err = phaseByCode(ctx, tx, projectID, code); err != nil {
			return err
		}
		if ph.Status != opsdesk.PhaseClosed {
			return opsdesk.Conflict("phase", "phase %s is not closed", code)
		}
		if _, err := tx.exec(ctx, `UPDATE project_phases SET status = 'open', closed_at = NULL, closed_by = '' WHERE id = ?`, ph.ID); err != nil {
			return err
		}
		ph.Status, ph.ClosedAt, ph.ClosedBy = opsdesk.PhaseOpen, time.Time{}, ""
		return tx.projectEvent(ctx, projectID, "phase_reopened", ph.ID, 0, 0, fmt.Sprintf("%s: %s", code, reason))
	})
	if err != nil {
		return nil, err
	}
	return ph, nil
}
