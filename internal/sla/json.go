package sla

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
)

// jsonKeys lists the keys of the JSON form, in the order MarshalJSON writes
// them.
var jsonKeys = []string{"name", "timezone", "hours", "holidays", "holiday_rules", "always_open"}

// ParseCalendar reads a calendar from its JSON form and validates it. Unknown
// keys are refused, so that a misspelt "holiday" cannot silently drop dates.
// The error lists every problem found, as *FieldError values (see Validate).
func ParseCalendar(data []byte) (*Calendar, error) {
	c := new(Calendar)
	if err := json.Unmarshal(data, c); err != nil {
		if se := (*json.SyntaxError)(nil); errors.As(err, &se) {
			return nil, fmt.Errorf("calendar: invalid JSON: %w", err)
		}
		return nil, err
	}
	return c, nil // UnmarshalJSON compiled the tables
}

// UnmarshalJSON reads the JSON form into c, validates it and compiles its
// tables, so a calendar decoded as part of a larger document is checked too.
// On success the previous content of c, and any tables compiled from it, are
// replaced; on error c is left unchanged.
func (c *Calendar) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		return &FieldError{Msg: "want a JSON object with keys " + fmt.Sprint(jsonKeys)}
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)

	var errs []error
	decode := func(key string, v any, want string) {
		if err := json.Unmarshal(raw[key], v); err != nil {
			errs = append(errs, &FieldError{Field: key, Msg: "want " + want})
		}
	}
	var next Calendar
	for _, key := range keys {
		switch key {
		case "name":
			decode(key, &next.Name, "a string")
		case "timezone":
			decode(key, &next.Timezone, "a string such as \"Europe/Paris\"")
		case "hours":
			next.Hours, errs = decodeHours(raw[key], errs)
		case "holidays":
			decode(key, &next.Holidays, "a list of \"YYYY-MM-DD\" dates")
		case "holiday_rules":
			decode(key, &next.HolidayRules, "a list of rules such as \"fixed:05-01\" or \"easter_monday\"")
		case "always_open":
			decode(key, &next.AlwaysOpen, "true or false")
		default:
			errs = append(errs, &FieldError{Field: key, Msg: "unknown key: want one of " + fmt.Sprint(jsonKeys)})
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	cc, err := compile(&next)
	if err != nil {
		return err
	}
	c.Name, c.Timezone, c.Hours = next.Name, next.Timezone, next.Hours
	c.Holidays, c.HolidayRules, c.AlwaysOpen = next.Holidays, next.HolidayRules, next.AlwaysOpen
	c.compiled.Store(cc)
	return nil
}

// decodeHours reads the "hours" object, keeping unknown weekday keys for
// Validate to report, and appends structural problems to errs.
func decodeHours(data json.RawMessage, errs []error) (map[string][]Window, []error) {
	var days map[string]json.RawMessage
	if err := json.Unmarshal(data, &days); err != nil {
		return nil, append(errs, &FieldError{Field: "hours", Msg: `want an object such as {"mon": [["09:00", "18:00"]]}`})
	}
	if days == nil {
		return nil, errs
	}
	keys := make([]string, 0, len(days))
	for k := range days {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	hours := make(map[string][]Window, len(days))
	for _, key := range keys {
		var pairs [][]string
		if err := json.Unmarshal(days[key], &pairs); err != nil {
			errs = append(errs, &FieldError{Field: "hours." + key, Msg: `want a list of ["HH:MM", "HH:MM"] windows`})
			continue
		}
		wins := make([]Window, 0, len(pairs))
		for i, p := range pairs {
			if len(p) != 2 {
				errs = append(errs, &FieldError{Field: fmt.Sprintf("hours.%s[%d]", key, i),
					Msg: fmt.Sprintf(`want ["open", "close"], got %d values`, len(p))})
				continue
			}
			wins = append(wins, Window{Open: p[0], Close: p[1]})
		}
		hours[key] = wins
	}
	return hours, errs
}

// MarshalJSON writes the JSON form: name (when set), timezone, hours (the
// weekdays present in Hours, Monday first), holidays, holiday_rules and
// always_open. It refuses an invalid calendar, so that every export can be
// imported again; ParseCalendar of the output gives back an equivalent
// calendar.
func (c *Calendar) MarshalJSON() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteByte('{')
	if c.Name != "" {
		writeKey(&b, "name", c.Name)
		b.WriteByte(',')
	}
	writeKey(&b, "timezone", c.Timezone)
	b.WriteString(`,"hours":{`)
	first := true
	for _, day := range weekdayKeys {
		wins, ok := c.Hours[day]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		writeKey(&b, day, windowPairs(wins))
	}
	b.WriteString("},")
	writeKey(&b, "holidays", nonNil(c.Holidays))
	b.WriteByte(',')
	writeKey(&b, "holiday_rules", nonNil(c.HolidayRules))
	b.WriteByte(',')
	writeKey(&b, "always_open", c.AlwaysOpen)
	b.WriteByte('}')
	return b.Bytes(), nil
}

// MarshalJSON writes a window as the pair ["HH:MM", "HH:MM"].
func (w Window) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]string{w.Open, w.Close})
}

// UnmarshalJSON reads a window from the pair ["HH:MM", "HH:MM"]; the times
// themselves are checked by Calendar.Validate.
func (w *Window) UnmarshalJSON(data []byte) error {
	var p []string
	if err := json.Unmarshal(data, &p); err != nil || len(p) != 2 {
		return errors.New(`sla: window: want ["HH:MM", "HH:MM"]`)
	}
	w.Open, w.Close = p[0], p[1]
	return nil
}

// writeKey writes "key":value; the values written here always encode.
func writeKey(b *bytes.Buffer, key string, v any) {
	k, _ := json.Marshal(key)
	val, _ := json.Marshal(v)
	b.Write(k)
	b.WriteByte(':')
	b.Write(val)
}

func windowPairs(wins []Window) [][2]string {
	out := make([][2]string, len(wins))
	for i, w := range wins {
		out[i] = [2]string{w.Open, w.Close}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
