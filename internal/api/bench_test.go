package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/opsdesk/opsdesk/internal/api"
	"github.com/opsdesk/opsdesk/internal/blob"
	"github.com/opsdesk/opsdesk/internal/config"
	"github.com/opsdesk/opsdesk/internal/opsdesk"
	"github.com/opsdesk/opsdesk/internal/store"
)

// BenchmarkCreateTicketHTTP measures ticket creation through POST /api/v1/tickets over real
// HTTP (loopback) with 8 concurrent clients, on SQLite with the default durability
// (synchronous=NORMAL), each request a complete filing: validation, requester, routing, number,
// ticket, first message, history and the ticket.event job in one transaction.
func BenchmarkCreateTicketHTTP(b *testing.B) {
	for _, sync := range []string{"normal", "full"} {
		b.Run("sync="+sync, func(b *testing.B) { benchCreate(b, sync) })
	}
}

func benchCreate(b *testing.B, syncMode string) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), store.Options{SQLiteSync: syncMode})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	db.SeedDefaults(ctx)
	c := &opsdesk.Customer{Code: "ACME", Name: "Acme", Domains: []string{"acme.example"}}
	if err := db.CreateCustomer(system, c); err != nil {
		b.Fatal(err)
	}
	prod := &opsdesk.Environment{CustomerID: c.ID, Kind: opsdesk.EnvProd, Name: "Production"}
	db.CreateEnvironment(system, prod)
	agent := &opsdesk.User{Email: "n1@vendor.example", Role: opsdesk.RoleAgent, Level: opsdesk.LevelN1}
	db.CreateUser(system, agent, "")
	token, _, _ := db.CreateAPIToken(system, agent.ID, "bench", time.Time{})
	blobs, _ := blob.Open(b.TempDir())
	mux := http.NewServeMux()
	api.New(api.Options{DB: db, Blobs: blobs, Config: config.Config{BaseURL: "http://x", MaxUpload: 1 << 20}}).Routes(mux)
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}

	const clients = 8
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					break
				}
				body, _ := json.Marshal(map[string]string{"customer": "ACME", "requester": fmt.Sprintf("user%d@acme.example", i%40),
					"environment": "prod", "severity": "major", "category": "application",
					"subject": fmt.Sprintf("Invoices export fails (%d)", i), "description": "Since this morning the export of invoices ends with an error 500."})
				req, _ := http.NewRequest("POST", srv.URL+"/api/v1/tickets", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusCreated {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	b.StopTimer()
	if n, _ := db.CountTickets(system, opsdesk.TicketFilter{}); n != b.N {
		b.Fatalf("%d tickets stored, want %d", n, b.N)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
	if len(lat) > 0 {
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
