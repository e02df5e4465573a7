package report

import (
	"fmt"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// Locale holds what a chart needs to write dates in one language: month names for the axis and
// the tooltips, the order of day and month, and how a percentage is written. English and French
// are ready-made; LocaleFor picks one from a user's language.
type Locale struct {
	Months   [12]string // full names, January first: tooltips and the axis' upper band
	Short    [12]string // abbreviations, January first: month labels of long charts
	DayFirst bool       // "3 mars 2027" rather than "March 3, 2027"
	FirstDay string     // how the first day of a month is written when DayFirst ("1er"), or ""
	Percent  string     // format of a whole percentage, with one %d
}

// English writes dates as "March 3, 2027" and months as "Mar".
var English = Locale{
	Months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August",
		"September", "October", "November", "December"},
	Short:   [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
	Percent: "%d%%",
}

// French writes dates as "3 mars 2027" (and "1er mars 2027") and months as "mars", "janv.".
var French = Locale{
	Months: [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
		"septembre", "octobre", "novembre", "décembre"},
	Short: [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.",
		"oct.", "nov.", "déc."},
	DayFirst: true,
	FirstDay: "1er",
	Percent:  "%d\u00a0%%",
}

// LocaleFor returns the locale of a language: French for "fr", English otherwise.
func LocaleFor(lang opsdesk.Lang) Locale {
	if lang == opsdesk.LangFR {
		return French
	}
	return English
}

// Date writes a day in full: "March 3, 2027" or "3 mars 2027".
func (l Locale) Date(t time.Time) string {
	return l.DayMonth(t) + dateYearSep(l) + fmt.Sprint(t.Year())
}

// DayMonth writes a day without its year: "March 3" or "3 mars".
func (l Locale) DayMonth(t time.Time) string {
	month := l.Months[t.Month()-1]
	if !l.DayFirst {
		return fmt.Sprintf("%s %d", month, t.Day())
	}
	if t.Day() == 1 && l.FirstDay != "" {
		return l.FirstDay + " " + month
	}
	return fmt.Sprintf("%d %s", t.Day(), month)
}

// MonthYear writes a month of a year: "March 2027" or "mars 2027".
func (l Locale) MonthYear(t time.Time) string {
	return fmt.Sprintf("%s %d", l.Months[t.Month()-1], t.Year())
}

// Pct writes a fraction between 0 and 1 as a whole percentage: "40%" or "40 %".
func (l Locale) Pct(f float64) string {
	format := l.Percent
	if format == "" {
		format = "%d%%"
	}
	return fmt.Sprintf(format, int(f*100+0.5))
}

func dateYearSep(l Locale) string {
	if l.DayFirst {
		return " "
	}
	return ", "
}
