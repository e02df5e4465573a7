package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/opsdesk/opsdesk/internal/browsertest"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
	"github.com/opsdesk/opsdesk/internal/store/storetest"
)

// TestBrowserRequestLifecycle drives two real browsers, a customer's and an agent's, through a
// request's life: filed through the form, taken from the queue with the keyboard, answered,
// updated live on both sides, resolved and confirmed.
func TestBrowserRequestLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		if err := db.SeedDefaults(context.Background()); err != nil {
			t.Fatal(err)
		}
		f := newFixture(t, db)
		ws := startSite(t, db)
		customer, agent := newBrowser(t, ws), newBrowser(t, ws)

		// The customer files a request through the form, with a file.
		customer.login(f.alice.Email)
		customer.open("/requests/new")
		shot := filepath.Join(t.TempDir(), "error-screen.txt")
		if err := os.WriteFile(shot, []byte("Error 502 at checkout"), 0o644); err != nil {
			t.Fatal(err)
		}
		customer.do(
			chromedp.Click(chromedp.ID("request-severity-major")),
			chromedp.SetValue(chromedp.ID("request-environment"), itoa(f.acmeEnv.ID)),
			chromedp.SetValue(chromedp.ID("request-category"), "application"),
			chromedp.SendKeys(chromedp.ID("request-subject"), "Checkout fails for card payments"),
			chromedp.SendKeys(chromedp.ID("request-description"), "Since this morning every card payment ends with error 502."),
			chromedp.SetUploadFiles(chromedp.ID("request-attachments"), []string{shot}),
		)
		customer.load(chromedp.Click(chromedp.ID("request-submit")))
		customer.wantText("main", "Your request is filed", "Checkout fails for card payments", "Major anomaly", "acme-prod",
			"every card payment ends with error 502", "error-screen.txt")
		loc := customer.eval(`location.pathname`)
		key := strings.TrimPrefix(loc, "/requests/")
		if !strings.HasPrefix(key, "OPS-") {
			t.Fatalf("filed request at %s", loc)
		}
		customer.waitLive()

		// The agent opens the queue, moves to the request with j and opens it with Enter.
		agent.login(f.agent.Email)
		agent.open("/tickets?queue=unassigned")
		agent.wantText("queue", key, "Checkout fails for card payments", "ACME")
		agent.do(chromedp.KeyEvent("?"))
		if got := agent.eval(`String(document.getElementById("keys-help").open)`); got != "true" {
			t.Errorf("? does not show the shortcuts")
		}
		agent.wantText("#keys-help", "Keyboard shortcuts", "Next / previous ticket")
		agent.do(chromedp.KeyEvent(kb.Escape))
		if got := agent.eval(`String(document.getElementById("keys-help").open)`); got != "false" {
			t.Errorf("Esc does not close the shortcuts")
		}
		agent.do(chromedp.KeyEvent("j"))
		if got := agent.eval(`document.activeElement.dataset.key || ""`); got != key {
			t.Fatalf("j focused %q", got)
		}
		agent.load(chromedp.KeyEvent("\r"))
		agent.wantText("h1", key, "Checkout fails for card payments")

		// Takes it, then replies: r goes to the reply box.
		agent.load(chromedp.Click(chromedp.ID("take-button")))
		agent.wantText("main", "You have taken the ticket.")
		agent.wantText("#ticket-assignee", "Nina One")
		agent.do(chromedp.KeyEvent("r"))
		if got := agent.eval(`document.activeElement.id + "|" + document.activeElement.value`); got != "reply-body|" {
			t.Fatalf("after r, the focus is on %q", got)
		}
		agent.do(chromedp.KeyEvent("Hello Alice, we are looking into it."))
		agent.load(chromedp.Click(chromedp.ID("reply-send")))
		agent.wantText("#timeline", "Hello Alice, we are looking into it.")

		// Live: the customer's open page shows the answer; a reply of the customer reaches the
		// agent's page without navigation, and the draft being typed there is kept.
		customer.waitText("#timeline", "Hello Alice, we are looking into it.")
		agent.waitLive()
		agent.do(chromedp.KeyEvent("r"), chromedp.KeyEvent("draft in progress"))
		if _, err := db.AddMessage(as(f.alice), key, "Thanks! It only fails with Firefox.", false, nil); err != nil {
			t.Fatal(err)
		}
		agent.waitText("#timeline", "Thanks! It only fails with Firefox.")
		if got := agent.eval(`location.pathname + "|" + document.getElementById("reply-body").value`); got != "/tickets/"+key+"|draft in progress" {
			t.Errorf("after the live update: %q", got)
		}
		agent.waitText("#live-notice", "Updated")
		browsertest.Screenshot(t, agent.ctx, "agent-workspace")

		// The agent resolves; the customer sees it live, and confirms.
		agent.do(chromedp.SetValue(chromedp.ID("status-status"), "resolved"))
		agent.do(chromedp.SetValue(chromedp.ID("status-resolution"), "Fixed the Firefox export."))
		agent.do(chromedp.SetValue(chromedp.ID("status-cause"), "defect"))
		agent.load(chromedp.Click(chromedp.CSS(`#status button[type="submit"]`)))
		agent.wantText("#ticket-status", "Resolved")
		customer.waitText("#resolution", "Confirm it is solved")
		customer.wantText("#ticket-status", "Resolved")
		customer.open("/requests/" + key)
		customer.wantText("#timeline", "Hello Alice, we are looking into it.", "Thanks! It only fails with Firefox.", "Resolved")
		browsertest.Screenshot(t, customer.ctx, "portal-request")
		customer.load(chromedp.Click(chromedp.ID("confirm-button")))
		customer.wantText("main", "Thank you: the request is closed.")
		customer.wantText("#ticket-status", "Closed")
		if tk, err := db.TicketByKey(as(f.admin), key); err != nil || tk.Status != opsdesk.StatusClosed {
			t.Errorf("the ticket is %+v, %v", tk, err)
		}
		customer.noScriptErrors()
		agent.noScriptErrors()
	})
}

