package main

// This file holds what keeps text the server sent from acting on a
// terminal: which characters are unsafe, how each output makes them
// harmless (a table drops them, JSON escapes them, raw text drops them),
// and whether standard input is a terminal that can be asked a question.

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/term"
)

// unsafeRune reports whether r may act on a terminal instead of showing:
// C0 controls but tab and new line (ESC starts escape sequences), DEL, C1
// controls (U+009B is a one-byte CSI), and the bidirectional formatting
// characters, which reorder what is shown (U+202E makes "exe.txt" show as
// "txt.exe").
func unsafeRune(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c || r == 0x200e || r == 0x200f: // ALM, LRM, RLM
		return true
	case r >= 0x202a && r <= 0x202e: // LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	}
	return false
}

// escapeUnsafe returns the JSON text b with every unsafe character written
// as a \u escape: still the same JSON value, but inert on a terminal. In
// JSON text such a character can only be inside a string (tab and new
// line, the white space between tokens, are safe), where a \u escape
// means the character itself; so too in a double-quoted YAML string. b is
// returned as it is when it holds none.
func escapeUnsafe(b []byte) []byte {
	i := indexUnsafe(b)
	if i < 0 {
		return b
	}
	out := make([]byte, 0, len(b)+32)
	out = append(out, b[:i]...)
	for len(b[i:]) > 0 {
		r, size := utf8.DecodeRune(b[i:])
		if unsafeRune(r) {
			out = fmt.Appendf(out, `\u%04x`, r)
		} else {
			out = append(out, b[i:i+size]...)
		}
		i += size
	}
	return out
}

// indexUnsafe returns the index of the first unsafe character of b, or -1.
func indexUnsafe(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// rawText returns s without its unsafe characters, for text printed as it
// is (a template's output, a string --jq yields): new lines and tabs stay,
// as the text may be meant to hold them.
func rawText(s string) string {
	return strings.Map(func(r rune) rune {
		if unsafeRune(r) {
			return -1
		}
		return r
	}, s)
}

// cleanCell makes what the server sent safe for a cell: white space
// (tabs, new lines) becomes a space, so that it cannot break the table,
// and other control and format characters (such as bidirectional
// overrides) are dropped, so that they cannot reach the terminal.
func cleanCell(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}

// isTerminal reports whether r is a terminal: a person may be there to
// answer. Only a file can be one.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd())) //nolint:gosec // a file descriptor fits in an int
}

// mustConfirm reports whether a destructive command asks before it acts:
// only a person at a terminal is asked, and --yes answers for them. A
// script, whose standard input is no terminal, is never asked: it would
// hang, or read its answer from data meant for something else.
func mustConfirm(yes, stdinIsTerminal bool) bool {
	return stdinIsTerminal && !yes
}

// confirm writes question on w and reads one line of in: true for y or yes
// (any case), false for anything else, an empty line or the end of input.
// It gives up when ctx is done: Ctrl-C must stop a command that asks.
func confirm(ctx context.Context, in io.Reader, w io.Writer, question string) (bool, error) {
	fmt.Fprint(w, question+" [y/N] ")
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(in).ReadString('\n')
		answer <- line
	}()
	select {
	case <-ctx.Done():
		fmt.Fprintln(w)
		return false, ctx.Err()
	case line := <-answer:
		if !strings.HasSuffix(line, "\n") {
			fmt.Fprintln(w) // the end of input: the answer's line was not ended
		}
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return true, nil
		}
		return false, nil
	}
}
