//go:build race

package scpvpn_test

// raceDetector says whether the tests run under the race detector, where
// sync.Pool drops items at random and allocation counts vary run to run.
const raceDetector = true
