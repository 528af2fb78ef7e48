//go:build !unix

package scpvpn

// This file holds how a configuration file is opened on systems without
// Unix named pipes in the file system.

import "os"

// openConfigFlags open a file read-only; the check before opening is all
// these systems need.
const openConfigFlags = os.O_RDONLY
