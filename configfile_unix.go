//go:build unix

package scpvpn

// This file holds how a configuration file is opened where named pipes
// exist: without waiting for a writer.

import (
	"os"
	"syscall"
)

// openConfigFlags open a file read-only and without blocking: a named pipe
// put in place after it was checked opens at once (and is then refused),
// rather than waiting for a writer. A regular file reads as it would
// otherwise.
const openConfigFlags = os.O_RDONLY | syscall.O_NONBLOCK
