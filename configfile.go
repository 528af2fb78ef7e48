package scpvpn

// This file holds the reading of config.json and credentials.json: only a
// regular file, bounded, never blocking on what is not one, and never
// quoting what it holds (a secret key).

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// maxConfigFile bounds a configuration file: it holds a few keys.
const (
	maxConfigFile     = 1 << 20
	maxConfigFileText = "1 MiB"
)

// utf8BOM is the byte order mark some Windows editors put at the start of
// a UTF-8 file.
var utf8BOM = []byte("\xef\xbb\xbf")

// readConfigFile decodes a JSON file into v. A missing file leaves v empty;
// an error names the file and never quotes it (it holds a secret key).
func readConfigFile(path string, v any) error {
	b, err := readBounded(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	b = bytes.TrimPrefix(b, utf8BOM)
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syn):
			return fmt.Errorf("scpvpn: %s is not valid JSON (at byte %d)", path, syn.Offset)
		case errors.As(err, &typ) && typ.Field == "":
			return fmt.Errorf("scpvpn: %s must hold a JSON object", path)
		case errors.As(err, &typ):
			return fmt.Errorf("scpvpn: %s: %q must be a string", path, typ.Field)
		}
		return fmt.Errorf("scpvpn: %s could not be read as JSON", path)
	}
	return nil
}

// readBounded returns what the regular file at path holds, at most
// maxConfigFile bytes. What it is is decided before it is opened, since
// opening a named pipe waits for a writer; and again once it is open
// (without waiting, where the system allows: see openConfigFlags), in
// case it was replaced in between. An error that is not fs.ErrNotExist
// says which file was refused and why.
func readBounded(path string) ([]byte, error) {
	// os.Stat follows a symbolic link: one to a regular file is fine.
	fi, err := os.Stat(path) //nolint:gosec // the path is the configuration folder's, chosen by the user
	if errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("scpvpn: reading %s: %w", path, err)
	}
	if err := checkConfigFile(path, fi); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, openConfigFlags, 0) //nolint:gosec // the path is the configuration folder's, chosen by the user
	if err != nil {
		return nil, fmt.Errorf("scpvpn: reading %s: %w", path, err)
	}
	defer func() { _ = f.Close() }()
	if fi, err = f.Stat(); err != nil {
		return nil, fmt.Errorf("scpvpn: reading %s: %w", path, err)
	}
	if err := checkConfigFile(path, fi); err != nil {
		return nil, err
	}
	// A regular file can still grow, or report no size (/proc): the read
	// is bounded whatever the size said.
	b, err := io.ReadAll(io.LimitReader(f, maxConfigFile+1))
	if err != nil {
		return nil, fmt.Errorf("scpvpn: reading %s: %w", path, err)
	}
	if len(b) > maxConfigFile {
		return nil, fmt.Errorf("scpvpn: %s is larger than %s: refused (a configuration file holds a few keys)", path, maxConfigFileText)
	}
	return b, nil
}

// checkConfigFile refuses a file that is not regular or is too large,
// saying what it is.
func checkConfigFile(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		what := "not a regular file"
		switch m := fi.Mode(); {
		case m.IsDir():
			what = "a folder"
		case m&fs.ModeNamedPipe != 0:
			what = "a named pipe"
		case m&fs.ModeSocket != 0:
			what = "a socket"
		case m&fs.ModeDevice != 0:
			what = "a device"
		}
		if lfi, err := os.Lstat(path); err == nil && lfi.Mode()&fs.ModeSymlink != 0 { //nolint:gosec // as in readBounded
			what += " (through a symbolic link)"
		}
		return fmt.Errorf("scpvpn: %s is %s, not a regular file: refused", path, what)
	}
	if fi.Size() > maxConfigFile {
		return fmt.Errorf("scpvpn: %s is larger than %s (%d bytes): refused (a configuration file holds a few keys)", path, maxConfigFileText, fi.Size())
	}
	return nil
}
