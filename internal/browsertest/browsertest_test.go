package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
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
