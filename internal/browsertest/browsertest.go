// Package browsertest drives Debian's headless Chromium (/usr/bin/chromium) through the DevTools
// protocol for end-to-end tests of the web UI, and saves screenshots for the documentation.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

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
// repository, so the README's pictures are taken by the tests and stay current.
func Screenshot(tb testing.TB, ctx context.Context, name string) {
	tb.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	dir := filepath.Join(repoRoot(tb), "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		tb.Fatal(err)
	}
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
