package sla

// FrenchCalendar returns the default calendar of a French service desk:
// Europe/Paris, Monday to Friday 09:00–12:30 and 14:00–18:00 (7.5 open hours
// a day, 37.5 a week), closed on the eleven national public holidays:
// 1 January, Easter Monday, 1 May, 8 May, Ascension, Whit Monday, 14 July,
// 15 August, 1 November, 11 November and 25 December.
//
// Each call returns a new Calendar, which the caller may adjust before its
// first use (for example to add Good Friday and 26 December for
// Alsace-Moselle, or to drop Whit Monday where it is worked).
func FrenchCalendar() *Calendar {
	day := func() []Window {
		return []Window{{Open: "09:00", Close: "12:30"}, {Open: "14:00", Close: "18:00"}}
	}
	return &Calendar{
		Name:     "France (Mon–Fri 09:00–12:30, 14:00–18:00)",
		Timezone: "Europe/Paris",
		Hours: map[string][]Window{
			"mon": day(), "tue": day(), "wed": day(), "thu": day(), "fri": day(),
		},
		HolidayRules: []string{
			"fixed:01-01", "easter_monday", "fixed:05-01", "fixed:05-08",
			"ascension", "whit_monday", "fixed:07-14", "fixed:08-15",
			"fixed:11-01", "fixed:11-11", "fixed:12-25",
		},
	}
}

// AlwaysOpen returns a 24/7 calendar in UTC: every instant is open time, so
// deadlines are plain additions.
func AlwaysOpen() *Calendar {
	return &Calendar{Name: "24/7", Timezone: "UTC", AlwaysOpen: true}
}
