package docs

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/opsdesk/opsdesk/internal/config"
)

// notSettings are OPSDESK_ variables that are not settings of config: the API client of
// `opsdesk env` and `opsdesk deploy`, and the test suite's PostgreSQL server.
var notSettings = map[string]bool{"OPSDESK_API_URL": true, "OPSDESK_API_TOKEN": true, "OPSDESK_TEST_POSTGRES_URL": true}

// TestOperationsSettingsExist checks that every OPSDESK_ variable named in docs/operations.md
// and in the files under deploy/ (unit, environment file, proxy configurations) is a setting
// opsdesk reads, as `opsdesk serve --help` lists them — or, in the admin script, its own.
func TestOperationsSettingsExist(t *testing.T) {
	var help strings.Builder
	config.Help(&help)
	var (
		re       = regexp.MustCompile(`\bOPSDESK_[A-Z0-9_]*[A-Z0-9]\b`)
		settings = map[string]bool{}
	)
	for _, v := range re.FindAllString(help.String(), -1) {
		settings[v] = true
	}
	if len(settings) < 20 {
		t.Fatalf("config.Help lists %d variables: the test no longer reads it", len(settings))
	}
	files := []string{"operations.md"}
	err := filepath.WalkDir("../deploy", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		own := map[string]bool{}
		if filepath.Base(f) == "opsdesk-admin" { // the script's own overrides, documented in it
			own = map[string]bool{"OPSDESK_ENV_FILE": true, "OPSDESK_BIN": true}
		}
		for _, v := range re.FindAllString(string(b), -1) {
			checked++
			if !settings[v] && !notSettings[v] && !own[v] {
				t.Errorf("%s names %s, which is not an opsdesk setting", f, v)
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d variables found in the operations docs", checked)
	}
}

// TestEnvExampleResolves reads deploy/systemd/opsdesk.env.example as systemd would and resolves
// opsdesk's configuration from it — as shipped, and with every commented-out setting turned on —
// so that the example never holds a value opsdesk refuses at start.
func TestEnvExampleResolves(t *testing.T) {
	b, err := os.ReadFile("../deploy/systemd/opsdesk.env.example")
	if err != nil {
		t.Fatal(err)
	}
	setting := regexp.MustCompile(`^#?(OPSDESK_[A-Z0-9_]+)=(.*)$`)
	shipped, all := map[string]string{}, map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		m := setting.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		all[m[1]] = m[2]
		if !strings.HasPrefix(line, "#") {
			shipped[m[1]] = m[2]
		}
	}
	if len(shipped) < 5 || len(all) <= len(shipped) {
		t.Fatalf("read %d settings, %d with the commented ones: the example's format changed", len(shipped), len(all))
	}
	for name, vars := range map[string]map[string]string{"shipped": shipped, "all": all} {
		t.Run(name, func(t *testing.T) {
			fs := flag.NewFlagSet("serve", flag.ContinueOnError)
			bind := config.Bind(fs, func(k string) string { return vars[k] })
			if err := fs.Parse(nil); err != nil {
				t.Fatal(err)
			}
			cfg, err := bind.Resolve()
			if err != nil {
				t.Fatalf("opsdesk would refuse to start: %v", err)
			}
			if cfg.BaseURL != vars["OPSDESK_BASE_URL"] || !cfg.TrustProxy {
				t.Errorf("base URL %q, trust proxy %v: not the example's", cfg.BaseURL, cfg.TrustProxy)
			}
		})
	}
}