// browser is a headless Chromium on the test site, failing the test at the first error.
type browser struct {
	t      *testing.T
	ctx    context.Context
	base   string
	mu     sync.Mutex
	errors []string // uncaught script exceptions
}

func newBrowser(t *testing.T, ws *site) *browser {
	t.Helper()
	b := &browser{t: t, ctx: browsertest.New(t, 3*time.Minute), base: ws.srv.URL}
	exceptions := chromedp.Events(b.ctx, runtime.ExceptionThrown)
	go func() {
		for ev, err := range exceptions {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.errors = append(b.errors, ev.ExceptionDetails.Text+" "+fmt.Sprint(ev.ExceptionDetails.Exception))
			b.mu.Unlock()
		}
	}()
	return b
}

func (b *browser) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		b.t.Fatal(err)
	}
}

// load runs an action that leads to a new page and checks that the page is not an error.
func (b *browser) load(action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	resp, err := chromedp.RunResponse(b.ctx, action)
	if err != nil {
		b.t.Fatal(err)
	}
	if resp.Status >= 400 || b.eval(`document.querySelector(".error-page") ? "error" : ""`) != "" {
		b.t.Fatalf("%s: status %d, page says %q", resp.URL, resp.Status, b.eval(`document.querySelector("main").innerText`))
	}
}

func (b *browser) open(path string) {
	b.t.Helper()
	b.load(func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.NavigateResponse(b.base+path)(ctx, t)
		return chromedp.Void{}, err
	})
}

func (b *browser) login(email string) {
	b.t.Helper()
	b.open("/login")
	b.do(chromedp.SendKeys(chromedp.ID("login-email"), email), chromedp.SendKeys(chromedp.ID("login-password"), password))
	b.load(chromedp.Click(chromedp.CSS(`form[action="/login"] button[type="submit"]`)))
	if got := b.eval(`location.pathname`); got != "/" {
		b.t.Fatalf("after logging in as %s: %s", email, got)
	}
}

// eval evaluates a JavaScript expression whose value is a string.
func (b *browser) eval(js string) string {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// text is the visible text of the element (a CSS selector, or an id without its #).
func (b *browser) text(sel string) string {
	b.t.Helper()
	if !strings.ContainsAny(sel, "#.[ ") && sel != "main" && sel != "h1" {
		sel = "#" + sel
	}
	return b.eval(fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText`, sel))
}

func (b *browser) wantText(sel string, want ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.t.Fatalf("%s = %q, want it to contain %q", sel, got, w)
		}
	}
}

// waitText waits for the element to show the text, without any navigation.
func (b *browser) waitText(sel, want string) {
	b.t.Helper()
	js := fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText.includes(%q)`, sel, want)
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(100*time.Millisecond))); err != nil {
		b.t.Fatalf("%s never showed %q (it shows %q): %v", sel, want, b.text(sel), err)
	}
}

// waitLive waits until the page's live-update stream is open.
func (b *browser) waitLive() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	js := `document.querySelector("[data-live]").dataset.liveState === "open"`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		b.t.Fatalf("the live stream does not open: %v", err)
	}
}

func (b *browser) noScriptErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("script error: %s", e)
	}
}
