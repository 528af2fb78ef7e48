package jsonscan

// This file holds what Scanner.CheckedValue adds to Value: the check that
// no object of the value gives a member twice, made in the pass that looks
// for the value's end, on a print of each member name.

import (
	"encoding/binary"
	"fmt"
	"math/bits"
)

// DuplicateError is a value in which an object gives a member twice.
type DuplicateError struct {
	Name string // the member's name, as the second one spells it
}

func (e *DuplicateError) Error() string {
	return fmt.Sprintf("an object gives its member %q twice", e.Name)
}

// CheckedValue is Value, and refuses with a *DuplicateError a value in
// which an object gives a member twice, at any depth, exactly as
// DuplicateName finds it. A value that is too large or cut short gives
// that error first, as Value does.
//
// A speed trick, kept for issue 18's floor (see BENCHMARKS.md): rather
// than Value and then DuplicateName, a second pass that folds and copies
// every member name, the pass that looks for the value's end also takes a
// print of each member name (see namePrint) and compares it with the
// prints of the names before it in its object. Only when two prints are
// alike, or a name is not plain ASCII, or an object has more than
// linearNames members (none of which the API's answers do) is the value
// given to DuplicateName, whose verdict is then the answer. Cutting out
// and checking the 20 items of a list took 15.2 µs in two passes, 7.5 µs
// this way (BenchmarkItems; 5.8 µs unchecked). BenchmarkContenders,
// interleaved, five runs each: a List of 20 gateways took 1.190 times
// plain resty's time in two passes, 1.121 this way (issue 18's floor:
// 1.10), and 1.137 rather than 1.175 with one pass that folds and
// compares every name as DuplicateName does.
func (s *Scanner) CheckedValue() ([]byte, error) {
	return s.value(true)
}

// quickCheck follows the objects and arrays of a value as compound reads
// it, event by event, as DuplicateName follows them, and keeps the prints
// of the member names of the objects open at a time.
type quickCheck struct {
	stack   []quickFrame
	prints  []uint64 // of the names of the open objects, one after another
	suspect bool     // DuplicateName must decide; nothing more to check
}

// quickFrame is an object or array open at some point of the value.
type quickFrame struct {
	object  bool
	wantKey bool // the next string is a member name
	first   int  // the object's first name in prints
}

// reset makes c ready for a new value.
func (c *quickCheck) reset() {
	c.stack, c.prints, c.suspect = c.stack[:0], c.prints[:0], false
}

// open follows a '{' (object true) or a '['.
func (c *quickCheck) open(object bool) {
	if c.suspect {
		return
	}
	if len(c.stack) == maxDepth {
		c.suspect = true // DuplicateName stops here too
		return
	}
	c.stack = append(c.stack, quickFrame{object: object, wantKey: object, first: len(c.prints)})
}

// close follows a '}' or a ']'.
func (c *quickCheck) close() {
	if c.suspect || len(c.stack) == 0 {
		return
	}
	top := c.stack[len(c.stack)-1]
	c.prints = c.prints[:top.first]
	c.stack = c.stack[:len(c.stack)-1]
}

// comma follows a ','.
func (c *quickCheck) comma() {
	if len(c.stack) > 0 && c.stack[len(c.stack)-1].object {
		c.stack[len(c.stack)-1].wantKey = true
	}
}

// colon follows a ':'.
func (c *quickCheck) colon() {
	if len(c.stack) > 0 {
		c.stack[len(c.stack)-1].wantKey = false
	}
}

// isName is called at a string's opening quote, and reports whether the
// string is a member name, to be given to name once it is read whole.
func (c *quickCheck) isName() bool {
	if c.suspect || len(c.stack) == 0 || !c.stack[len(c.stack)-1].wantKey {
		return false
	}
	c.stack[len(c.stack)-1].wantKey = false
	return true
}

// name takes the member name key, a JSON string with its quotes, of the
// innermost open object.
func (c *quickCheck) name(key []byte) {
	p, plain := namePrint(key[1 : len(key)-1])
	first := c.stack[len(c.stack)-1].first
	if !plain || len(c.prints)-first >= linearNames {
		c.suspect = true
		return
	}
	for _, q := range c.prints[first:] {
		if q == p {
			c.suspect = true
			return
		}
	}
	c.prints = append(c.prints, p)
}

// namePrint returns a print of the member name raw (without its quotes)
// when it is plain ASCII, without escapes: its length, and its first and
// last eight bytes with ASCII letters in lower case, in one word. Two
// plain names that encoding/json reads as one (ASCII letters in either
// case) have the same print; names with the same print may differ.
func namePrint(raw []byte) (p uint64, plain bool) {
	for _, c := range raw {
		if c >= 0x80 || c == '\\' {
			return 0, false
		}
	}
	const lower = 0x2020202020202020 // sets the bit that makes 'A' an 'a'; merges other bytes too
	var head, tail uint64
	if len(raw) >= 8 {
		head = binary.LittleEndian.Uint64(raw) | lower
		tail = binary.LittleEndian.Uint64(raw[len(raw)-8:]) | lower
	} else {
		for i, c := range raw {
			head |= uint64(c|0x20) << (8 * i)
		}
	}
	return head ^ bits.RotateLeft64(tail, 29) ^ uint64(len(raw))<<58, true
}
