package browsertest

import (
	"bytes"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestChromiumRunsAPage proves the browser starts, runs a page's script and reports back.
func TestChromiumRunsAPage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>t</title><button id=b>go</button><p id=out></p>
<script>document.getElementById('b').onclick=()=>document.getElementById('out').textContent='clicked '+(2+3)</script>`)
	}))
	defer srv.Close()
	ctx := New(t, 60*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL), chromedp.Click("#b"), chromedp.WaitVisible("#out")); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Text("#out"))
	if err != nil || got != "clicked 5" {
		t.Fatalf("page text = %q, %v", got, err)
	}
}

// TestScreenshotRefusesErrors photographs pages of a test server: a page worth showing is
// saved; opsdesk's error page (by its data-error-status marker, whatever the status), an HTTP
// error without the marker, an empty page and the browser's own error page fail the test with
// the page's address and the error's text, and save nothing.
func TestScreenshotRefusesErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch r.URL.Path {
		case "/ok":
			fmt.Fprint(w, `<!doctype html><title>ok</title><main><h1>Ticket queue</h1></main>`)
		case "/missing":
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `<!doctype html><title>Not found</title><main><section class="error-page" data-error-status="404">
<h1>Not found</h1><p>This page does not exist.</p></section></main>`)
		case "/marked":
			fmt.Fprint(w, `<!doctype html><title>x</title><main><section data-error-status="403"><h1>Forbidden</h1>
<p>You may not see this.</p></section></main>`)
		case "/plain":
			http.Error(w, "database is locked", http.StatusInternalServerError)
		case "/empty":
			fmt.Fprint(w, `<!doctype html><title>empty</title><body>  </body>`)
		}
	}))
	defer srv.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	gone := closed.URL + "/gone"
	closed.Close()

	ctx := New(t, 90*time.Second)
	for _, tc := range []struct {
		name, url string
		want      []string // in the failure; none: the screenshot is saved
	}{
		{"page", srv.URL + "/ok", nil},
		{"opsdesk error page", srv.URL + "/missing", []string{srv.URL + "/missing", "error page (404)", "This page does not exist."}},
		{"marked page answered 200", srv.URL + "/marked", []string{srv.URL + "/marked", "error page (403)", "You may not see this."}},
		{"HTTP error", srv.URL + "/plain", []string{srv.URL + "/plain", "HTTP status 500", "database is locked"}},
		{"empty page", srv.URL + "/empty", []string{srv.URL + "/empty", "empty"}},
		{"browser error", gone, []string{gone, "the browser could not show it", "ERR_CONNECTION_REFUSED"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// A refused connection fails the navigation itself; the browser then shows its
			// error page, which is what the screenshot must refuse.
			if err := chromedp.Do(ctx, chromedp.Navigate(tc.url)); err != nil && tc.url != gone {
				t.Fatal(err)
			}
			dir := t.TempDir()
			msg := Fails(t, func(tb testing.TB) { save(tb, ctx, dir, "shot", "") })
			png, readErr := os.ReadFile(filepath.Join(dir, "shot.png"))
			if tc.want == nil {
				if msg != "" || readErr != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
					t.Fatalf("screenshot of a good page: failure %q, file %d bytes, %v", msg, len(png), readErr)
				}
				return
			}
			if msg == "" {
				t.Fatalf("the screenshot of %s did not fail the test", tc.url)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("failure %q does not say %q", msg, w)
				}
			}
			if readErr == nil {
				t.Errorf("an error page was saved as a screenshot")
			}
		})
	}
}

// TestScreenshotTo cuts a long page below the element named, and fails the test when the page
// has no such element.
func TestScreenshotTo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>long</title><body style="margin:0"><h1 id=top style="margin:0;height:100px">Plan</h1>
<div style="height:3000px">the rest</div>`)
	}))
	defer srv.Close()
	ctx := New(t, 60*time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	height := func(name, until string) int {
		t.Helper()
		if msg := Fails(t, func(tb testing.TB) { save(tb, ctx, dir, name, until) }); msg != "" {
			t.Fatalf("screenshot down to %q: %s", until, msg)
		}
		f, err := os.Open(filepath.Join(dir, name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cfg, err := png.DecodeConfig(f)
		if err != nil {
			t.Fatal(err)
		}
		return cfg.Height
	}
	if h := height("full", ""); h < 3100 {
		t.Errorf("full page: %d px high, want the whole 3100 px", h)
	}
	if h := height("top", "#top"); h != 100+16 {
		t.Errorf("down to #top: %d px high, want 116 (the heading and the margin)", h)
	}
	if msg := Fails(t, func(tb testing.TB) { save(tb, ctx, dir, "none", "#missing") }); !strings.Contains(msg, "#missing") {
		t.Errorf("screenshot down to a missing element: failure %q", msg)
	}
}
