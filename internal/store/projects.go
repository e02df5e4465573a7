package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Delivery projects (docs/projects.md). Every method reads the actor from the context: staff
// read every project, a customer only their organisation's (another one's answers not found,
// like a missing one); writes are the vendor's, except what a customer may do on the items they
// owe (project_items.go). Every change appends to the project's history (project_events).

// runsProjects tells whether a may create and steer projects: project managers, ops managers
// and admins.
func runsProjects(a opsdesk.Actor) bool {
	return a.Role == opsdesk.RoleProjectManager || a.CanManage()
}

const projectSelect = `SELECT p.id, p.customer_id, c.name, p.name, p.template_id, p.template_code, p.manager_id,
	COALESCE(NULLIF(m.name, ''), m.email, ''), p.ops_lead_id, COALESCE(NULLIF(l.name, ''), l.email, ''), p.start_on, p.target_on,
	p.priority, p.ops_agreed_by, p.ops_label, p.ops_agreed_at, p.pm_agreed_by, p.pm_label, p.pm_agreed_at,
	p.closed_at, p.created_at, p.updated_at
	FROM projects p JOIN customers c ON c.id = p.customer_id LEFT JOIN users m ON m.id = p.manager_id
	LEFT JOIN users l ON l.id = p.ops_lead_id`

func scanProject(sc scanner) (*opsdesk.Project, error) {
	var p opsdesk.Project
	var tpl, lead, opsBy, pmBy, target, opsAt, pmAt, closed sql.NullInt64
	var start, created, updated int64
	if err := sc.Scan(&p.ID, &p.CustomerID, &p.CustomerName, &p.Name, &tpl, &p.TemplateCode, &p.ManagerID, &p.ManagerName,
		&lead, &p.OpsLeadName, &start, &target, &p.Priority, &opsBy, &p.OpsAgreement.By, &opsAt, &pmBy, &p.PMAgreement.By, &pmAt,
		&closed, &created, &updated); err != nil {
		return nil, err
	}
	p.TemplateID, p.OpsLeadID = tpl.Int64, lead.Int64
	p.OpsAgreement.ByID, p.OpsAgreement.At = opsBy.Int64, fromMS(opsAt)
	p.PMAgreement.ByID, p.PMAgreement.At = pmBy.Int64, fromMS(pmAt)
	p.StartOn, p.TargetOn, p.ClosedAt = fromMS(valid(start)), fromMS(target), fromMS(closed)
	p.CreatedAt, p.UpdatedAt = fromMS(valid(created)), fromMS(valid(updated))
	return &p, nil
}

func valid(v int64) sql.NullInt64 { return sql.NullInt64{Int64: v, Valid: true} }

