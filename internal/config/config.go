// Package config reads opsdesk's settings from flags and environment variables into one value
// that main passes to constructors. Every setting has a flag, an OPSDESK_ variable and a default;
// a flag wins over the variable, which wins over the default. A bad value stops the program at
// start with one line naming the setting and why.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// Config is every setting of an opsdesk instance.
type Config struct {
	Listen        string        // address the HTTP server listens on
	BaseURL       string        // public URL, used in mails and links; https makes cookies Secure
	DataDir       string        // where the SQLite database and attachments live
	DatabaseURL   string        // SQLite file path, or postgres:// URL
	Lang          opsdesk.Lang  // default language when neither user nor browser says
	LogLevel      string        // debug, info, warn, error
	LogFormat     string        // text or json
	SessionTTL    time.Duration // idle time after which a web session ends
	SQLiteSync    string        // normal or full
	Workers       int           // background jobs run at once
	TrustProxy    bool          // take the client address from X-Forwarded-For (behind a reverse proxy)
	ShutdownGrace time.Duration // how long in-flight requests get at shutdown
	TicketPrefix  string        // starts every ticket number: OPS-1042
	MaxUpload     int64         // largest attachment accepted, in bytes
	SMTPRelay     string        // SMTP relay for outgoing mail (host:port); "" keeps mails in the outbox, not sent
	SMTPUser      string        // SMTP relay credentials, optional
	SMTPPassword  string        //
	SMTPTLS       string        // none, starttls or tls
	MailFrom      string        // the support address mails come from, with a display name

	SMTPListen       string        // inbound SMTP listener (host:port); "" for none
	LMTPListen       string        // inbound LMTP listener (host:port); "" for none
	SupportAddresses []string      // recipients the listeners accept: addresses, or "@domain"
	MailReopenDays   int           // a reply this many days after closing reopens; later, a follow-up
	MailRateLimit    int           // inbound messages one sender may send per MailRateWindow; 0: no limit
	MailRateWindow   time.Duration //

	SLAWarn float64 // share of an SLA target at which the assignee and the level's group are warned, in (0, 1)

	AutoCloseDays  int // business days (customer's calendar) after which a resolved ticket without a survey answer closes; 0: never
	SurveyLinkDays int // days a survey link mailed at resolution works

	AccessNoticeDays int // days before an environment access expires that its holder is told; 0: never

	ProjectReminderDays int // days before a customer-owned project item is due that its owner is reminded; 0: only when late

	ReportHour int // local hour (default calendar) from which the monthly service reports go out on the first business day

	ProbeWorkers       int    // health probe checks run at once; 0 turns the probe scheduler off
	ProbeRetentionDays int    // days probe results are kept
	ProbeCategory      string // category of the tickets probes open (a category code)
}

// setting describes one configuration value.
type setting struct {
	flag, env, def, usage string
	set                   func(c *Config, v string) error
}

