package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/i18n"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/sla"
)

// The views of a business calendar on the admin pages: its JSON form as an admin edits it, its
// weekly hours, and the holidays of a year with their names. Pure functions of the calendar.

// weekdayKeys are the keys of a calendar's hours, Monday first, as the JSON form writes them.
var weekdayKeys = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// editableJSON writes a calendar's definition, without its name, as the JSON form laid out for
// a textarea: one key per line and one weekday per line, in the order of MarshalJSON.
func editableJSON(c *sla.Calendar) (string, error) {
	compact, err := (&sla.Calendar{Timezone: c.Timezone, Hours: c.Hours, Holidays: c.Holidays,
		HolidayRules: c.HolidayRules, AlwaysOpen: c.AlwaysOpen}).MarshalJSON()
	if err != nil {
		return "", err
	}
	var def struct {
		Timezone     string                `json:"timezone"`
		Hours        map[string][][]string `json:"hours"`
		Holidays     []string              `json:"holidays"`
		HolidayRules []string              `json:"holiday_rules"`
		AlwaysOpen   bool                  `json:"always_open"`
	}
	if err := json.Unmarshal(compact, &def); err != nil {
		return "", err
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return strings.ReplaceAll(string(b), `","`, `", "`)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "{\n  \"timezone\": %s,\n  \"hours\": {", enc(def.Timezone))
	first := true
	for _, day := range weekdayKeys {
		wins, ok := def.Hours[day]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		pairs := make([]string, len(wins))
		for i, w := range wins {
			pairs[i] = enc(w)
		}
		fmt.Fprintf(&b, "\n    %q: [%s]", day, strings.Join(pairs, ", "))
	}
	if !first {
		b.WriteString("\n  ")
	}
	fmt.Fprintf(&b, "},\n  \"holidays\": %s,\n  \"holiday_rules\": %s,\n  \"always_open\": %t\n}\n",
		enc(def.Holidays), enc(def.HolidayRules), def.AlwaysOpen)
	return b.String(), nil
}

// dayHours is one weekday of a calendar's week.
type dayHours struct {
	Key     string // mon … sun
	Name    string // in the reader's language
	Windows string // "09:00–12:30, 14:00–18:00"; "" when closed
	Open    time.Duration
}

// weekView is a calendar's opening hours over a week.
type weekView struct {
	AlwaysOpen bool
	Days       []dayHours
	Total      string // open time over a week, "37.5 h"
	Day        string // the business day (DayLength): what "1d" means in targets
}

// weekOf describes a calendar's week in lang.
func weekOf(lang opsdesk.Lang, c *sla.Calendar) weekView {
	v := weekView{AlwaysOpen: c.AlwaysOpen, Day: hoursText(lang, c.DayLength())}
	if c.AlwaysOpen {
		v.Total = hoursText(lang, 7*24*time.Hour)
		return v
	}
	var total time.Duration
	for _, key := range weekdayKeys {
		d := dayHours{Key: key, Name: i18n.T(lang, "calendar.weekday."+key)}
		wins := slices.Clone(c.Hours[key])
		slices.SortFunc(wins, func(a, b sla.Window) int { return strings.Compare(a.Open, b.Open) })
		var parts []string
		for _, w := range wins {
			parts = append(parts, w.Open+"–"+w.Close)
			d.Open += clockOf(w.Close) - clockOf(w.Open)
		}
		d.Windows = strings.Join(parts, ", ")
		total += d.Open
		v.Days = append(v.Days, d)
	}
	v.Total = hoursText(lang, total)
	return v
}

// clockOf reads a valid "HH:MM" (or "24:00") as the time since midnight.
func clockOf(s string) time.Duration {
	var h, m int
	fmt.Sscanf(s, "%d:%d", &h, &m)
	return time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
}

// hoursText writes a duration in hours with at most two decimals, in the language's notation
// ("37.5 h", "37,5 h").
func hoursText(lang opsdesk.Lang, d time.Duration) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", d.Hours()), "0"), ".")
	if lang == opsdesk.LangFR {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s + " h"
}