// readProject reads project id as the actor may see it, with its environments.
// Errors: forbidden (no actor), not found (missing, or another customer's).
func readProject(ctx context.Context, r reader, id int64) (*opsdesk.Project, error) {
	a := opsdesk.ActorFrom(ctx)
	if !a.IsStaff() && !a.IsCustomer() {
		return nil, opsdesk.Forbidden("sign in to read projects")
	}
	p, err := scanProject(r.queryRow(ctx, projectSelect+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && a.IsCustomer() && p.CustomerID != a.CustomerID) {
		return nil, opsdesk.NotFound("no project %d", id)
	}
	if err != nil {
		return nil, err
	}
	p.EnvironmentIDs, err = collect(scanInt64)(r.query(ctx, `SELECT environment_id FROM project_environments
		WHERE project_id = ? ORDER BY environment_id`, id))
	return p, err
}

// projectToWrite reads project id in the transaction for a change by the vendor: a customer who
// may see it is forbidden, one who may not gets not found; manage asks for a project manager,
// ops manager or admin; a closed project is a conflict. Errors: forbidden, not found, conflict.
func (t *Tx) projectToWrite(ctx context.Context, id int64, manage bool) (*opsdesk.Project, error) {
	p, err := readProject(ctx, t, id)
	if err != nil {
		return nil, err
	}
	a := opsdesk.ActorFrom(ctx)
	if !a.IsStaff() {
		return nil, opsdesk.Forbidden("only the vendor's team changes this")
	}
	if manage && !runsProjects(a) {
		return nil, opsdesk.Forbidden("only project managers, ops managers and admins change projects")
	}
	if p.Closed() {
		return nil, opsdesk.Conflict("project", "project %q is closed", p.Name)
	}
	return p, nil
}

// projectEvent appends a line to a project's history.
func (t *Tx) projectEvent(ctx context.Context, projectID int64, action string, phaseID, itemID, taskID int64, detail string) error {
	a := opsdesk.ActorFrom(ctx)
	_, err := t.exec(ctx, `INSERT INTO project_events (project_id, at, actor_id, actor_label, action, phase_id, item_id, task_id, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, projectID, t.now.UnixMilli(), nullID(a.UserID), a.Label, action,
		nullID(phaseID), nullID(itemID), nullID(taskID), detail)
	if err != nil {
		return fmt.Errorf("project %d: history: %w", projectID, err)
	}
	return nil
}

// checkPeople checks a project's manager, Ops lead, customer and environments.
func (t *Tx) checkPeople(ctx context.Context, p *opsdesk.Project) error {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM customers WHERE id = ?`, p.CustomerID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return opsdesk.Invalid("customer", "no customer %d", p.CustomerID)
	}
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ? AND NOT disabled
		AND role IN ('project_manager', 'ops_manager', 'admin')`, p.ManagerID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return opsdesk.Invalid("manager", "must be an active project manager, ops manager or admin")
	}
	if p.OpsLeadID != 0 {
		if err := t.staffUser(ctx, "ops_lead", p.OpsLeadID); err != nil {
			return err
		}
	}
	p.EnvironmentIDs = slices.Compact(slices.Sorted(slices.Values(p.EnvironmentIDs)))
	for _, e := range p.EnvironmentIDs {
		if err := t.queryRow(ctx, `SELECT COUNT(*) FROM environments WHERE id = ? AND customer_id = ?`, e, p.CustomerID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return opsdesk.Invalid("environments", "environment %d is not one of this customer's", e)
		}
	}
	return nil
}

// staffUser checks that id is an active member of the vendor's team. Errors: invalid on field.
func (t *Tx) staffUser(ctx context.Context, field string, id int64) error {
	var n int
	if err := t.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE id = ? AND NOT disabled AND role <> 'customer'`, id).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return opsdesk.Invalid(field, "must be an active member of the vendor's team")
	}
	return nil
}

func (t *Tx) setProjectEnvironments(ctx context.Context, p *opsdesk.Project) error {
	if _, err := t.exec(ctx, `DELETE FROM project_environments WHERE project_id = ?`, p.ID); err != nil {
		return err
	}
	for _, e := range p.EnvironmentIDs {
		if _, err := t.exec(ctx, `INSERT INTO project_environments (project_id, environment_id) VALUES (?, ?)`, p.ID, e); err != nil {
			return err
		}
	}
	return nil
}

