package sla

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// issueExample is the JSON example of the calendar format from the issue.
const issueExample = `{"timezone": "Europe/Paris",
 "hours": {"mon": [["08:30","12:30"],["13:30","18:00"]], "tue": [["08:30","18:00"]]},
 "holidays": ["2027-07-14"],
 "holiday_rules": ["fixed:05-01", "easter_monday", "ascension", "whit_monday"],
 "always_open": false}`

func TestParseCalendarExample(t *testing.T) {
	c := mustParse(t, issueExample)
	if c.Timezone != "Europe/Paris" || len(c.Hours["mon"]) != 2 || len(c.Hours) != 2 {
		t.Fatalf("parsed %+v", c)
	}
	if got, want := c.Hours["mon"][1], (Window{"13:30", "18:00"}); got != want {
		t.Errorf("mon[1] = %v, want %v", got, want)
	}
	if c.Location().String() != "Europe/Paris" {
		t.Errorf("Location() = %v", c.Location())
	}
	// Wednesday is absent from hours: closed.
	if c.IsOpen(at(t, "2027-07-07T10:00:00+02:00")) {
		t.Error("open on a Wednesday absent from hours")
	}
	if !c.IsHoliday(at(t, "2027-07-14T10:00:00+02:00")) || c.IsHoliday(at(t, "2027-07-13T10:00:00+02:00")) {
		t.Error("IsHoliday wrong around 2027-07-14")
	}
}

func TestValidateErrors(t *testing.T) {
	const mon = `"hours": {"mon": [["09:00","17:00"]]}`
	tests := []struct {
		name  string
		js    string
		field string // expected FieldError.Field
		msg   string // substring of the error text
	}{
		{"unknown zone", `{"timezone": "Mars/Olympus", ` + mon + `}`, "timezone", "unknown time zone"},
		{"missing zone", `{` + mon + `}`, "timezone", "missing"},
		{"Local zone", `{"timezone": "Local", ` + mon + `}`, "timezone", "depends on the server"},
		{"hour 25", `{"timezone": "UTC", "hours": {"mon": [["09:00","25:00"]]}}`, "hours.mon[0]", `"25:00"`},
		{"minute 60", `{"timezone": "UTC", "hours": {"mon": [["09:60","17:00"]]}}`, "hours.mon[0]", `"09:60"`},
		{"short time", `{"timezone": "UTC", "hours": {"mon": [["9:00","17:00"]]}}`, "hours.mon[0]", "HH:MM"},
		{"24:00 open", `{"timezone": "UTC", "hours": {"mon": [["24:00","24:00"]]}}`, "hours.mon[0]", "only allowed as a close"},
		{"24:30 close", `{"timezone": "UTC", "hours": {"mon": [["09:00","24:30"]]}}`, "hours.mon[0]", `"24:30"`},
		{"close before open", `{"timezone": "UTC", "hours": {"tue": [["18:00","09:00"]]}}`, "hours.tue[0]", "not after open"},
		{"empty window", `{"timezone": "UTC", "hours": {"tue": [["09:00","09:00"]]}}`, "hours.tue[0]", "not after open"},
		{"overlap", `{"timezone": "UTC", "hours": {"wed": [["13:00","18:00"],["08:00","13:30"]]}}`, "hours.wed", "08:00-13:30 and 13:00-18:00 overlap"},
		{"unknown weekday", `{"timezone": "UTC", "hours": {"monday": [["09:00","17:00"]], "tue": [["09:00","17:00"]]}}`, "hours.monday", "unknown weekday"},
		{"three values", `{"timezone": "UTC", "hours": {"mon": [["09:00","12:00","17:00"]]}}`, "hours.mon[0]", "got 3 values"},
		{"hours not object", `{"timezone": "UTC", "hours": [["09:00","17:00"]]}`, "hours", "want an object"},
		{"no windows", `{"timezone": "UTC", "hours": {"mon": [], "tue": []}}`, "hours", "no opening window"},
		{"no hours", `{"timezone": "UTC"}`, "hours", "no opening window"},
		{"bad date", `{"timezone": "UTC", ` + mon + `, "holidays": ["2027-07-14", "2027-02-30"]}`, "holidays[1]", `"2027-02-30"`},
		{"date format", `{"timezone": "UTC", ` + mon + `, "holidays": ["14/07/2027"]}`, "holidays[0]", "YYYY-MM-DD"},
		{"unknown rule", `{"timezone": "UTC", ` + mon + `, "holiday_rules": ["easter"]}`, "holiday_rules[0]", "unknown rule"},
		{"fixed month 13", `{"timezone": "UTC", ` + mon + `, "holiday_rules": ["fixed:13-01"]}`, "holiday_rules[0]", "no such day"},
		{"fixed 02-30", `{"timezone": "UTC", ` + mon + `, "holiday_rules": ["fixed:02-30"]}`, "holiday_rules[0]", "no such day"},
		{"fixed format", `{"timezone": "UTC", ` + mon + `, "holiday_rules": ["fixed:5-1"]}`, "holiday_rules[0]", "fixed:MM-DD"},
		{"offset not a number", `{"timezone": "UTC", ` + mon + `, "holiday_rules": ["easter_offset:x"]}`, "holiday_rules[0]", "easter_offset:N"},
		{"offset too big", `{"timezone": "UTC", ` + mon + `, "holiday_rules": ["easter_offset:400"]}`, "holiday_rules[0]", "between -365 and 365"},
		{"unknown key", `{"timezone": "UTC", ` + mon + `, "holiday": ["2027-07-14"]}`, "holiday", "unknown key"},
		{"wrong type", `{"timezone": "UTC", ` + mon + `, "always_open": "yes"}`, "always_open", "true or false"},
		{"not an object", `[1, 2]`, "", "want a JSON object"},
		{"null", `null`, "", "want a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseCalendar([]byte(tt.js))
			if err == nil {
				t.Fatalf("ParseCalendar(%s) = nil error", tt.js)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FieldError", err, err)
			}
			if fe.Field != tt.field {
				t.Errorf("field = %q, want %q (error: %v)", fe.Field, tt.field, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not contain %q", err, tt.msg)
			}
		})
	}
}