// hoursSummary is the one-line description of a calendar in the list: "24/7", or its days
// grouped by identical windows ("Mon–Fri 09:00–12:30, 14:00–18:00").
func hoursSummary(lang opsdesk.Lang, c *sla.Calendar) string {
	if c.AlwaysOpen {
		return i18n.T(lang, "calendar.always_open_short")
	}
	days := weekOf(lang, c).Days
	var parts []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && days[j+1].Windows == days[i].Windows {
			j++
		}
		if days[i].Windows != "" {
			span := i18n.T(lang, "calendar.wd."+days[i].Key)
			if j > i {
				span += "–" + i18n.T(lang, "calendar.wd."+days[j].Key)
			}
			parts = append(parts, span+" "+days[i].Windows)
		}
		i = j + 1
	}
	return strings.Join(parts, " · ")
}

// holidayRow is one closed day of the holiday preview.
type holidayRow struct {
	Date    string // YYYY-MM-DD
	Long    string // "Monday 29 March", in the reader's language
	Names   string // what makes it a holiday: "Easter Monday", "One-off closure"
	Sources string // the rules or dates behind it: "easter_monday"
}

// holidaysOf lists a calendar's holidays of a year, each named after the rules or dates that
// make it one. The dates come from the calendar itself (HolidaysIn); each rule is evaluated
// alone, through a one-rule calendar, only to name them.
func holidaysOf(lang opsdesk.Lang, c *sla.Calendar, year int) []holidayRow {
	dates := c.HolidaysIn(year)
	if len(dates) == 0 {
		return nil
	}
	names := map[string][]string{}
	sources := map[string][]string{}
	add := func(date, name, source string) {
		if !slices.Contains(names[date], name) {
			names[date] = append(names[date], name)
		}
		sources[date] = append(sources[date], source)
	}
	for _, rule := range c.HolidayRules {
		probe := &sla.Calendar{Timezone: "UTC", Hours: map[string][]sla.Window{"mon": {{Open: "09:00", Close: "10:00"}}},
			HolidayRules: []string{rule}}
		for _, d := range probe.HolidaysIn(year) {
			add(d, ruleName(lang, rule), rule)
		}
	}
	for _, d := range c.Holidays {
		if strings.HasPrefix(d, fmt.Sprintf("%04d-", year)) {
			add(d, i18n.T(lang, "calendar.rule.date"), d)
		}
	}
	out := make([]holidayRow, 0, len(dates))
	for _, d := range dates {
		out = append(out, holidayRow{Date: d, Long: longDate(lang, d), Names: strings.Join(names[d], " · "),
			Sources: strings.Join(sources[d], ", ")})
	}
	return out
}

// ruleName names a holiday rule: the moveable feasts and the usual fixed public holidays by
// name, any other fixed date or Easter offset by what it says.
func ruleName(lang opsdesk.Lang, rule string) string {
	switch {
	case strings.HasPrefix(rule, "fixed:"):
		if key := "calendar.fixed." + rule[len("fixed:"):]; i18n.Has(key) {
			return i18n.T(lang, key)
		}
		return i18n.T(lang, "calendar.rule.fixed")
	case strings.HasPrefix(rule, "easter_offset:"):
		var n int
		fmt.Sscanf(rule[len("easter_offset:"):], "%d", &n)
		return i18n.T(lang, "calendar.rule.easter_offset", n)
	case i18n.Has("calendar.rule." + rule):
		return i18n.T(lang, "calendar.rule."+rule)
	}
	return rule
}

// longDate writes a YYYY-MM-DD date with its weekday and month in words.
func longDate(lang opsdesk.Lang, date string) string {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return date
	}
	wd := weekdayKeys[(int(t.Weekday())+6)%7]
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = i18n.T(lang, "calendar.first_of_month") // "1er" in French
	}
	return i18n.T(lang, "calendar.long_date", i18n.T(lang, "calendar.weekday."+wd), day,
		i18n.T(lang, fmt.Sprintf("calendar.month.%d", int(t.Month()))))
}
