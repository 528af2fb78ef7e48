//go:build !race

package main

// raceEnabled says that the tests run with the race detector, and so
// build the command with it.
const raceEnabled = false
