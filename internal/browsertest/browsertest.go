// Package browsertest drives Debian's headless Chromium (/usr/bin/chromium) through the DevTools
// protocol for end-to-end tests of the web UI, and saves screenshots for the documentation.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is where Debian's chromium package installs the browser.
const ChromiumPath = "/usr/bin/chromium"

// Path returns the browser to use: $OPSDESK_CHROMIUM, /usr/bin/chromium, or chromium on PATH.
// It fails the test when there is none: .ci/run installs it, and a skipped browser test would
// hide a missing check.
func Path(tb testing.TB) string {
	tb.Helper()
	if p := os.Getenv("OPSDESK_CHROMIUM"); p != "" {
		return p
	}
	if _, err := os.Stat(ChromiumPath); err == nil {
		return ChromiumPath
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	tb.Fatalf("no Chromium: install Debian's chromium package (apt-get install chromium), as .ci/run does")
	return ""
}

// New starts a headless Chromium for the test and returns a browser context (one tab) that is
// closed when the test ends. Every action gets at most timeout.
func New(tb testing.TB, timeout time.Duration) context.Context {
	tb.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path(tb)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	tctx, cancelT := context.WithTimeout(ctx, timeout)
	tb.Cleanup(func() { cancelT(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(tctx); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	return tctx
}

// Screenshot saves a full-page PNG of the current page to docs/screenshots/name.png in the
// repository, so the README's pictures are taken by the tests and stay current. It refuses to
// photograph an error: opsdesk's error page, a document answered with an HTTP error status, the
// browser's own error page or an empty page fail the test, naming the address and the error.
func Screenshot(tb testing.TB, ctx context.Context, name string) {
	tb.Helper()
	save(tb, ctx, filepath.Join(repoRoot(tb), "docs", "screenshots"), name, "")
}

// ScreenshotTo is Screenshot of the page's top part only, down to the bottom of the first
// element matching the CSS selector until: for a long page whose end a reader does not need.
func ScreenshotTo(tb testing.TB, ctx context.Context, name, until string) {
	tb.Helper()
	save(tb, ctx, filepath.Join(repoRoot(tb), "docs", "screenshots"), name, until)
}

// save checks the page and writes its screenshot to dir/name.png: the full page, or down to
// the element until when it is not "".
func save(tb testing.TB, ctx context.Context, dir, name, until string) {
	tb.Helper()
	problem, address, err := pageProblem(ctx)
	if err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
		return
	}
	if problem != "" {
		tb.Fatalf("screenshot %s of %s: %s", name, address, problem)
		return
	}
	png, err := capture(ctx, until)
	if err != nil {
		tb.Fatalf("screenshot %s of %s: %v", name, address, err)
		return
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
}

// capture takes a PNG of the whole page, or of its top down to the element until.
func capture(ctx context.Context, until string) ([]byte, error) {
	if until == "" {
		return chromedp.Run(ctx, chromedp.FullScreenshot(100))
	}
	js := fmt.Sprintf(`(() => {
	const e = document.querySelector(%q);
	return e ? [document.documentElement.scrollWidth, e.getBoundingClientRect().bottom + window.scrollY] : [0, 0];
})()`, until)
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[2]float64](js))
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", until, err)
	}
	if box[1] <= 0 {
		return nil, fmt.Errorf("no element %s to end the screenshot at", until)
	}
	const margin = 16 // px below the element
	r, err := chromedp.Call(ctx, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format: page.CaptureScreenshotFormatPng, CaptureBeyondViewport: new(true), FromSurface: new(true),
		Clip: &page.Viewport{Width: box[0], Height: box[1] + margin, Scale: 1},
	})
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}

func repoRoot(tb testing.TB) string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("repository root not found")
		}
		dir = parent
	}
}
