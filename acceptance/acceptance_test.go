package acceptance

// This file holds the suite itself, TestAcceptance, and what it needs to
// stop cleanly: signals, deadlines, and the report of what the OpenAPI
// documents did not describe.

import (
	"context"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/testkit/apischema"
	"github.com/scpsdk/scpvpn/internal/transport"
)

// maxCleanupReserve bounds the time kept for deleting what a run created,
// out of what go test's -timeout leaves.
const maxCleanupReserve = 15 * time.Minute

// TestAcceptance proves the SDK against the account that
// scpvpn.NewClientFromEnv finds: see the package documentation.
func TestAcceptance(t *testing.T) {
	if !enabled(envAcceptance) {
		t.Skipf("creates real resources: set %s=1 to run it (see the package documentation)", envAcceptance)
	}
	neverCached(t)
	cfg, err := configFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	checker, err := apischema.New(documents("..")) // only reports: see reportSchema
	if err != nil {
		t.Fatal(err)
	}
	c, err := suiteClient(checker)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.CloseIdleConnections)
	runCtx, cleanupCtx := interruptible(t, signals(t))
	r := newRun(c, cfg, t.Logf)
	t.Logf("run %s: names start with %s, at %s", r.id, cfg.prefix+r.id, c.Endpoint())
	// Cleanups run last first: the summary is written after the clean-up.
	t.Cleanup(func() {
		t.Log("summary of " + r.summary())
		reportSchema(t, checker.Exchanges())
	})
	t.Cleanup(func() {
		if err := r.cleanup(cleanupCtx); err != nil {
			t.Errorf("clean-up: %v (run the sweeper: %s=1 go test -count=1 -v -run TestSweep ./acceptance)", err, envSweep)
		}
	})
	if err := r.lifecycle(runCtx); err != nil {
		t.Fatal(err)
	}
}

// suiteClient is the suite's client: configured as scpvpn.NewClientFromEnv
// configures one (opts last), sending over suiteTransport.
func suiteClient(checker *apischema.Checker, opts ...scpvpn.Option) (*scpvpn.Client, error) {
	return scpvpn.NewClientFromEnv(append([]scpvpn.Option{scpvpn.WithTransport(suiteTransport(checker))}, opts...)...)
}

// suiteTransport is the transport a client of the SDK gets by default,
// with checker recording each exchange without changing it (see
// apischema.Checker.Recorder): what goes on the wire is what a user's
// client sends, the requests as the SDK builds them, never sent again
// below it.
func suiteTransport(checker *apischema.Checker) http.RoundTripper {
	return checker.Recorder(transport.New())
}

// documents are the OpenAPI documents of the versions, under root, the
// repository's top folder.
func documents(root string) map[string]string {
	dir := filepath.Join(root, "testdata", "openapi")
	return map[string]string{
		"vpn 1.0": filepath.Join(dir, "vpn-1.0.yaml"),
		"vpn 1.1": filepath.Join(dir, "vpn-1.1.yaml"),
	}
}

// reportSchema logs each exchange that departs from the document of its
// version. It reports and never fails: the service is the authority, and
// the documents are what this run puts to the test.
func reportSchema(t *testing.T, exchanges []apischema.Exchange) {
	t.Helper()
	n, unjudged := 0, 0
	for _, e := range exchanges {
		if e.NoDocument { // the IAM catalog, say
			continue
		}
		if e.NotJudged != "" {
			unjudged++
			t.Logf("schema: %s not judged: %s", e, e.NotJudged)
			continue
		}
		if findings := append(append([]string(nil), e.RequestErrors...), e.ResponseErrors...); len(findings) > 0 {
			n++
			t.Logf("schema: %s departs from the document:\n    %s", e, strings.Join(findings, "\n    "))
		}
	}
	t.Logf("schema: %d of %d exchanges depart from the OpenAPI documents (%d not judged)", n, len(exchanges), unjudged)
}

// signals delivers SIGINT and SIGTERM to the test, instead of ending the
// process, until it ends.
func signals(t *testing.T) <-chan os.Signal {
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	t.Cleanup(func() { signal.Stop(ch) })
	return ch
}

// interruptible returns the context of a run and the one of its clean-up.
// The first signal on sig ends the run, whose clean-up then deletes what it
// created; a second ends the clean-up too. Within go test's -timeout, the
// run ends early enough to leave its clean-up a reserve (a third of the
// time, at most maxCleanupReserve), which ends just before the timeout.
func interruptible(t *testing.T, sig <-chan os.Signal) (run, cleanup context.Context) {
	runDeadline, cleanupDeadline := time.Time{}, time.Time{}
	if deadline, ok := t.Deadline(); ok {
		reserve := min(maxCleanupReserve, time.Until(deadline)/3)
		runDeadline, cleanupDeadline = deadline.Add(-reserve), deadline.Add(-time.Second)
	}
	run, stopRun := withDeadline(runDeadline)
	cleanup, stopCleanup := withDeadline(cleanupDeadline)
	done := make(chan struct{})
	go func() {
		select {
		case <-sig:
			t.Log("interrupted: deleting what the run created (interrupt again to abandon the clean-up)")
			stopRun()
		case <-done:
			return
		}
		select {
		case <-sig:
			t.Log("interrupted again: abandoning the clean-up; run the sweeper")
			stopCleanup()
		case <-done:
		}
	}()
	// Registered first, so it runs after the clean-up that uses cleanup.
	t.Cleanup(func() {
		close(done)
		stopRun()
		stopCleanup()
	})
	return run, cleanup
}

// withDeadline is a context that ends at deadline, or only when cancelled
// if deadline is zero.
func withDeadline(deadline time.Time) (context.Context, context.CancelFunc) {
	if deadline.IsZero() {
		return context.WithCancel(context.Background())
	}
	return context.WithDeadline(context.Background(), deadline)
}