func settings() []setting {
	return []setting{
		{"listen", "OPSDESK_LISTEN", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)", func(c *Config, v string) error {
			_, port, err := net.SplitHostPort(v)
			if err != nil {
				return fmt.Errorf("%q is not host:port", v)
			}
			if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
				return fmt.Errorf("port %q is not a number from 0 to 65535", port)
			}
			c.Listen = v
			return nil
		}},
		{"base-url", "OPSDESK_BASE_URL", "", "public URL of opsdesk, used in mails and links (default http://<listen>)", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
				return fmt.Errorf("%q is not an http(s) URL without a path, such as https://support.example.com", v)
			}
			c.BaseURL = strings.TrimSuffix(v, "/")
			return nil
		}},
		{"data-dir", "OPSDESK_DATA_DIR", "opsdesk-data", "directory for the SQLite database, attachments and mail (created if missing)", func(c *Config, v string) error {
			if strings.TrimSpace(v) == "" {
				return errors.New("must not be empty")
			}
			c.DataDir = v
			return nil
		}},
		{"database-url", "OPSDESK_DATABASE_URL", "", "SQLite file path, or postgres://user:pass@host/db URL (default <data-dir>/opsdesk.db)", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if strings.Contains(v, "://") && !store.IsPostgresURL(v) {
				return fmt.Errorf("%q: use a file path for SQLite or a postgres:// URL", redact(v))
			}
			if store.IsPostgresURL(v) {
				if _, err := url.Parse(v); err != nil {
					return fmt.Errorf("not a valid URL: %v", err)
				}
			}
			c.DatabaseURL = v
			return nil
		}},
		{"default-lang", "OPSDESK_LANG", "en", "default language of the interface and mails: fr or en", func(c *Config, v string) error {
			c.Lang = opsdesk.Lang(strings.ToLower(v))
			if !c.Lang.Valid() {
				return fmt.Errorf("%q is not fr or en", v)
			}
			return nil
		}},
		{"log-level", "OPSDESK_LOG_LEVEL", "info", "log level: debug, info, warn or error", func(c *Config, v string) error {
			switch strings.ToLower(v) {
			case "debug", "info", "warn", "error":
				c.LogLevel = strings.ToLower(v)
				return nil
			}
			return fmt.Errorf("%q is not debug, info, warn or error", v)
		}},
		{"log-format", "OPSDESK_LOG_FORMAT", "text", "log format: text or json", func(c *Config, v string) error {
			if v != "text" && v != "json" {
				return fmt.Errorf("%q is not text or json", v)
			}
			c.LogFormat = v
			return nil
		}},
		{"session-ttl", "OPSDESK_SESSION_TTL", "12h", "idle time after which a web session ends (Go duration, 5m to 720h)", func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 5*time.Minute || d > 720*time.Hour {
				return fmt.Errorf("%q is not a duration from 5m to 720h", v)
			}
			c.SessionTTL = d
			return nil
		}},
		{"sqlite-sync", "OPSDESK_SQLITE_SYNC", "normal", "SQLite durability: normal (survives a crash of opsdesk) or full (also survives power loss; slower writes)", func(c *Config, v string) error {
			v = strings.ToLower(v)
			if v != "normal" && v != "full" {
				return fmt.Errorf("%q is not normal or full", v)
			}
			c.SQLiteSync = v
			return nil
		}},
		{"workers", "OPSDESK_WORKERS", "4", "background jobs run at once (1 to 64)", func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 64 {
				return fmt.Errorf("%q is not a number from 1 to 64", v)
			}
			c.Workers = n
			return nil
		}},
		{"trust-proxy", "OPSDESK_TRUST_PROXY", "false", "take the client address from X-Forwarded-For (only behind a reverse proxy you run)", func(c *Config, v string) error {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return fmt.Errorf("%q is not true or false", v)
			}
			c.TrustProxy = b
			return nil
		}},
		{"shutdown-grace", "OPSDESK_SHUTDOWN_GRACE", "15s", "time in-flight requests get to finish at shutdown", func(c *Config, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > 10*time.Minute {
				return fmt.Errorf("%q is not a duration from 0s to 10m", v)
			}
			c.ShutdownGrace = d
			return nil
		}},
		{"ticket-prefix", "OPSDESK_TICKET_PREFIX", "OPS", "prefix of ticket numbers (OPS-1042): 2 to 10 capital letters or digits", func(c *Config, v string) error {
			if !prefixRE.MatchString(v) {
				return fmt.Errorf("%q is not 2 to 10 capital letters or digits starting with a letter", v)
			}
			c.TicketPrefix = v
			return nil
		}},
		{"max-upload", "OPSDESK_MAX_UPLOAD", "25MB", "largest attachment accepted (e.g. 10MB, 512KB)", func(c *Config, v string) error {
			n, err := parseSize(v)
			if err != nil || n < 1024 || n > 2<<30 {
				return fmt.Errorf("%q is not a size from 1KB to 2GB", v)
			}
			c.MaxUpload = n
			return nil
		}},
		{"smtp-relay", "OPSDESK_SMTP_RELAY", "", "SMTP relay for outgoing mail, host:port (empty: mails are kept in the outbox, not sent)", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
				return fmt.Errorf("%q is not host:port, such as smtp.vendor.example:587", v)
			}
			c.SMTPRelay = v
			return nil
		}},
		{"smtp-user", "OPSDESK_SMTP_USER", "", "user name at the SMTP relay (empty: no authentication)", func(c *Config, v string) error {
			c.SMTPUser = v
			return nil
		}},
		{"smtp-password", "OPSDESK_SMTP_PASSWORD", "", "password at the SMTP relay", func(c *Config, v string) error {
			c.SMTPPassword = v
			return nil
		}},
		{"smtp-tls", "OPSDESK_SMTP_TLS", "none", "TLS to the SMTP relay: none, starttls or tls (credentials need TLS unless the relay is on loopback)", func(c *Config, v string) error {
			v = strings.ToLower(v)
			if v != "none" && v != "starttls" && v != "tls" {
				return fmt.Errorf("%q is not none, starttls or tls", v)
			}
			if host, _, _ := net.SplitHostPort(c.SMTPRelay); v == "none" && c.SMTPUser != "" && !isLoopback(host) {
				return errors.New("none would send the SMTP password in clear: use starttls or tls")
			}
			c.SMTPTLS = v
			return nil
		}},
		{"mail-from", "OPSDESK_MAIL_FROM", "", "the support address mails come from, with a display name: \"Support <support@vendor.example>\" (required with a relay)", func(c *Config, v string) error {
			if v == "" {
				if c.SMTPRelay != "" {
					return errors.New("is required when OPSDESK_SMTP_RELAY is set: the support address, such as \"Support <support@vendor.example>\"")
				}
				return nil
			}
			a, err := mail.ParseAddress(v)
			if err != nil || !strings.Contains(a.Address, "@") {
				return fmt.Errorf("%q is not an address, such as \"Support <support@vendor.example>\"", v)
			}
			c.MailFrom = strings.TrimSpace(v)
			return nil
		}},
		{"smtp-listen", "OPSDESK_SMTP_LISTEN", "", "inbound SMTP listener for an MTA to deliver support mail to, host:port (empty: off)", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
				return fmt.Errorf("%q is not host:port, such as 127.0.0.1:2525", v)
			}
			c.SMTPListen = v
			return nil
		}},
		{"lmtp-listen", "OPSDESK_LMTP_LISTEN", "", "inbound LMTP listener (RFC 2033), host:port (empty: off)", func(c *Config, v string) error {
			if v == "" {
				return nil
			}
			if _, port, err := net.SplitHostPort(v); err != nil || port == "" {
				return fmt.Errorf("%q is not host:port, such as 127.0.0.1:2424", v)
			}
			c.LMTPListen = v
			return nil
		}},
		{"support-addresses", "OPSDESK_SUPPORT_ADDRESSES", "", "support addresses the SMTP/LMTP listener accepts mail for, comma-separated; @domain accepts a whole domain", func(c *Config, v string) error {
			c.SupportAddresses = nil
			for _, a := range strings.Split(v, ",") {
				a = strings.ToLower(strings.TrimSpace(a))
				if a == "" {
					continue
				}
				local, domain, ok := strings.Cut(a, "@")
				if !ok || domain == "" || strings.ContainsAny(local+domain, "@ <>\t\"") {
					return fmt.Errorf("%q is not an address or @domain", a)
				}
				c.SupportAddresses = append(c.SupportAddresses, a)
			}
			if len(c.SupportAddresses) == 0 && (c.SMTPListen != "" || c.LMTPListen != "") {
				return errors.New("is required with OPSDESK_SMTP_LISTEN or OPSDESK_LMTP_LISTEN: the addresses to accept mail for")
			}
			return nil
		}},
		{"mail-reopen-days", "OPSDESK_MAIL_REOPEN_DAYS", "14", "a customer's mail this many days after a ticket was closed reopens it; later, it opens a follow-up ticket (0 to 365)", func(c *Config, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 365 {
				return fmt.Errorf("%q is not a number of days from 0 to 365", v)
			}
			c.MailReopenDays = n
			return nil
		}},
		{"mail-rate", "OPSDESK_MAIL_RATE", "20/10m", "inbound messages one sender may send in a period, e.g. 20/10m; more are kept and flagged, nothing opened (0: no limit)", func(c *Config, v string) error {
			c.MailRateLimit, c.MailRateWindow = 0, 0
			if v == "0" || strings.EqualFold(v, "off") {
				return nil
			}
			count, period, ok := strings.Cut(v, "/")
			n, err := strconv.Atoi(strings.TrimSpace(count))
			d, derr := time.ParseDuration(strings.TrimSpace(period))
			if !ok || err != nil || derr != nil || n < 1 || d < time.Second || d > 24*time.Hour {
				return fmt.Errorf("%q is not COUNT/PERIOD such as 20/10m (a period from 1s to 24h), or 0", v)
			}
			c.MailRateLimit, c.MailRateWindow = n, d
			return nil
		}},
		{"sla-warn", "OPSDESK_SLA_WARN", "0.75", "share of an SLA target at which the assignee and the level's group are warned, above 0 and below 1 (0.75: at 3 h of a 4 h target)", func(c *Config, v string) error {
			// 1 is refused: the warning would fall on the deadline, where only the breach is
			// recorded, so nobody would ever be warned.
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err != nil || !(f > 0 && f < 1) {
				return fmt.Errorf("%q is not a share above 0 and below 1, such as 0.75", v)
			}
			c.SLAWarn = f
			return nil
		}},
		{"autoclose-days", "OPSDESK_AUTOCLOSE_DAYS", "5", "business days of the customer's calendar after which a resolved ticket nobody confirmed closes (0: never)", func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > 365 {
				return fmt.Errorf("%q is not a number of business days from 0 to 365", v)
			}
			c.AutoCloseDays = n
			return nil
		}},
		{"access-notice-days", "OPSDESK_ACCESS_NOTICE_DAYS", "7", "days before an access to a customer environment expires that its holder is told (0: never)", func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > 365 {
				return fmt.Errorf("%q is not a number of days from 0 to 365", v)
			}
			c.AccessNoticeDays = n
			return nil
		}},
		{"project-reminder-days", "OPSDESK_PROJECT_REMINDER_DAYS", "3", "days before a project item the customer owes is due that its owner is reminded by mail (0: only when late)", func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > 90 {
				return fmt.Errorf("%q is not a number of days from 0 to 90", v)
			}
			c.ProjectReminderDays = n
			return nil
		}},
		{"report-hour", "OPSDESK_REPORT_HOUR", "8", "hour of the day (0-23, default calendar's time zone) from which last month's service reports are mailed to customers on the first business day of a month", func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > 23 {
				return fmt.Errorf("%q is not an hour from 0 to 23", v)
			}
			c.ReportHour = n
			return nil
		}},
		{"survey-link-days", "OPSDESK_SURVEY_LINK_DAYS", "30", "days a satisfaction survey link mailed at resolution works", func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 || n > 365 {
				return fmt.Errorf("%q is not a number of days from 1 to 365", v)
			}
			c.SurveyLinkDays = n
			return nil
		}},
		{"probe-workers", "OPSDESK_PROBE_WORKERS", "16", "health probe checks run at once by this instance (0: this instance runs no probes)", func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > 512 {
				return fmt.Errorf("%q is not a number of workers from 0 to 512", v)
			}
			c.ProbeWorkers = n
			return nil
		}},
		{"probe-retention-days", "OPSDESK_PROBE_RETENTION_DAYS", "90", "days health probe results are kept (availability is computed from them: keep at least 30)", func(c *Config, v string) error {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 1 || n > 3650 {
				return fmt.Errorf("%q is not a number of days from 1 to 3650", v)
			}
			c.ProbeRetentionDays = n
			return nil
		}},
		{"probe-category", "OPSDESK_PROBE_CATEGORY", "infrastructure", "category code of the incidents and certificate requests health probes open", func(c *Config, v string) error {
			v = strings.ToLower(strings.TrimSpace(v))
			if v == "" || strings.ContainsAny(v, " \t") {
				return fmt.Errorf("%q is not a category code", v)
			}
			c.ProbeCategory = v
			return nil
		}},
	}
}

