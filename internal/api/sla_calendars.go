package api

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/opsdesk/opsdesk/internal/api/apijson"
	"github.com/opsdesk/opsdesk/internal/sla"
	"github.com/opsdesk/opsdesk/internal/store"
)

// A business calendar's representation in the API is its JSON form (docs/sla.md): GET answers
// it exactly as the export writes it, and POST and PUT take the same document, so what one
// installation gives the next one takes, and `opsdesk sla deadline --calendar FILE` reads it
// too. What the form does not hold — the id, the default flag — is in the list and in query
// parameters.

// calendarInfo is a calendar as the list shows it.
type calendarInfo struct {
	ID         int64  `json:"id"`
	Name       string `json:"name"`
	Default    bool   `json:"default" doc:"the calendar of every contract that names none"`
	Timezone   string `json:"timezone" doc:"IANA time zone"`
	AlwaysOpen bool   `json:"always_open" doc:"24/7"`
	UpdatedAt  string `json:"updated_at" format:"date-time"`
}

func calendarInfoOf(c *store.SLACalendar) calendarInfo {
	return calendarInfo{ID: c.ID, Name: c.Name, Default: c.Default, Timezone: c.Calendar.Timezone,
		AlwaysOpen: c.Calendar.AlwaysOpen, UpdatedAt: apijson.Stamp(c.UpdatedAt)}
}

func (a *API) listCalendars(w http.ResponseWriter, r *http.Request) error {
	cs, err := a.db.Calendars(r.Context())
	if err != nil {
		return err
	}
	out := items[calendarInfo]{Items: []calendarInfo{}}
	for _, c := range cs {
		out.Items = append(out.Items, calendarInfoOf(c))
	}
	return writeJSON(w, http.StatusOK, out)
}

// getCalendar answers a calendar's JSON form, named, as ExportCalendar writes it.
func (a *API) getCalendar(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	b, err := a.db.ExportCalendar(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(append(b, '\n'))
	return err
}

// createCalendar stores a new calendar from its JSON form, named by ?name= or else by the
// document's "name"; ?default=true makes it the default calendar. A name already taken is a
// conflict: PUT replaces an existing calendar.
func (a *API) createCalendar(w http.ResponseWriter, r *http.Request) error {
	cal, err := readCalendar(w, r)
	if err != nil {
		return err
	}
	def, err := queryBool(r, "default")
	if err != nil {
		return err
	}
	c := &store.SLACalendar{Name: cal.Name, Default: def, Calendar: cal}
	if n := r.URL.Query().Get("name"); strings.TrimSpace(n) != "" {
		c.Name = n
	}
	ctx := r.Context()
	if err := a.db.SaveCalendar(ctx, c); err != nil {
		return err
	}
	if c, err = a.db.CalendarByID(ctx, c.ID); err != nil {
		return err
	}
	return created(w, Prefix+"/calendars/"+strconv.FormatInt(c.ID, 10), calendarInfoOf(c))
}

// putCalendar replaces a calendar's definition from its JSON form. The name is ?name=, else the
// document's "name", else the current one; ?default=true makes it the default calendar.
func (a *API) putCalendar(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cal, err := readCalendar(w, r)
	if err != nil {
		return err
	}
	def, err := queryBool(r, "default")
	if err != nil {
		return err
	}
	ctx := r.Context()
	cur, err := a.db.CalendarByID(ctx, id)
	if err != nil {
		return err
	}
	c := &store.SLACalendar{ID: id, Name: cur.Name, Default: def, Calendar: cal}
	if n := r.URL.Query().Get("name"); strings.TrimSpace(n) != "" {
		c.Name = n
	} else if strings.TrimSpace(cal.Name) != "" {
		c.Name = cal.Name
	}
	if err := a.db.SaveCalendar(ctx, c); err != nil {
		return err
	}
	if c, err = a.db.CalendarByID(ctx, id); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, calendarInfoOf(c))
}

func (a *API) deleteCalendar(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := a.db.DeleteCalendar(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// readCalendar reads the request body as a calendar's JSON form. A document that is not a valid
// calendar answers 400, naming the first offending field by its JSON path in the body
// ("timezone", "hours.mon[0]") and listing every problem found.
func readCalendar(w http.ResponseWriter, r *http.Request) (*sla.Calendar, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return nil, &httpError{status: http.StatusUnsupportedMediaType, kind: "unsupported_media_type", field: "Content-Type",
				detail: "send the calendar as application/json"}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSON))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return nil, &httpError{status: http.StatusRequestEntityTooLarge, kind: "too_large", detail: fmt.Sprintf("the body is larger than %d bytes", maxJSON)}
	case err != nil:
		return nil, badRequest("", "the body could not be read")
	case strings.TrimSpace(string(body)) == "":
		return nil, badRequest("", "the body is empty: send the calendar's JSON form")
	}
	cal, err := sla.ParseCalendar(body)
	if err != nil {
		field := ""
		var fe *sla.FieldError
		if errors.As(err, &fe) {
			field = fe.Field
		}
		return nil, badRequest(field, strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	return cal, nil
}

// queryBool reads an optional true/false query parameter.
func queryBool(r *http.Request, name string) (bool, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, badRequest(name, "must be true or false")
	}
	return b, nil
}
