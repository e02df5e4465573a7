package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// maxCalendarBytes bounds an imported calendar file; a real one is a few hundred bytes.
const maxCalendarBytes = 64 << 10

// calendarsPage is the data of the calendar list, with the import form.
type calendarsPage struct {
	Rows   []calendarRow
	Import *form
}

// calendarRow is one calendar of the list.
type calendarRow struct {
	ID       int64
	Name     string
	Zone     string
	Summary  string // "24/7" or the weekly windows
	Default  bool
	Uses     int // contracts counting in it (those naming none count for the default)
	Holidays int // this year's
}

// calendars lists the business calendars. The vendor's team reads them; admins and ops
// managers import, edit and delete them (the store enforces it, the page offers it to them).
func (s *Server) calendars(c *call) { s.showCalendars(c, http.StatusOK, nil) }

func (s *Server) showCalendars(c *call, status int, f *form) {
	cals, err := s.db.Calendars(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	uses, err := s.db.CalendarUse(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	if f == nil {
		f = newForm("import", nil)
	}
	year := s.db.Now().UTC().Year()
	p := calendarsPage{Import: f}
	for _, cal := range cals {
		p.Rows = append(p.Rows, calendarRow{ID: cal.ID, Name: cal.Name, Zone: cal.Calendar.Timezone,
			Summary: hoursSummary(c.lang, cal.Calendar), Default: cal.Default, Uses: uses[cal.ID],
			Holidays: len(cal.Calendar.HolidaysIn(year))})
	}
	s.render(c, status, "calendars", c.T("calendar.list_title"), p)
}

// importCalendar creates a calendar from its JSON form, uploaded as a file or pasted; a
// calendar of the same name is replaced (store.ImportCalendar). An invalid document is shown
// back in the text area with the calendar package's messages.
func (s *Server) importCalendar(c *call) {
	f := newForm("import", c.r.PostForm)
	again := func(status int) { s.showCalendars(c, status, f) }
	data, ok := s.calendarUpload(c, f)
	if !ok {
		again(http.StatusUnprocessableEntity)
		return
	}
	if _, err := sla.ParseCalendar(data); err != nil {
		f.Fail("json", calendarProblems(c, err))
		again(http.StatusUnprocessableEntity)
		return
	}
	cal, err := s.db.ImportCalendar(c.ctx, strings.TrimSpace(f.Get("name")), data)
	if err != nil {
		s.calendarError(c, f, err, again)
		return
	}
	c.redirect(calendarURL(cal.ID) + "?done=calendar_imported")
}

// calendarUpload reads the document of the import form: the chosen file, or else the text
// area. The file's content replaces the text area's, so that a document that does not import is
// shown to be corrected. ok is false (and the form failed) when there is none or it is too big.
func (s *Server) calendarUpload(c *call, f *form) (data []byte, ok bool) {
	if c.r.MultipartForm != nil {
		for _, fh := range c.r.MultipartForm.File["file"] {
			if fh.Filename == "" && fh.Size == 0 {
				continue
			}
			if fh.Size > maxCalendarBytes {
				f.Fail("file", c.T("calendar.file_too_large", cleanName(fh.Filename), formatSize(c.lang, maxCalendarBytes)))
				return nil, false
			}
			file, err := fh.Open()
			if err == nil {
				data, err = io.ReadAll(io.LimitReader(file, maxCalendarBytes))
				file.Close()
			}
			if err != nil {
				f.Fail("file", c.T("calendar.file_unreadable", cleanName(fh.Filename)))
				return nil, false
			}
			f.Values.Set("json", string(data))
			return data, true
		}
	}
	if strings.TrimSpace(f.Get("json")) == "" {
		f.Fail("json", c.T("calendar.import_empty"))
		return nil, false
	}
	return []byte(f.Get("json")), true
}

// calendarPage is the data of a calendar's page: its edit form, its week, the holidays of the
// year previewed, and the delete button.
type calendarPage struct {
	Cal                *store.SLACalendar
	Edit, Delete       *form
	Week               weekView
	Year, Prev, Next   int
	Holidays           []holidayRow
	Uses               int
	Export             string // the download URL
	Always, NoHolidays bool
}

// calendar shows a calendar: the preview of a year's holidays (?year=, default this year in
// the calendar's zone), its weekly hours, and for managers the edit and delete forms.
func (s *Server) calendar(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	s.showCalendar(c, http.StatusOK, id, nil, nil)
}

func (s *Server) showCalendar(c *call, status int, id int64, edit, del *form) {
	cal, err := s.db.CalendarByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	uses, err := s.db.CalendarUse(c.ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	if edit == nil {
		def, err := editableJSON(cal.Calendar)
		if err != nil {
			s.fail(c, err)
			return
		}
		edit = newForm("calendar", nil)
		edit.Values.Set("name", cal.Name)
		edit.Values.Set("json", def)
	}
	if del == nil {
		del = newForm("delete", nil)
	}
	year := s.db.Now().In(cal.Calendar.Location()).Year()
	if y, err := strconv.Atoi(c.r.URL.Query().Get("year")); err == nil && y >= 1970 && y <= 9999 {
		year = y
	}
	p := calendarPage{Cal: cal, Edit: edit, Delete: del, Week: weekOf(c.lang, cal.Calendar),
		Year: year, Prev: year - 1, Next: year + 1, Holidays: holidaysOf(c.lang, cal.Calendar, year),
		Uses: uses[cal.ID], Export: calendarURL(id) + "/export", Always: cal.Calendar.AlwaysOpen}
	p.NoHolidays = !p.Always && len(cal.Calendar.Holidays) == 0 && len(cal.Calendar.HolidayRules) == 0
	s.render(c, status, "calendar", cal.Name, p)
}

// saveCalendar replaces a calendar's name and definition, and makes it the default when asked.
func (s *Server) saveCalendar(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	f := newForm("calendar", c.r.PostForm)
	again := func(status int) { s.showCalendar(c, status, id, f, nil) }
	def, err := sla.ParseCalendar([]byte(f.Get("json")))
	if err != nil {
		f.Fail("json", calendarProblems(c, err))
		again(http.StatusUnprocessableEntity)
		return
	}
	name := strings.TrimSpace(f.Get("name"))
	if name == "" {
		name = def.Name
	}
	if err := s.db.SaveCalendar(c.ctx, &store.SLACalendar{ID: id, Name: name, Default: f.Get("default") != "", Calendar: def}); err != nil {
		s.calendarError(c, f, err, again)
		return
	}
	c.redirect(calendarURL(id) + "?done=saved")
}

// deleteCalendar removes a calendar; the store refuses the default one and one a contract
// names, which the page then explains.
func (s *Server) deleteCalendar(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	if err := s.db.DeleteCalendar(c.ctx, id); err != nil {
		if !opsdesk.IsKind(err, opsdesk.KindConflict) {
			s.fail(c, err)
			return
		}
		del := newForm("delete", nil)
		del.Fail("", domainMessage(c, err))
		s.showCalendar(c, http.StatusConflict, id, nil, del)
		return
	}
	c.redirect("/admin/calendars?done=calendar_deleted")
}

// exportCalendar downloads a calendar in its JSON form, exactly as store.ExportCalendar writes
// it, as NAME.json.
func (s *Server) exportCalendar(c *call) {
	id, ok := pathID(c, "id")
	if !ok {
		s.notFound(c)
		return
	}
	cal, err := s.db.CalendarByID(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	data, err := s.db.ExportCalendar(c.ctx, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	name := strings.NewReplacer("/", "-", `\`, "-").Replace(cal.Name) + ".json"
	h := c.w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Disposition", contentDisposition(name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", AttachmentPolicy)
	h.Set("Cache-Control", "no-store")
	c.w.Write(data)
}

// calendarError shows an invalid or conflicting calendar next to its field: the store names the
// definition "calendar" or "calendar.PATH", which is the text area here.
func (s *Server) calendarError(c *call, f *form, err error, again func(status int)) {
	field := opsdesk.ErrorField(err)
	if field == "calendar" || strings.HasPrefix(field, "calendar.") {
		field = "json"
	}
	s.fieldError(c, f, field, err, again)
}

// calendarProblems is the message of a definition that does not parse: every problem the
// calendar package found, one a line, each naming its field.
func calendarProblems(c *call, err error) string {
	return c.T("calendar.invalid") + "\n" + err.Error()
}

func calendarURL(id int64) string { return "/admin/calendars/" + strconv.FormatInt(id, 10) }
