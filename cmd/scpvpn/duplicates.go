package main

// This file holds the check that a request file gives each field once:
// encoding/json keeps the last of two values of a field, and matches
// member names to fields in any case, so the other would be dropped
// without a word. (The SDK's own check, internal/jsonscan, is in another
// module.)

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// jsonFrame is an object or array the walk of duplicateMember is in.
type jsonFrame struct {
	path    string            // where it is: "phase1", "phase2.remote_subnets"; "" at the top
	object  bool              // an object, else an array
	seen    map[string]string // of an object: the names of its members so far, by foldName
	member  string            // of an object: the name of the member last read
	value   bool              // of an object: the next token is the value of member, not a name
	element int               // of an array: the index of its next element
}

// child returns the path of the next value in f.
func (f *jsonFrame) child() string {
	switch {
	case !f.object:
		return f.path + "[" + strconv.Itoa(f.element) + "]"
	case f.path == "":
		return f.member
	}
	return f.path + "." + f.member
}

// next moves f past a value.
func (f *jsonFrame) next() {
	f.value = false
	f.element++
}

// duplicateMember returns an error naming the first member of an object
// in the JSON b, at any depth, whose name an earlier member of that object
// has already given, in the same spelling or in one that encoding/json
// matches to the same field ("description" and "Description"). It returns
// nil when there is none, and when b is not JSON, even after a duplicate:
// the decoder says what is wrong with it. Values are not quoted: a request file holds a pre-shared
// key.
func duplicateMember(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	var stack []*jsonFrame
	var duplicate error
	for {
		tok, err := dec.Token()
		switch {
		case errors.Is(err, io.EOF) && len(stack) == 0:
			return duplicate
		case err != nil: // EOF inside an object or array too
			return nil // not JSON: left to the decoder
		}
		var top *jsonFrame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if delim, ok := tok.(json.Delim); ok && (delim == '}' || delim == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 {
				stack[len(stack)-1].next()
			}
			continue
		}
		if top != nil && top.object && !top.value {
			name, _ := tok.(string) // a member name: Token checks the syntax
			if first, ok := top.seen[foldName(name)]; ok && duplicate == nil {
				duplicate = duplicateError(top.path, first, name)
			}
			top.seen[foldName(name)] = name
			top.member, top.value = name, true
			continue
		}
		// A value: a scalar, or the start of an object or an array.
		path := ""
		if top != nil {
			path = top.child()
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &jsonFrame{path: path, object: true, seen: map[string]string{}})
		case json.Delim('['):
			stack = append(stack, &jsonFrame{path: path})
		default:
			if top != nil {
				top.next()
			}
		}
	}
}

// duplicateError is the error of a member name given again in the object
// at path: first is how the earlier member spelt it. Names are quoted
// in ASCII: two that look alike ("k" and the Kelvin sign) are told apart.
func duplicateError(path, first, again string) error {
	field := first
	if path != "" {
		field = path + "." + first
	}
	if again == first {
		return fmt.Errorf("field %+q given twice; give each field once", field)
	}
	return fmt.Errorf("field %+q given twice, as %+q and %+q (a field's name matches in any case); give each field once", field, first, again)
}

// foldName returns name folded as encoding/json folds a member name to
// match it to a field: two names match when their foldName is the same
// (the rule of bytes.EqualFold, ASCII and Unicode simple folding).
func foldName(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < utf8.RuneSelf {
			b.WriteRune(unicode.ToUpper(r))
			continue
		}
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// foldRune returns the smallest rune of the Unicode simple folding orbit
// of r: the same for every rune that folds to the same.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}
