-- Findings of a project task (issue #8, docs/projects.md): what an audit, a performance review
-- or a monitoring review found, recorded by staff once the task is done. Each change is also
-- kept in the project history (project_events, action task_findings).

ALTER TABLE project_tasks ADD COLUMN findings TEXT NOT NULL DEFAULT '';
