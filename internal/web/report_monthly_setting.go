package web

import (
	"fmt"
	"slices"
)

// saveMonthlyReport turns a customer's scheduled monthly service report on or off (the checkbox
// of the admin customer page; a hidden "off" comes first, so an unticked box means off). The CSRF check has parsed the form.
func (s *Server) saveMonthlyReport(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	on := slices.Contains(c.r.PostForm["monthly_report"], "on")
	if err := s.db.SetMonthlyReport(c.ctx, id, on); err != nil {
		s.fail(c, err)
		return
	}
	c.redirect(fmt.Sprintf("/admin/customers/%d?done=monthly_report_saved#monthly-report", id))
}
