package demo

import (
	"strings"

	"github.com/opsdesk/opsdesk/internal/opsdesk"
)

// The words of the customers' mails, around a scenario's own.
var (
	mailGreeting = text{"Bonjour,", "Hello,"}
	mailClosing  = text{"Cordialement,", "Best regards,"}
	mailImpact   = text{"Impact : ", "Impact: "}
	mailJoined   = text{"Vous trouverez le fichier en pièce jointe.", "The file is attached."}
	mailQualify  = text{"Qualifiée à la lecture du mail du client", "Qualified from the customer's mail"}
	mailRouted   = text{"Qualification : relève du niveau ", "Qualified: handled at level "}
)

// contactNames are how the customers' mail-only contacts (by their address's local part) sign.
var contactNames = map[string]string{
	"dsi":          "DSI Mutuelle Horizon",
	"exploitation": "Exploitation Mutuelle Horizon",
	"support-it":   "Support informatique Transports de la Vallée",
	"it-ops":       "IT Operations Northwind",
	"noc":          "Harbour Bank NOC",
}

// senderName is the display name of a customer's address: the user's name when it is u's, else
// the contact's.
func senderName(addr string, u *opsdesk.User) string {
	if u != nil && addr == u.Email {
		return u.Name
	}
	local, _, _ := strings.Cut(addr, "@")
	if n, ok := contactNames[local]; ok {
		return n
	}
	return local
}

// mailFiles are what customers join to a request by mail, by the scenario's English subject: the
// account requests join the list they announce, the others an excerpt half of the time.
var mailFiles = map[string]struct {
	name    text
	ctype   string
	content string
	always  bool
}{
	"Nobody can log in": {text{"erreur-connexion.txt", "login-error.txt"}, "text/plain",
		"2026-11-03 08:31:57 ERROR [auth] session store unavailable: queue full (4096/4096)\n" +
			"2026-11-03 08:31:57 ERROR [http] POST /login -> 500 Internal Server Error (12 ms)\n" +
			"2026-11-03 08:32:04 WARN  [auth] retrying session store connection (attempt 3)\n", false},
	"Nightly order import fails": {text{"import-commandes.log", "order-import.log"}, "text/plain",
		"[02:00:01] import-orders: start, file orders-20261102.csv (48 213 lines)\n" +
			"[02:14:37] import-orders: batch 31/40 committed\n" +
			"[02:15:02] import-orders: killed by signal 9 (exit code 137): memory limit 2 GiB reached\n", false},
	"Site certificate about to expire": {text{"certificat.txt", "certificate.txt"}, "text/plain",
		"Subject: CN=extranet\nIssuer: CN=Corporate Issuing CA 2\nNot Before: Nov 28 00:00:00 2025 GMT\n" +
			"Not After : Nov 28 23:59:59 2026 GMT\n", false},
	"401 errors on the billing API": {text{"erreurs-api.log", "api-errors.log"}, "text/plain",
		"07:02:11 POST /api/billing/v2/invoices -> 401 {\"error\":\"invalid_token\",\"detail\":\"signature key unknown\"}\n" +
			"07:02:14 POST /api/billing/v2/invoices -> 401 {\"error\":\"invalid_token\",\"detail\":\"signature key unknown\"}\n", false},
	"Mobile app closes at start-up": {text{"plantage-android.txt", "android-crash.txt"}, "text/plain",
		"FATAL EXCEPTION: main\nProcess: com.vendor.field, PID: 8121\n" +
			"java.lang.IllegalStateException: home widget not initialised\n" +
			"\tat com.vendor.field.home.HomeFragment.onResume(HomeFragment.kt:88)\n", false},
	"Accounts for three new starters": {text{"nouveaux-collaborateurs.csv", "new-starters.csv"}, "text/csv",
		"name;email;start\nLéa Morel;lea.morel@example.com;lundi\nHugo Lambert;hugo.lambert@example.com;lundi\n" +
			"Inès Girard;ines.girard@example.com;lundi\n", true},
	"Duplicate accounting entries": {text{"ecritures-en-double.csv", "duplicate-entries.csv"}, "text/csv",
		"entry;date;account;amount\nEC-448812;2026-11-12;411000;1250.00\nEC-448813;2026-11-12;411000;1250.00\n", false},
}