// CreateProject creates a project from the template of code templateCode ("" for the default
// template), copying its phases and checklist items (due StartOn + each item's offset) into the
// project. Project managers, ops managers and admins. Errors: invalid, forbidden.
func (d *DB) CreateProject(ctx context.Context, p *opsdesk.Project, templateCode string) error {
	a := opsdesk.ActorFrom(ctx)
	if !runsProjects(a) {
		return opsdesk.Forbidden("only project managers, ops managers and admins create projects")
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return d.inTx(ctx, "store.CreateProject", func(tx *Tx) error {
		if err := tx.checkPeople(ctx, p); err != nil {
			return err
		}
		tpl, err := readTemplate(ctx, tx, 0, strings.TrimSpace(templateCode))
		if err != nil {
			return err
		}
		p.ID, err = tx.insert(ctx, `INSERT INTO projects (customer_id, name, template_id, template_code, manager_id, ops_lead_id,
			start_on, target_on, priority, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.CustomerID, p.Name, tpl.ID, tpl.Code, p.ManagerID, nullID(p.OpsLeadID), ms(p.StartOn), ms(p.TargetOn), p.Priority,
			tx.now.UnixMilli(), tx.now.UnixMilli())
		if err != nil {
			return err
		}
		p.TemplateID, p.TemplateCode, p.CreatedAt, p.UpdatedAt = tpl.ID, tpl.Code, tx.now, tx.now
		p.OpsAgreement, p.PMAgreement, p.ClosedAt = opsdesk.Agreement{}, opsdesk.Agreement{}, time.Time{}
		if err := tx.setProjectEnvironments(ctx, p); err != nil {
			return err
		}
		for i, ph := range tpl.Phases {
			phaseID, err := tx.insert(ctx, `INSERT INTO project_phases (project_id, position, code, name_fr, name_en, status)
				VALUES (?, ?, ?, ?, ?, 'open')`, p.ID, i+1, ph.Code, ph.NameFR, ph.NameEN)
			if err != nil {
				return err
			}
			for j, it := range ph.Items {
				if _, err := tx.exec(ctx, `INSERT INTO project_items (project_id, phase_id, position, kind, title_fr, title_en,
					description_fr, description_en, owner_side, due_on, status, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'todo', ?)`,
					p.ID, phaseID, j+1, it.Kind, it.TitleFR, it.TitleEN, it.DescriptionFR, it.DescriptionEN, it.OwnerSide,
					p.StartOn.AddDate(0, 0, it.OffsetDays).UnixMilli(), tx.now.UnixMilli()); err != nil {
					return err
				}
			}
		}
		return tx.projectEvent(ctx, p.ID, "created", 0, 0, 0, "template "+tpl.Code)
	})
}

// Project returns a project. Errors: forbidden, not found.
func (d *DB) Project(ctx context.Context, id int64) (*opsdesk.Project, error) {
	p, err := readProject(ctx, d, id)
	return p, wrapErr("store.Project", err)
}

// ListProjects lists projects, newest first, without their environments (Project has them); a
// customer gets only their own organisation's, whatever the filter says. Errors: forbidden.
func (d *DB) ListProjects(ctx context.Context, f opsdesk.ProjectFilter) ([]*opsdesk.Project, error) {
	a := opsdesk.ActorFrom(ctx)
	if !a.IsStaff() && !a.IsCustomer() {
		return nil, opsdesk.Forbidden("sign in to read projects")
	}
	q, args := projectSelect+` WHERE 1 = 1`, []any{}
	if a.IsCustomer() {
		f.CustomerID = a.CustomerID
	}
	if f.CustomerID != 0 {
		q, args = q+` AND p.customer_id = ?`, append(args, f.CustomerID)
	}
	if f.ManagerID != 0 {
		q, args = q+` AND p.manager_id = ?`, append(args, f.ManagerID)
	}
	if f.OpenOnly {
		q += ` AND p.closed_at IS NULL`
	}
	out, err := collect(scanProject)(d.query(ctx, q+` ORDER BY p.id DESC`, args...))
	return out, wrapErr("store.ListProjects", err)
}

// UpdateProject saves a project's name, manager, Ops lead, dates and environments (the customer,
// template and priority do not change here: see AgreePriority). Project managers, ops managers
// and admins; the changes go to the history. Errors: invalid, forbidden, not found, conflict (closed).
func (d *DB) UpdateProject(ctx context.Context, p *opsdesk.Project) error {
	return d.inTx(ctx, "store.UpdateProject", func(tx *Tx) error {
		old, err := tx.projectToWrite(ctx, p.ID, true)
		if err != nil {
			return err
		}
		p.CustomerID, p.Priority = old.CustomerID, old.Priority
		if err := p.Validate(); err != nil {
			return err
		}
		if err := tx.checkPeople(ctx, p); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE projects SET name = ?, manager_id = ?, ops_lead_id = ?, start_on = ?, target_on = ?,
			updated_at = ? WHERE id = ?`, p.Name, p.ManagerID, nullID(p.OpsLeadID), ms(p.StartOn), ms(p.TargetOn),
			tx.now.UnixMilli(), p.ID); err != nil {
			return err
		}
		if err := tx.setProjectEnvironments(ctx, p); err != nil {
			return err
		}
		var changes []string
		diff := func(field, o, n string) {
			if o != n {
				changes = append(changes, fmt.Sprintf("%s: %s → %s", field, o, n))
			}
		}
		diff("name", old.Name, p.Name)
		diff("manager", fmt.Sprint(old.ManagerID), fmt.Sprint(p.ManagerID))
		diff("ops_lead", fmt.Sprint(old.OpsLeadID), fmt.Sprint(p.OpsLeadID))
		diff("start_on", dayString(old.StartOn), dayString(p.StartOn))
		diff("target_date", dayString(old.TargetOn), dayString(p.TargetOn))
		diff("environments", fmt.Sprint(old.EnvironmentIDs), fmt.Sprint(p.EnvironmentIDs))
		if len(changes) == 0 {
			return nil
		}
		return tx.projectEvent(ctx, p.ID, "updated", 0, 0, 0, strings.Join(changes, "\n"))
	})
}

func dayString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// AgreePriority records the caller's side agreeing on priority for project id: an ops manager
// or admin agrees for Ops, a project manager for the project managers. A priority different from
// the current one replaces it and clears the other side's agreement, which must be given again.
// Errors: invalid, forbidden, not found, conflict (closed).
func (d *DB) AgreePriority(ctx context.Context, id int64, priority opsdesk.ProjectPriority) (*opsdesk.Project, error) {
	if !priority.Valid() {
		return nil, opsdesk.Invalid("priority", "must be one of low, normal, high, critical")
	}
	var p *opsdesk.Project
	err := d.inTx(ctx, "store.AgreePriority", func(tx *Tx) error {
		var err error
		if p, err = tx.projectToWrite(ctx, id, true); err != nil {
			return err
		}
		a := opsdesk.ActorFrom(ctx)
		side := "pm"
		if a.CanManage() {
			side = "ops"
		}
		if priority != p.Priority {
			p.OpsAgreement, p.PMAgreement = opsdesk.Agreement{}, opsdesk.Agreement{}
		}
		agreed := opsdesk.Agreement{ByID: a.UserID, By: a.Label, At: tx.now}
		if side == "ops" {
			p.OpsAgreement = agreed
		} else {
			p.PMAgreement = agreed
		}
		detail := fmt.Sprintf("%s agreed on %s", side, priority)
		if priority != p.Priority {
			detail = fmt.Sprintf("priority: %s → %s; %s", p.Priority, priority, detail)
		}
		p.Priority, p.UpdatedAt = priority, tx.now
		if _, err := tx.exec(ctx, `UPDATE projects SET priority = ?, ops_agreed_by = ?, ops_label = ?, ops_agreed_at = ?,
			pm_agreed_by = ?, pm_label = ?, pm_agreed_at = ?, updated_at = ? WHERE id = ?`, priority,
			nullID(p.OpsAgreement.ByID), p.OpsAgreement.By, ms(p.OpsAgreement.At), nullID(p.PMAgreement.ByID), p.PMAgreement.By,
			ms(p.PMAgreement.At), tx.now.UnixMilli(), id); err != nil {
			return err
		}
		return tx.projectEvent(ctx, id, "priority_agreed", 0, 0, 0, detail)
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// SetProjectClosed closes (closed true) or reopens a project. Project managers, ops managers and
// admins; reopening needs a reason, kept in the history. Errors: invalid, forbidden, not found,
// conflict (already in that state).
func (d *DB) SetProjectClosed(ctx context.Context, id int64, closed bool, reason string) error {
	reason = strings.TrimSpace(reason)
	if !closed && reason == "" {
		return opsdesk.Invalid("reason", "say why the project is reopened")
	}
	return d.inTx(ctx, "store.SetProjectClosed", func(tx *Tx) error {
		p, err := readProject(ctx, tx, id)
		if err != nil {
			return err
		}
		if a := opsdesk.ActorFrom(ctx); !runsProjects(a) {
			return opsdesk.Forbidden("only project managers, ops managers and admins close projects")
		}
		if p.Closed() == closed {
			return opsdesk.Conflict("project", "project %q is already %s", p.Name, map[bool]string{true: "closed", false: "open"}[closed])
		}
		var at any
		action := "reopened"
		if closed {
			at, action = tx.now.UnixMilli(), "closed"
		}
		if _, err := tx.exec(ctx, `UPDATE projects SET closed_at = ?, updated_at = ? WHERE id = ?`, at, tx.now.UnixMilli(), id); err != nil {
			return err
		}
		return tx.projectEvent(ctx, id, action, 0, 0, 0, reason)
	})
}
