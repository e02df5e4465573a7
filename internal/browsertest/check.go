package browsertest

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// pageState is what the browser says of the page on screen, read before a screenshot.
type pageState struct {
	Location string `json:"location"` // the document's address (chrome-error://… for a browser error)
	Status   int    `json:"status"`   // the HTTP status of the document (0 when there was no response)
	Marker   string `json:"marker"`   // data-error-status of opsdesk's error page, "" elsewhere
	Text     string `json:"text"`     // the error's text, or the main element's (or body's) text
}

// readPage reads the page's state: opsdesk's error page carries data-error-status on its main
// element; the navigation timing entry gives the document's HTTP status.
const readPage = `(() => {
	const nav = performance.getEntriesByType("navigation")[0];
	const marked = document.querySelector("[data-error-status]");
	const browserError = location.href.startsWith("chrome-error://");
	const main = (!browserError && document.querySelector("main")) || document.body;
	const body = main ? main.innerText : "";
	return {
		location: location.href,
		status: nav && nav.responseStatus ? nav.responseStatus : 0,
		marker: marked ? marked.dataset.errorStatus || "?" : "",
		text: (marked ? marked.innerText : body).trim(),
	};
})()`

// pageProblem says what is wrong with the page on screen for a screenshot ("" when it is worth
// one) and the address the browser shows: the address asked for, also when the browser replaced
// the document with its own error page.
func pageProblem(ctx context.Context) (problem, address string, err error) {
	st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](readPage))
	if err != nil {
		return "", "", fmt.Errorf("read the page: %w", err)
	}
	if strings.HasPrefix(st.Location, "chrome-error://") && st.Text == "" {
		// The browser's error page writes its message by script after it loads: give it a
		// moment, so that the failure says why (ERR_CONNECTION_REFUSED…).
		wait := chromedp.Poll[bool](`document.body && document.body.innerText.trim() !== ""`,
			chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(3*time.Second))
		if _, err := chromedp.Run(ctx, wait); err == nil {
			if again, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](readPage)); err == nil {
				st = again
			}
		}
	}
	address = st.Location
	h, herr := chromedp.Run(ctx, chromedp.NavigationEntries())
	if herr == nil && h.CurrentIndex >= 0 && int(h.CurrentIndex) < len(h.Entries) {
		address = h.Entries[h.CurrentIndex].URL
	}
	text := shorten(st.Text, 300)
	switch {
	case strings.HasPrefix(st.Location, "chrome-error://"):
		return "the browser could not show it: " + text, address, nil
	case st.Marker != "":
		return "opsdesk's error page (" + st.Marker + "): " + text, address, nil
	case st.Status >= 400:
		return fmt.Sprintf("HTTP status %d: %s", st.Status, text), address, nil
	case st.Text == "":
		return "the page is empty", address, nil
	}
	return "", address, nil
}

// shorten keeps the first n runes of s, on one line.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// Fails runs f with a stand-in for tb that records f's first Fatal or Fatalf instead of failing
// tb, and returns its message ("" when f did not fail). It lets a test prove that a check fails
// the test that uses it. f runs on its own goroutine, which a Fatal ends, as it would a test's.
func Fails(tb testing.TB, f func(tb testing.TB)) string {
	tb.Helper()
	r := &recorder{TB: tb}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fatal
}

// recorder is a testing.TB whose Fatal and Fatalf are recorded; everything else is tb's.
type recorder struct {
	testing.TB
	mu    sync.Mutex
	fatal string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatal(args ...any) { r.stop(fmt.Sprint(args...)) }

func (r *recorder) Fatalf(format string, args ...any) { r.stop(fmt.Sprintf(format, args...)) }

func (r *recorder) FailNow() { r.stop("FailNow") }

// stop records the first failure and ends f's goroutine.
func (r *recorder) stop(msg string) {
	r.mu.Lock()
	if r.fatal == "" {
		r.fatal = msg
	}
	r.mu.Unlock()
	runtime.Goexit()
}