func TestParseCalendarSyntaxError(t *testing.T) {
	_, err := ParseCalendar([]byte(`{"timezone": "UTC",`))
	if err == nil || !strings.Contains(err.Error(), "calendar: invalid JSON") {
		t.Errorf("ParseCalendar of truncated JSON: %v", err)
	}
}

func TestValidateAccepts(t *testing.T) {
	tests := []struct{ name, js string }{
		{"example", issueExample},
		{"seven keys", `{"timezone": "UTC", "hours": {"mon": [["09:00","17:00"]], "tue": [], "wed": [], "thu": [], "fri": [], "sat": [], "sun": []}}`},
		{"touching windows", `{"timezone": "UTC", "hours": {"mon": [["08:00","12:00"],["12:00","24:00"]]}}`},
		{"unsorted windows", `{"timezone": "UTC", "hours": {"mon": [["14:00","18:00"],["08:00","12:00"]]}}`},
		{"always open without hours", `{"timezone": "UTC", "always_open": true}`},
		{"name", `{"name": "N2 Paris", "timezone": "Europe/Paris", "hours": {"fri": [["00:00","24:00"]]}}`},
		{"all rules", `{"timezone": "UTC", "hours": {"mon": [["09:00","17:00"]]}, "holiday_rules": ["fixed:02-29", "good_friday", "easter_monday", "ascension", "whit_monday", "easter_offset:0", "easter_offset:-47", "easter_offset:+60"]}`},
		{"null lists", `{"timezone": "UTC", "hours": {"mon": [["09:00","17:00"]]}, "holidays": null, "holiday_rules": null}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := ParseCalendar([]byte(tt.js)); err != nil {
				t.Fatalf("ParseCalendar: %v", err)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := &Calendar{
		Timezone:     "Nowhere/Special",
		Hours:        map[string][]Window{"mon": {{"09:00", "25:00"}}, "xyz": {{"09:00", "17:00"}}},
		Holidays:     []string{"2027-13-01"},
		HolidayRules: []string{"fixed:00-01"},
	}
	err := c.Validate()
	for _, field := range []string{"timezone", "hours.mon[0]", "hours.xyz", "holidays[0]", "holiday_rules[0]"} {
		if err == nil || !strings.Contains(err.Error(), "calendar: "+field+": ") {
			t.Errorf("Validate() = %v, want a problem with %s", err, field)
		}
	}
	// An invalid calendar computes nothing, and never panics.
	now := time.Date(2027, 1, 4, 10, 0, 0, 0, time.UTC)
	if !c.Deadline(now, time.Hour).IsZero() || c.Elapsed(now, now.Add(time.Hour)) != 0 ||
		c.IsOpen(now) || !c.NextOpen(now).IsZero() || c.Location() != nil || c.HolidaysIn(2027) != nil {
		t.Error("an invalid calendar gave a result")
	}
	if _, err := json.Marshal(c); err == nil {
		t.Error("MarshalJSON accepted an invalid calendar")
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	cals := map[string]*Calendar{
		"example": mustParse(t, issueExample),
		"french":  FrenchCalendar(),
		"24/7":    AlwaysOpen(),
		"seven keys": mustParse(t, `{"timezone": "Asia/Kolkata", "hours": {"mon": [["10:00","18:00"]], "tue": [],
			"wed": [], "thu": [], "fri": [], "sat": [["10:00","14:00"]], "sun": []}, "holidays": ["2025-03-31"]}`),
	}
	for name, c := range cals {
		t.Run(name, func(t *testing.T) {
			out, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseCalendar(out)
			if err != nil {
				t.Fatalf("ParseCalendar(%s): %v", out, err)
			}
			again, err := json.Marshal(back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, again) {
				t.Errorf("round trip changed the JSON:\n%s\n%s", out, again)
			}
			start := time.Date(2027, 5, 1, 10, 0, 0, 0, time.UTC)
			for i := range 50 {
				s := start.Add(time.Duration(i) * 37 * time.Hour)
				if a, b := c.Deadline(s, 9*time.Hour), back.Deadline(s, 9*time.Hour); !a.Equal(b) {
					t.Fatalf("deadline from %v: %v before the round trip, %v after", s, a, b)
				}
			}
		})
	}
	// The output is in weekday order with every key, as documented.
	out, _ := json.Marshal(mustParse(t, issueExample))
	want := `{"timezone":"Europe/Paris","hours":{"mon":[["08:30","12:30"],["13:30","18:00"]],"tue":[["08:30","18:00"]]},` +
		`"holidays":["2027-07-14"],"holiday_rules":["fixed:05-01","easter_monday","ascension","whit_monday"],"always_open":false}`
	if string(out) != want {
		t.Errorf("MarshalJSON =\n%s\nwant\n%s", out, want)
	}
}

func TestUnmarshalReplacesTables(t *testing.T) {
	var c Calendar
	if err := json.Unmarshal([]byte(`{"timezone": "UTC", "always_open": true}`), &c); err != nil {
		t.Fatal(err)
	}
	sat := time.Date(2027, 1, 2, 10, 0, 0, 0, time.UTC)
	if !c.IsOpen(sat) {
		t.Fatal("always open calendar closed")
	}
	if err := json.Unmarshal([]byte(`{"timezone": "UTC", "hours": {"mon": [["09:00","17:00"]]}}`), &c); err != nil {
		t.Fatal(err)
	}
	if c.IsOpen(sat) {
		t.Error("tables of the previous content still in use after UnmarshalJSON")
	}
}

func TestWindowJSON(t *testing.T) {
	var w Window
	if err := json.Unmarshal([]byte(`["08:00","12:00"]`), &w); err != nil || w != (Window{"08:00", "12:00"}) {
		t.Fatalf("Unmarshal = %v, %v", w, err)
	}
	if err := json.Unmarshal([]byte(`["08:00"]`), &w); err == nil {
		t.Error("Unmarshal accepted a single time")
	}
	out, _ := json.Marshal(Window{"13:30", "24:00"})
	if string(out) != `["13:30","24:00"]` {
		t.Errorf("Marshal = %s", out)
	}
}

// FuzzParseCalendar checks that no input makes the parser or the arithmetic
// panic, and that whatever parses also round-trips.
func FuzzParseCalendar(f *testing.F) {
	f.Add([]byte(issueExample))
	f.Add([]byte(`{"timezone": "Asia/Tehran", "hours": {"mon": [["00:00","24:00"]]}, "holiday_rules": ["easter_offset:-365"]}`))
	f.Add([]byte(`{"timezone": "UTC", "always_open": true}`))
	f.Add([]byte(`{"hours": {"mon": [[1, 2]]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCalendar(data)
		if err != nil {
			return
		}
		start := time.Date(2026, 3, 28, 22, 0, 0, 0, time.UTC)
		c.Elapsed(start, c.Deadline(start, 50*time.Hour))
		out, err := json.Marshal(c)
		if err != nil {
			t.Fatalf("valid calendar does not marshal: %v", err)
		}
		if _, err := ParseCalendar(out); err != nil {
			t.Fatalf("output %s does not parse: %v", out, err)
		}
	})
}
