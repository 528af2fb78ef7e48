package acceptance

// This file holds how a run of the suite or of the sweeper keeps go test
// from replaying it out of its cache.

import (
	"os"
	"path/filepath"
	"testing"
)

// neverCached keeps go test from caching the result of the test that calls
// it, whatever flags the command line has. The suite and the sweeper act on
// an account: a replay would print the old run's log and PASS, and act on
// nothing (a second sweep would delete nothing; a second proof would prove
// nothing).
//
// go test replays a passing run whose flags are all cacheable (-v, -run,
// -timeout...) and whose inputs are unchanged: the environment variables
// the test read, the files within the module it opened, and the
// directories it changed into, wherever they are (go help test; the go
// command learns them from the test binary). The network is no input. So
// the test changes into the directory of its own binary, and back at
// once: go test builds the binary in a directory of its own for each run
// and removes it when it ends, so no later run finds that input unchanged.
// -count=1, which the documented commands carry too, is the idiomatic way
// to the same end; this makes forgetting it harmless.
//
// It must be called by a test that is not parallel, before it starts
// anything: the working directory is the whole process's.
func neverCached(t *testing.T) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatalf("keeping go test from caching this run: %v (pass -count=1)", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatalf("keeping go test from caching this run: %v (pass -count=1)", err)
	}
	if err := os.Chdir(filepath.Dir(exe)); err != nil {
		t.Fatalf("keeping go test from caching this run: %v (pass -count=1)", err)
	}
	if err := os.Chdir(wd); err != nil {
		t.Fatalf("back to %s: %v", wd, err)
	}
}
