package web

import "net/http"

// Routes registers every page of the UI on mux. The program's wiring adds /healthz, /readyz,
// /metrics and the API on the same mux and wraps it with cross-origin protection, logging,
// metrics and panic recovery; no pattern here overlaps theirs (the home page is "/{$}", not
// a catch-all "/").
func (s *Server) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /static/{path...}", s.static)

	// Sessions and first run.
	s.handle(mux, "GET /login", anyone, s.loginForm)
	s.handle(mux, "POST /login", anyone, s.login)
	s.handle(mux, "POST /logout", member, s.logout)
	s.handle(mux, "GET /setup", anyone, s.setupForm)
	s.handle(mux, "POST /setup", anyone, s.setup)

	// Everyone's pages: home (workspace or portal), organisations and environments (read-only,
	// scoped by the store), the account and API tokens.
	s.handle(mux, "GET /{$}", member, s.home)
	s.handle(mux, "GET /customers/{id}", member, s.organisation)
	s.handle(mux, "GET /environments/{id}", member, s.environmentPage)
	s.handle(mux, "GET /account", member, s.account)
	s.handle(mux, "POST /account", member, s.saveProfile)
	s.handle(mux, "POST /account/password", member, s.changePassword)
	s.handle(mux, "GET /account/tokens", member, s.tokens)
	s.handle(mux, "POST /account/tokens", member, s.createToken)
	s.handle(mux, "POST /account/tokens/{id}/revoke", member, s.revokeToken)
	s.handle(mux, "GET /events", member, s.events)

	// The customer portal: the organisation's requests (the store scopes every read to it).
	s.handle(mux, "GET /requests", portal, s.requests)
	s.handle(mux, "GET /requests/new", portal, s.newRequest)
	s.handle(mux, "POST /requests", portal, s.fileRequest)
	s.handle(mux, "GET /requests/suggest", portal, s.suggest)
	s.handle(mux, "GET /requests/suggest/{id}", portal, s.openSuggestion)
	s.handle(mux, "GET /requests/{key}", portal, s.request)
	s.handle(mux, "POST /requests/{key}/reply", portal, s.replyRequest)
	s.handle(mux, "POST /requests/{key}/confirm", portal, s.confirmRequest)
	s.handle(mux, "POST /requests/{key}/reopen", portal, s.reopenRequest)
	s.handle(mux, "POST /requests/{key}/survey", portal, s.answerRequestSurvey)

	// The customer portal's delivery projects (portal_project*.go): the organisation's projects,
	// the items its side owes, evidence and comments on them; the store scopes every read.
	s.handle(mux, "GET /my-projects", portal, s.myProjects)
	s.handle(mux, "GET /my-projects/{id}", portal, s.myProject)
	s.handle(mux, "POST /my-projects/{id}/items/{item}/evidence", portal, s.mySubmitEvidence)
	s.handle(mux, "POST /my-projects/{id}/items/{item}/comments", portal, s.myCommentItem)
	s.handle(mux, "GET /my-projects/{id}/items/{item}/files/{file}", portal, s.itemFile)

	// The satisfaction survey mailed at resolution: no login, the link's token authorises
	// (survey.go). GET never answers; POST records the answer once.
	mux.HandleFunc("GET /survey/{token}", s.surveyHandler(s.survey))
	mux.HandleFunc("POST /survey/{token}", s.surveyHandler(s.answerSurvey))
	s.handle(mux, "GET /requests/{key}/attachments/{id}", portal, s.attachment)

	// The agent workspace: queues, the ticket page and its actions.
	s.handle(mux, "GET /tickets", staff, s.tickets)
	s.handle(mux, "GET /tickets/{key}", staff, s.ticket)
	s.handle(mux, "POST /tickets/{key}/messages", staff, s.postMessage)
	s.handle(mux, "POST /tickets/{key}/take", staff, s.take)
	s.handle(mux, "POST /tickets/{key}/assign", staff, s.assign)
	s.handle(mux, "POST /tickets/{key}/status", staff, s.changeStatus)
	s.handle(mux, "POST /tickets/{key}/kb-draft", staff, s.kbDraft)
	s.handle(mux, "POST /tickets/{key}/qualify", staff, s.qualify)
	s.handle(mux, "POST /tickets/{key}/escalate", staff, s.escalate)
	s.handle(mux, "POST /tickets/{key}/workaround", staff, s.recordWorkaround)
	s.handle(mux, "POST /tickets/{key}/problem", staff, s.linkTicketProblem)
	s.handle(mux, "POST /tickets/{key}/articles", staff, s.linkTicketArticle)
	s.handle(mux, "POST /tickets/{key}/articles/{id}/unlink", staff, s.unlinkTicketArticle)
	s.handle(mux, "POST /tickets/{key}/procedure", staff, s.tickProcedureStep)
	s.handle(mux, "GET /tickets/{key}/knowledge", staff, s.ticketKnowledge)
	s.handle(mux, "GET /tickets/{key}/attachments/{id}", staff, s.attachment)
	s.handle(mux, "GET /tickets/{key}/messages/{id}/raw.eml", staff, s.messageRaw)

	// Environments: the staff forms of an environment's page (env_*.go; the store refuses an
	// agent what only managers do), and the expired access grants to revoke.
	s.handle(mux, "GET /environments/access/expired", staff, s.expiredGrants)
	s.handle(mux, "POST /environments/{id}/servers", staff, s.addServer)
	s.handle(mux, "GET /environments/{id}/servers/{sid}", staff, s.editServer)
	s.handle(mux, "POST /environments/{id}/servers/{sid}", staff, s.updateServer)
	s.handle(mux, "POST /environments/{id}/servers/{sid}/delete", staff, s.deleteServer)
	s.handle(mux, "POST /environments/{id}/deployments", staff, s.recordDeployment)
	s.handle(mux, "POST /environments/{id}/deployments/{did}/advance", staff, s.advanceDeployment)
	s.handle(mux, "POST /environments/{id}/access", staff, s.grantAccess)
	s.handle(mux, "POST /environments/{id}/access/{gid}/revoke", staff, s.revokeAccess)
	s.handle(mux, "POST /environments/{id}/maintenance", staff, s.addWindow)
	s.handle(mux, "GET /environments/{id}/maintenance/{wid}", staff, s.editWindow)
	s.handle(mux, "POST /environments/{id}/maintenance/{wid}", staff, s.updateWindow)
	s.handle(mux, "POST /environments/{id}/maintenance/{wid}/delete", staff, s.deleteWindow)
	s.handle(mux, "POST /environments/{id}/visibility", manager, s.setVisibility)
	s.handle(mux, "POST /environments/{id}/probes", manager, s.addProbe)
	s.handle(mux, "GET /environments/{id}/probes/{pid}", manager, s.editProbe)
	s.handle(mux, "POST /environments/{id}/probes/{pid}", manager, s.updateProbe)
	s.handle(mux, "POST /environments/{id}/probes/{pid}/enabled", manager, s.switchProbe)

	// Problems: the vendor's team groups incidents of one cause, and resolves them together.
	s.handle(mux, "GET /problems", staff, s.problems)
	s.handle(mux, "GET /problems/new", staff, s.newProblem)
	s.handle(mux, "POST /problems", staff, s.createProblem)
	s.handle(mux, "GET /problems/{id}", staff, s.problem)
	s.handle(mux, "POST /problems/{id}", staff, s.updateProblem)
	s.handle(mux, "POST /problems/{id}/tickets", staff, s.linkProblemTicket)
	s.handle(mux, "POST /problems/{id}/tickets/{key}/unlink", staff, s.unlinkProblemTicket)
	s.handle(mux, "POST /problems/{id}/resolve", staff, s.resolveProblem)
	s.handle(mux, "GET /plan", staff, s.plan)
	s.handle(mux, "POST /plan/overrides", manager, s.planOverride)
	s.handle(mux, "POST /plan/overrides/{id}/remove", manager, s.planUnpin)
	s.handle(mux, "POST /plan/agents/{id}/capacity", manager, s.planSetCapacity)
	s.handle(mux, "POST /plan/agents/{id}/absences", manager, s.planAddAbsence)
	s.handle(mux, "POST /plan/absences/{id}/remove", manager, s.planRemoveAbsence)

	// Delivery projects (issue #8): the staff list with the all-projects timeline, creation, a
	// project's page and its forms (project*.go; the store refuses what the role may not do).
	s.handle(mux, "GET /projects", staff, s.projects)
	s.handle(mux, "GET /projects/new", staff, s.newProject)
	s.handle(mux, "POST /projects", staff, s.createProject)
	s.handle(mux, "GET /projects/{id}", staff, s.projectPage)
	s.handle(mux, "GET /projects/{id}/edit", staff, s.editProject)
	s.handle(mux, "POST /projects/{id}", staff, s.updateProject)
	s.handle(mux, "POST /projects/{id}/close", staff, s.closeProject)
	s.handle(mux, "POST /projects/{id}/reopen", staff, s.reopenProject)
	s.handle(mux, "POST /projects/{id}/agree", staff, s.agreePriority)
	s.handle(mux, "POST /projects/{id}/items/{item}/validate", staff, s.validateItem)
	s.handle(mux, "POST /projects/{id}/items/{item}/reject", staff, s.rejectItem)
	s.handle(mux, "POST /projects/{id}/items/{item}/waive", staff, s.waiveItem)
	s.handle(mux, "POST /projects/{id}/items/{item}/comment", staff, s.commentItem)
	s.handle(mux, "POST /projects/{id}/items/{item}/evidence", staff, s.saveEvidence)
	s.handle(mux, "GET /projects/{id}/items/{item}/files/{file}", staff, s.itemFile)
	s.handle(mux, "POST /projects/{id}/phases/{code}/close", staff, s.closePhase)
	s.handle(mux, "POST /projects/{id}/phases/{code}/reopen", staff, s.reopenPhase)
	s.handle(mux, "POST /projects/{id}/tasks", staff, s.addTask)
	s.handle(mux, "POST /projects/{id}/tasks/{task}/status", staff, s.setTaskStatus)
	s.handle(mux, "POST /projects/{id}/tasks/{task}", staff, s.editTask)
	s.handle(mux, "POST /projects/{id}/tasks/{task}/findings", staff, s.setTaskFindings)
	s.handle(mux, "POST /projects/{id}/links", staff, s.linkProject)
	s.handle(mux, "POST /projects/{id}/links/{key}/unlink", staff, s.unlinkProject)

	// The knowledge base: staff write, review and publish articles; customers read the published
	// ones shown to them on the same pages (the store scopes every read: anything else is not
	// found). Search over tickets and articles, filtered by what the reader may see.
	s.handle(mux, "GET /kb", member, s.kbList)
	s.handle(mux, "GET /kb/new", staff, s.kbNew)
	s.handle(mux, "POST /kb", staff, s.kbCreate)
	s.handle(mux, "GET /kb/{id}", member, s.kbArticle)
	s.handle(mux, "POST /kb/{id}", staff, s.kbUpdate)
	s.handle(mux, "GET /kb/{id}/edit", staff, s.kbEdit)
	s.handle(mux, "POST /kb/{id}/status", staff, s.kbSetStatus)
	s.handle(mux, "GET /kb/{id}/revisions/{n}", staff, s.kbRevision)
	s.handle(mux, "GET /kb/{id}/diff", staff, s.kbDiff)
	s.handle(mux, "GET /search", member, s.search)

	// Administration: admins and ops managers; the store refuses what an ops manager may not do.
	s.handle(mux, "GET /admin", manager, func(c *call) { c.redirect("/admin/users") })
	s.handle(mux, "GET /admin/users", manager, s.users)
	s.handle(mux, "GET /admin/users/new", manager, s.newUser)
	s.handle(mux, "POST /admin/users", manager, s.createUser)
	s.handle(mux, "GET /admin/users/{id}", manager, s.editUser)
	s.handle(mux, "POST /admin/users/{id}", manager, s.updateUser)
	s.handle(mux, "POST /admin/users/{id}/password", manager, s.resetPassword)
	s.handle(mux, "GET /admin/customers", manager, s.customers)
	s.handle(mux, "GET /admin/customers/new", manager, s.newCustomer)
	s.handle(mux, "POST /admin/customers", manager, s.createCustomer)
	s.handle(mux, "GET /admin/customers/{id}", manager, s.customer)
	s.handle(mux, "POST /admin/customers/{id}", manager, s.updateCustomer)
	s.handle(mux, "POST /admin/customers/{id}/contract", manager, s.saveContract)
	s.handle(mux, "POST /admin/customers/{id}/contacts", manager, s.addContact)
	s.handle(mux, "GET /admin/customers/{id}/contacts/{cid}", manager, s.editContact)
	s.handle(mux, "POST /admin/customers/{id}/contacts/{cid}", manager, s.updateContact)
	s.handle(mux, "POST /admin/customers/{id}/environments", manager, s.addEnvironment)
	s.handle(mux, "GET /admin/customers/{id}/environments/{eid}", manager, s.editEnvironment)
	s.handle(mux, "POST /admin/customers/{id}/environments/{eid}", manager, s.updateEnvironment)
	s.handle(mux, "GET /admin/customers/{id}/sla", manager, s.contractSLA)
	s.handle(mux, "POST /admin/customers/{id}/sla", manager, s.saveTargets)
	s.handle(mux, "POST /admin/customers/{id}/sla/calendar", manager, s.saveContractCalendar)
	s.handle(mux, "POST /admin/customers/{id}/sla/defaults", manager, s.restoreDefaultTargets)
	s.handle(mux, "GET /admin/categories", manager, s.categories)
	s.handle(mux, "POST /admin/categories", manager, s.createCategory)
	s.handle(mux, "GET /admin/categories/{code}", manager, s.editCategory)
	s.handle(mux, "POST /admin/categories/{code}", manager, s.updateCategory)
	s.handle(mux, "GET /admin/severities", manager, s.severities)
	s.handle(mux, "POST /admin/severities", manager, s.createSeverity)
	s.handle(mux, "GET /admin/severities/{code}", manager, s.editSeverity)
	s.handle(mux, "POST /admin/severities/{code}", manager, s.updateSeverity)
	s.handle(mux, "GET /admin/causes", manager, s.causes)
	s.handle(mux, "POST /admin/causes", manager, s.createCause)
	s.handle(mux, "GET /admin/causes/{code}", manager, s.editCause)
	s.handle(mux, "POST /admin/causes/{code}", manager, s.updateCause)
	s.handle(mux, "GET /admin/groups", manager, s.groups)
	s.handle(mux, "POST /admin/groups", manager, s.createGroup)
	s.handle(mux, "GET /admin/groups/{code}", manager, s.editGroup)
	s.handle(mux, "POST /admin/groups/{code}", manager, s.updateGroup)
	// Business calendars: the vendor's team reads them (as the store allows), managers change them.
	s.handle(mux, "GET /admin/calendars", staff, s.calendars)
	s.handle(mux, "POST /admin/calendars", manager, s.importCalendar)
	s.handle(mux, "GET /admin/calendars/{id}", staff, s.calendar)
	s.handle(mux, "POST /admin/calendars/{id}", manager, s.saveCalendar)
	s.handle(mux, "GET /admin/calendars/{id}/export", staff, s.exportCalendar)
	s.handle(mux, "POST /admin/calendars/{id}/delete", manager, s.deleteCalendar)
	s.handle(mux, "GET /admin/audit", manager, s.audit)
	s.handle(mux, "GET /admin/jobs", manager, s.jobs)
	s.handle(mux, "POST /admin/jobs/{id}/retry", manager, s.retryJob)

	// Reports: the monthly SLA compliance, for the vendor's team.
	s.handle(mux, "GET /reports/sla", staff, s.slaReport)
	s.handle(mux, "GET /reports/sla.csv", staff, s.slaReportCSV)

	// Mail. The inbound list and the triage queue are open to the whole vendor's team (the store
	// lets any staff member file or dismiss a kept message); mailboxes and the outbox are for
	// managers (the store keeps mailbox changes to admins); the templates for admins.
	s.handle(mux, "GET /admin/mail", staff, s.inboundList)
	s.handle(mux, "GET /admin/mail/{id}", staff, s.inbound)
	s.handle(mux, "GET /admin/mail/{id}/raw.eml", staff, s.inboundRaw)
	s.handle(mux, "POST /admin/mail/{id}/file", staff, s.fileInbound)
	s.handle(mux, "POST /admin/mail/{id}/dismiss", staff, s.dismissInbound)
	s.handle(mux, "GET /admin/mailboxes", manager, s.mailboxes)
	s.handle(mux, "POST /admin/mailboxes", manager, s.createMailbox)
	s.handle(mux, "GET /admin/mailboxes/{name}", manager, s.editMailbox)
	s.handle(mux, "POST /admin/mailboxes/{name}", manager, s.updateMailbox)
	s.handle(mux, "POST /admin/mailboxes/{name}/delete", manager, s.deleteMailbox)
	s.handle(mux, "GET /admin/outbox", manager, s.outbox)
	s.handle(mux, "POST /admin/outbox/{id}/retry", manager, s.retryOutbox)
	s.handle(mux, "GET /admin/templates", admin, s.mailTemplates)
	s.handle(mux, "GET /admin/templates/{kind}/{lang}", admin, s.mailTemplate)
	s.handle(mux, "POST /admin/templates/{kind}/{lang}", admin, s.saveMailTemplate)
	s.handle(mux, "POST /admin/templates/{kind}/{lang}/reset", admin, s.resetMailTemplate)

	// Project templates (admin_project_templates.go): admins only, as the store saves them.
	s.handle(mux, "GET /admin/project-templates", admin, s.projectTemplates)
	s.handle(mux, "POST /admin/project-templates", admin, s.createProjectTemplate)
	s.handle(mux, "GET /admin/project-templates/{code}", admin, s.editProjectTemplate)
	s.handle(mux, "POST /admin/project-templates/{code}", admin, s.updateProjectTemplate)
	s.handle(mux, "POST /admin/project-templates/{code}/default", admin, s.defaultProjectTemplate)
}
