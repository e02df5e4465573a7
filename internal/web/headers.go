package web

import "net/http"

// ContentSecurityPolicy is the policy of every response: no inline script or style, nothing
// loaded from elsewhere, no framing, forms posted only to opsdesk itself.
const ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; connect-src 'self'"

// SecurityHeaders sets the browser hardening headers on every response: the strict CSP, no MIME
// sniffing, no framing, a same-origin referrer, a locked-down Permissions-Policy and a
// same-origin opener. HSTS is sent only on requests that arrived over TLS (a plain-HTTP
// development server must not pin the browser to HTTPS).
func SecurityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=(), browsing-topics=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if r.TLS != nil {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}
