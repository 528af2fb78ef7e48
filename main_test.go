package scpvpn_test

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the run if a test leaves a goroutine behind: a connection,
// timer or waiter that outlives its call.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