// isLoopback tells whether host names this machine (localhost or a loopback address).
func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

var prefixRE = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,9}$`)

// parseSize reads 25MB, 512KB, 1GB or a number of bytes.
func parseSize(v string) (int64, error) {
	v = strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(v, u.suffix) {
			v, mult = strings.TrimSpace(strings.TrimSuffix(v, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("bad size")
	}
	return n * mult, nil
}

// Bind registers every setting as a flag of fs, with its default taken from the environment
// when the variable is set. Call Resolve after fs.Parse.
func Bind(fs *flag.FlagSet, getenv func(string) string) *Binding {
	b := &Binding{fs: fs, getenv: getenv, raw: map[string]*string{}, hidden: map[string]string{}}
	for _, s := range settings() {
		v := s.def
		if e := getenv(s.env); e != "" {
			v = e
		}
		if secretSettings[s.flag] {
			// The flag's default is printed by --help: keep a secret from the environment out of it.
			b.hidden[s.flag] = v
			v = ""
		}
		b.raw[s.flag] = fs.String(s.flag, v, fmt.Sprintf("%s [%s]", s.usage, s.env))
	}
	return b
}

// secretSettings may hold a password; their values never appear in --help.
var secretSettings = map[string]bool{"database-url": true, "smtp-password": true}

// Binding is the flags of a command, waiting to be resolved into a Config.
type Binding struct {
	fs     *flag.FlagSet
	getenv func(string) string
	raw    map[string]*string
	hidden map[string]string // secret settings' values from the environment or default
}

// Resolve checks every setting and returns the Config, or an error naming the first bad setting
// by the way it was given (flag, variable or default).
func (b *Binding) Resolve() (Config, error) {
	var c Config
	given := map[string]bool{}
	b.fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	for _, s := range settings() {
		v := *b.raw[s.flag]
		if h, ok := b.hidden[s.flag]; ok && !given[s.flag] {
			v = h
		}
		if err := s.set(&c, v); err != nil {
			src := s.env
			if given[s.flag] {
				src = "--" + s.flag
			} else if b.getenv(s.env) == "" {
				src = "default of " + s.env
			}
			return Config{}, fmt.Errorf("%s: %v", src, err)
		}
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = filepath.Join(c.DataDir, "opsdesk.db")
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Listen
	}
	return c, nil
}

// Help writes the settings table: flag, variable, default and meaning.
func Help(w io.Writer) {
	fmt.Fprintln(w, "Settings (flag, environment variable, default):")
	for _, s := range settings() {
		def := s.def
		if def == "" {
			def = "(derived)"
		}
		fmt.Fprintf(w, "  --%-15s %-24s %-16s %s\n", s.flag, s.env, def, s.usage)
	}
}

// Postgres tells whether the database is PostgreSQL.
func (c Config) Postgres() bool { return store.IsPostgresURL(c.DatabaseURL) }

// SecureCookies tells whether cookies must be marked Secure (the public URL is https).
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// RedactedDatabaseURL is the database URL with any password hidden, for logs.
func (c Config) RedactedDatabaseURL() string { return redact(c.DatabaseURL) }

func redact(v string) string {
	u, err := url.Parse(v)
	if err != nil || u.User == nil {
		return v
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
