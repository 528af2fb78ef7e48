package jsonscan

// This file holds how a member given twice in an object is found: as
// encoding/json tells member names apart, so that no name it would read
// into one field can be given twice (where it keeps the last value).

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"sync"
	"unicode"
	"unicode/utf8"
)

// linearNames is how many names of one object are compared one by one;
// an object with more is given a map, so that a hostile one with a
// hundred thousand members costs no more than its length.
const linearNames = 64

// maxDepth is the nesting that DuplicateName follows: encoding/json
// refuses deeper text (its own bound is 10000).
const maxDepth = 10000

// names is a set of the folded member names of objects, kept one after
// another in one buffer: each object open at a time holds the names from
// its first on.
type names struct {
	folded []byte    // folded names, one after another
	ends   []nameEnd // of each name
}

// nameEnd is where a name ends in names.folded, and its print.
type nameEnd struct {
	end   int
	print uint64
}

// foldedAt returns name i.
func (n *names) foldedAt(i int) []byte {
	start := 0
	if i > 0 {
		start = n.ends[i-1].end
	}
	return n.folded[start:n.ends[i].end]
}

// namePrint returns a print of a folded name: its length, first eight
// bytes and last eight, in one word. Names with different prints differ;
// names with the same print are then compared byte by byte. A speed
// trick, kept for issue 18's floor (see BENCHMARKS.md): comparing the
// prints of an object's names rather than the names themselves took the
// duplicate check of a gateway's 14 names from some 390 ns to some 150
// (BenchmarkItems).
func namePrint(name []byte) uint64 {
	var head, tail uint64
	if len(name) >= 8 {
		head = binary.LittleEndian.Uint64(name)
		tail = binary.LittleEndian.Uint64(name[len(name)-8:])
	} else {
		for i, c := range name {
			head |= uint64(c) << (8 * i)
		}
	}
	return head ^ bits.RotateLeft64(tail, 29) ^ uint64(len(name))<<58
}

// add appends the member name key (a JSON string, quotes included) of an
// object whose names are from first on, and reports whether the object
// gave it before; big is that object's map, made when it grows past
// linearNames.
func (n *names) add(key []byte, first int, big *map[string]struct{}) bool {
	start := len(n.folded)
	n.folded = appendFolded(n.folded, key)
	name := n.folded[start:]
	if *big != nil {
		if _, ok := (*big)[string(name)]; ok {
			return true
		}
		(*big)[string(name)] = struct{}{}
		n.ends = append(n.ends, nameEnd{end: len(n.folded)})
		return false
	}
	p := namePrint(name)
	for i := first; i < len(n.ends); i++ {
		if n.ends[i].print == p && bytes.Equal(n.foldedAt(i), name) {
			n.folded = n.folded[:start]
			return true
		}
	}
	n.ends = append(n.ends, nameEnd{end: len(n.folded), print: p})
	if len(n.ends)-first > linearNames {
		*big = make(map[string]struct{}, 2*linearNames)
		for i := first; i < len(n.ends); i++ {
			(*big)[string(n.foldedAt(i))] = struct{}{}
		}
	}
	return false
}

// drop forgets the names of an object that closed, from first on.
func (n *names) drop(first int) {
	if first == 0 {
		n.folded, n.ends = n.folded[:0], n.ends[:0]
		return
	}
	n.folded, n.ends = n.folded[:n.ends[first-1].end], n.ends[:first]
}

// appendFolded appends the name a JSON string key (quotes included)
// stands for, folded as encoding/json folds names: two names fold alike
// exactly when encoding/json may read both into one field (ASCII letters
// in either case, and the Unicode letters that simple case folding makes
// one, such as "K" and the Kelvin sign). An escape is decoded first, as
// encoding/json decodes it; invalid UTF-8 stands for U+FFFD, as it does
// there.
func appendFolded(out, key []byte) []byte {
	raw := key
	if len(raw) >= 2 {
		raw = raw[1 : len(raw)-1]
	}
	// Most names are ASCII without escapes: copied at once, then folded
	// in place.
	start := len(out)
	out = append(out, raw...)
	for i := start; i < len(out); i++ {
		switch c := out[i]; {
		case c >= utf8.RuneSelf || c == '\\':
			return appendFoldedText(out[:start], key, raw)
		case 'a' <= c && c <= 'z':
			out[i] = c - ('a' - 'A')
		}
	}
	return out
}

