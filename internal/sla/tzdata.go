package sla

// The IANA time zone database is embedded (about 450 kB) so that calendars
// load on machines and containers without /usr/share/zoneinfo; the system
// copy, when present, is still preferred by time.LoadLocation.
import _ "time/tzdata"
