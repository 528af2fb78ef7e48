package jsonscan

// This file holds how a member given twice in an object is found: as
// encoding/json tells member names apart, so that no name it would read
// into one field can be given twice (where it keeps the last value).

import (
	"bytes"
	"encoding/json"
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
	folded []byte // folded names, one after another
	ends   []int  // where each name ends in folded
}

// foldedAt returns name i.
func (n *names) foldedAt(i int) []byte {
	start := 0
	if i > 0 {
		start = n.ends[i-1]
	}
	return n.folded[start:n.ends[i]]
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
		n.ends = append(n.ends, len(n.folded))
		return false
	}
	for i := first; i < len(n.ends); i++ {
		if bytes.Equal(n.foldedAt(i), name) {
			n.folded = n.folded[:start]
			return true
		}
	}
	n.ends = append(n.ends, len(n.folded))
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
	n.folded, n.ends = n.folded[:n.ends[first-1]], n.ends[:first]
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

// DuplicateName returns the first member name that an object of the JSON
// text b gives twice, as encoding/json matches names (see appendFolded),
// and true; or "" and false when none does. It reads b in one pass and
// checks no syntax: text that is not JSON gives whatever it gives, for
// encoding/json to refuse.
func DuplicateName(b []byte) (string, bool) {
	var st dupState
	return st.scan(b)
}

// dupState is what DuplicateName works with. It is made afresh for every
// call: an answer reaches DuplicateName only when the one-pass check of
// Scanner.CheckedValue cannot tell by itself (a member name with an escape
// or beyond ASCII, two names alike in their print, an object of more than
// linearNames members), which the API's answers never need.
type dupState struct {
	n     names
	stack []frame
}

func (st *dupState) scan(b []byte) (string, bool) {
	n := &st.n
	n.folded, n.ends = n.folded[:0], n.ends[:0]
	stack := st.stack[:0]
	for i := 0; i < len(b); {
		switch c := b[i]; c {
		case '{', '[':
			if len(stack) == maxDepth {
				return "", false
			}
			stack = append(stack, frame{object: c == '{', first: len(n.ends), wantKey: c == '{'})
			i++
		case '}', ']':
			if len(stack) > 0 {
				if top := stack[len(stack)-1]; top.object {
					n.drop(top.first)
				}
				stack = stack[:len(stack)-1]
			}
			i++
		case ',':
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].wantKey = true
			}
			i++
		case ':':
			if len(stack) > 0 {
				stack[len(stack)-1].wantKey = false
			}
			i++
		case '"':
			var st stringState
			end, closed := st.scan(b, i+1)
			if !closed {
				return "", false
			}
			if len(stack) > 0 && stack[len(stack)-1].wantKey {
				top := &stack[len(stack)-1]
				top.wantKey = false
				if n.add(b[i:end], top.first, &top.big) {
					var name string
					if json.Unmarshal(b[i:end], &name) != nil {
						name = string(b[i+1 : end-1])
					}
					return name, true
				}
			}
			i = end
		default:
			i++ // white space, and the bytes of numbers and literals
		}
	}
	return "", false
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