// appendFoldedText is appendFolded for a name with escapes or beyond
// ASCII; raw is key without its quotes.
func appendFoldedText(out, key, raw []byte) []byte {
	if bytes.IndexByte(raw, '\\') >= 0 {
		var s string
		if json.Unmarshal(key, &s) == nil {
			raw = []byte(s)
		}
	}
	for i := 0; i < len(raw); {
		if c := raw[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(raw[i:])
		out = utf8.AppendRune(out, foldRune(r))
		i += size
	}
	return out
}

// foldRune returns the smallest rune of r's simple case folding orbit.
func foldRune(r rune) rune {
	for {
		next := unicode.SimpleFold(r)
		if next <= r {
			return next
		}
		r = next
	}
}

// frame is an object or array open at some point of the text.
type frame struct {
	object  bool
	first   int                 // the object's first name in names
	big     map[string]struct{} // its names, once there are many
	wantKey bool                // the next string is a member name
}

// memberCheck follows the objects and arrays of JSON text as it is read,
// event by event (a bracket, a comma, a colon, a string), and finds the
// first member name that an object gives twice. It is the one state
// machine of DuplicateName and of Scanner.CheckedValue, which feeds it
// while it looks for the end of a value, in the same pass. It checks no
// syntax: text that is not JSON gives whatever it gives.
type memberCheck struct {
	n     names
	stack []frame
	dup   string // the first name given twice
	found bool   // dup is set
	off   bool   // nothing more to check: a name was found twice, or the text nests too deep
}

// reset makes c ready for a new text.
func (c *memberCheck) reset() {
	clear(c.stack) // the maps of large objects
	c.n.folded, c.n.ends, c.stack = c.n.folded[:0], c.n.ends[:0], c.stack[:0]
	c.dup, c.found, c.off = "", false, false
}

// open follows a '{' (object true) or a '['.
func (c *memberCheck) open(object bool) {
	if c.off {
		return
	}
	if len(c.stack) == maxDepth {
		c.off = true // for encoding/json to refuse
		return
	}
	c.stack = append(c.stack, frame{object: object, first: len(c.n.ends), wantKey: object})
}

// close follows a '}' or a ']'.
func (c *memberCheck) close() {
	if c.off || len(c.stack) == 0 {
		return
	}
	if top := c.stack[len(c.stack)-1]; top.object {
		c.n.drop(top.first)
	}
	c.stack = c.stack[:len(c.stack)-1]
}

// comma follows a ','.
func (c *memberCheck) comma() {
	if len(c.stack) > 0 && c.stack[len(c.stack)-1].object {
		c.stack[len(c.stack)-1].wantKey = true
	}
}

// colon follows a ':'.
func (c *memberCheck) colon() {
	if len(c.stack) > 0 {
		c.stack[len(c.stack)-1].wantKey = false
	}
}

// isName is called at a string's opening quote, and reports whether the
// string is a member name, to be given to name once it is read whole.
func (c *memberCheck) isName() bool {
	if c.off || len(c.stack) == 0 || !c.stack[len(c.stack)-1].wantKey {
		return false
	}
	c.stack[len(c.stack)-1].wantKey = false
	return true
}

// name adds the member name key (a JSON string, quotes included) to the
// object it belongs to, and notes it when the object gave it before.
func (c *memberCheck) name(key []byte) {
	top := &c.stack[len(c.stack)-1]
	if !c.n.add(key, top.first, &top.big) {
		return
	}
	var name string
	if json.Unmarshal(key, &name) != nil {
		name = string(key[1 : len(key)-1])
	}
	c.dup, c.found, c.off = name, true, true
}

// DuplicateName returns the first member name that an object of the JSON
// text b gives twice, as encoding/json matches names (see appendFolded),
// and true; or "" and false when none does. It reads b in one pass and
// checks no syntax: text that is not JSON gives whatever it gives, for
// encoding/json to refuse. An object of many members costs a map; any
// other costs nothing beyond what the first call's buffers hold.
func DuplicateName(b []byte) (string, bool) {
	c := checkPool.Get().(*memberCheck)
	defer releaseCheck(c)
	c.reset()
	for i := 0; i < len(b) && !c.off; {
		switch b[i] {
		case '{', '[':
			c.open(b[i] == '{')
		case '}', ']':
			c.close()
		case ',':
			c.comma()
		case ':':
			c.colon()
		case '"':
			var st stringState
			end, closed := st.scan(b, i+1)
			if !closed {
				return "", false // cut short: for encoding/json to refuse
			}
			if c.isName() {
				c.name(b[i:end])
			}
			i = end
			continue
		}
		i++ // and white space, and the bytes of numbers and literals
	}
	return c.dup, c.found
}

// newCheck returns an empty memberCheck with room for the names of a
// resource's answer.
func newCheck() *memberCheck {
	return &memberCheck{n: names{folded: make([]byte, 0, 512), ends: make([]nameEnd, 0, 64)}, stack: make([]frame, 0, 16)}
}

// checkPool keeps DuplicateName's memberChecks, so that a call costs no
// allocation. A speed trick, kept because it pays (issue 18's rule: at
// least 3% of a call's time or 10 allocations): a memberCheck made afresh
// costs 12 allocations for a gateway's answer, which the SDK checks on
// every Get. BenchmarkContenders (interleaved, five runs each) measured,
// without the pool, Get at 1.12 to 1.14 times plain resty's time rather
// than 1.10 to 1.14 with 12 allocations more. (A list's items are checked
// by the Scanner's own memberCheck, pooled with the Scanner.)
var checkPool = sync.Pool{New: func() any { return newCheck() }}

// large reports whether c grew too large to be kept for another text.
func (c *memberCheck) large() bool {
	return cap(c.n.folded) > 64<<10 || cap(c.n.ends) > 8<<10 || cap(c.stack) > 1<<10
}

// releaseCheck returns c to checkPool, unless it grew large.
func releaseCheck(c *memberCheck) {
	if c.large() {
		return
	}
	c.reset()
	checkPool.Put(c)
}

// Names is the set of member names of one object read a member at a time,
// told apart as DuplicateName tells them. The zero value is empty.
type Names struct {
	n   names
	big map[string]struct{}
}

// Add adds the name key (a JSON string, quotes included) and reports
// whether the object gave it before.
func (s *Names) Add(key []byte) bool { return s.n.add(key, 0, &s.big) }
