package scpvpn

// This file holds how the API's successful answers are read, within bounds:
// whatever a server sends, one call never costs more memory than a few
// times what it asked for.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"

	"github.com/scpsdk/scpvpn/internal/jsonscan"
)

const (
	// maxItemAnswer bounds an answer that holds one resource (or a quota,
	// or a subnet check): the largest the API can describe is a few KiB.
	maxItemAnswer = 1 << 20
	// maxListValue bounds each item of a list, and each other member of a
	// list answer. It is tighter than maxItemAnswer because a page holds
	// many: decoded, an item can cost some 27 times its size on the wire
	// (a list of empty strings), so that a page of 20 stays near 35 MiB.
	maxListValue = 64 << 10
	// maxListAnswer bounds a list answer. It is read as a stream, an item
	// at a time, so it is never held whole.
	maxListAnswer = 32 << 20
	// defaultPageSize is the size of a page when the caller asks for none.
	defaultPageSize = 20
)

// errEmptyBody is a successful answer without the JSON it should hold.
var errEmptyBody = errors.New("empty body")

// decodeObject reads a whole answer of at most maxItemAnswer bytes and
// decodes it into v, as encoding/json judges the whole: an answer of white
// space alone is an empty body, text that is not one JSON value a
// *json.SyntaxError, JSON that stops before its end io.ErrUnexpectedEOF.
// An object of the answer that gives a member twice is refused (see
// duplicateError) before v is touched. v is touched only once the whole
// answer has been read, so that an answer cut short (and then asked
// again) leaves nothing of itself in v. The answer is read by the pooled
// jsonscan.Scanner that reads list answers: an answer of the API fits its
// buffer, where it is decoded and checked in place.
func decodeObject(r io.Reader, v any) error {
	sc := jsonscan.New(r, maxItemAnswer)
	defer sc.Release()
	b, inBuffer, err := sc.Rest()
	if err != nil {
		return err // cut short, or too large
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return errEmptyBody
	}
	if err := duplicateIn(sc, b, inBuffer); err != nil {
		// encoding/json has the first word, as it had when it decoded the
		// answer before the check: on text that is not JSON, and on a
		// value of the wrong type. It decodes into a value of v's type
		// made for it, so that v stays untouched.
		if jerr := json.Unmarshal(b, scratchOf(v)); jerr != nil {
			return endOfJSON(jerr, b)
		}
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return endOfJSON(err, b)
	}
	return nil
}

// scratchOf returns a new zero value of the type v points to, for
// encoding/json to judge an answer with in v's stead; a json.RawMessage
// when v is not a pointer (which encoding/json refuses in any case).
func scratchOf(v any) any {
	t := reflect.TypeOf(v)
	if t == nil || t.Kind() != reflect.Pointer {
		return new(json.RawMessage)
	}
	return reflect.New(t.Elem()).Interface()
}

// duplicateIn returns the error of an object of the answer b that gives a
// member twice, or nil: found by sc's one-pass check (CheckedValue) when b
// is in its buffer, by jsonscan.DuplicateName otherwise. Text that is not
// JSON gives whatever it gives, for encoding/json to refuse.
func duplicateIn(sc *jsonscan.Scanner, b []byte, inBuffer bool) error {
	if !inBuffer {
		if name, dup := jsonscan.DuplicateName(b); dup {
			return duplicateError(&jsonscan.DuplicateError{Name: name})
		}
		return nil
	}
	_, err := sc.CheckedValue()
	if _, ok := errors.AsType[*jsonscan.DuplicateError](err); ok {
		return duplicateError(err)
	}
	return nil
}

// endOfJSON is err, encoding/json's verdict on b, or io.ErrUnexpectedEOF
// when b is JSON that stops before its end. Where the syntax error stands
// cannot tell: a value whose last byte is the wrong one ("[1,]") has it at
// b's end as well, and Go 1.27 puts a number cut short ("1.") at offset 0.
// A json.Decoder, which reads a stream, says which in every version: it
// reports io.ErrUnexpectedEOF only when the stream ends inside a value
// (the white space that ends an answer, " nul\n", does not count).
func endOfJSON(err error, b []byte) error {
	if _, ok := errors.AsType[*json.SyntaxError](err); ok {
		var raw json.RawMessage
		text := bytes.TrimRight(b, jsonSpace)
		if derr := json.NewDecoder(bytes.NewReader(text)).Decode(&raw); errors.Is(derr, io.ErrUnexpectedEOF) {
			return io.ErrUnexpectedEOF
		}
	}
	return err
}

// duplicateError is err, said for the SDK's user when it is an object of
// the answer that gives a member twice (the same name, or names that
// encoding/json reads into one field, such as "state" and "State"). The
// API never does; encoding/json would keep the last value, and the SDK
// would pick one of two contradicting answers, a subnet DUPLICATE and
// AVAILABLE, a gateway ACTIVE and DELETED.
func duplicateError(err error) error {
	if dup, ok := errors.AsType[*jsonscan.DuplicateError](err); ok {
		return fmt.Errorf("an object of the answer gives its member %q twice", dup.Name)
	}
	return err
}

// decodeValue decodes the one JSON value r holds into v: white space may
// surround the value, nothing else may follow it. v is touched only once
// the whole answer has been read, so that an answer cut short after its
// value (and then asked again) leaves nothing of itself in v.
func decodeValue(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		if errors.Is(err, io.EOF) {
			return errEmptyBody
		}
		return err
	}
	switch _, err := dec.Token(); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return err
	default:
		return errors.New("the answer goes on after its JSON value")
	}
	return json.Unmarshal(raw, v)
}

// listAnswer says how to read a list answer: its key and where its fields
// go; a nil field is not read.
type listAnswer[W any] struct {
	key     string // of the items: "vpn_gateways"
	limit   int    // the most items the page may hold
	most    string // what limit is, for messages; "" for a page's size
	count   *int
	page    *int
	size    *int
	sort    *[]string
	addItem func(*W)
}

// decodeList reads a list answer as a stream: each item is decoded and
// handed over in turn, white space is never held beyond those, each value
// is bounded by maxListValue, and an answer with more items than the page
// may hold is refused before they are built. The answer must be one valid
// JSON object that holds the items and, where la reads them, the count,
// page and size the API's schema requires (integers, none negative): a
// member the SDK does not read is checked all the same, and nothing but
// white space may follow the object. No object of the answer, the answer
// itself and its items included, may give a member twice (see
// duplicateError).
func decodeList[W any](r io.Reader, la listAnswer[W]) error {
	sc := jsonscan.New(r, maxListValue)
	defer sc.Release()
	if c, err := sc.Peek(); errors.Is(err, io.ErrUnexpectedEOF) {
		return errEmptyBody
	} else if err == nil && c != '{' {
		return fmt.Errorf("the answer is not a JSON object")
	}
	_, _ = sc.Next()
	itemsSeen := false
	var counts [3]bool // count, page and size seen
	var names jsonscan.Names
	err := members(sc, '}', func() error {
		k, err := sc.Value()
		if err != nil {
			return err
		}
		key, err := jsonKey(k)
		if err != nil {
			return err
		}
		if names.Add(k) {
			return fmt.Errorf("the answer gives its member %q twice", key)
		}
		if err := sc.Expect(':'); err != nil {
			return err
		}
		var into any
		switch key {
		case la.key:
			itemsSeen = true
			return decodeItems(sc, la)
		case "count":
			return decodeCount(sc, key, la.count, &counts[0])
		case "page":
			return decodeCount(sc, key, la.page, &counts[1])
		case "size":
			return decodeCount(sc, key, la.size, &counts[2])
		case "sort":
			into = target(la.sort)
		}
		v, err := sc.Value()
		switch {
		case err != nil:
			return err
		case into == nil && !json.Valid(v):
			return fmt.Errorf("the answer's member %q is not valid JSON", key)
		case into == nil:
			return nil
		}
		return json.Unmarshal(v, into)
	})
	switch {
	case err != nil:
		return err
	case !itemsSeen:
		return fmt.Errorf("the answer holds no %s", la.key)
	}
	for i, p := range [...]*int{la.count, la.page, la.size} {
		if p != nil && !counts[i] {
			return fmt.Errorf("the answer holds no %s", [...]string{"count", "page", "size"}[i])
		}
	}
	return sc.End()
}

// decodeCount reads the member key of a list answer, an integer that may
// not be negative, into p (when not nil), and marks it seen.
func decodeCount(sc *jsonscan.Scanner, key string, p *int, seen *bool) error {
	v, err := sc.Value()
	if err != nil {
		return err
	}
	var n *int
	if err := json.Unmarshal(v, &n); err != nil {
		return fmt.Errorf("the answer's %s: %w", key, err)
	}
	switch {
	case n == nil:
		return fmt.Errorf("the answer's %s is null", key)
	case *n < 0:
		return fmt.Errorf("the answer's %s is negative (%d)", key, *n)
	}
	if p != nil {
		*p = *n
	}
	*seen = true
	return nil
}

// target is p as a destination of json.Unmarshal, or nil when p is.
func target[T any](p *T) any {
	if p == nil {
		return nil
	}
	return p
}

// members calls each for every member of an object, or element of an
// array, up to the byte that closes it.
func members(sc *jsonscan.Scanner, end byte, each func() error) error {
	for n := 0; ; n++ {
		c, err := sc.Peek()
		if err != nil {
			return err
		}
		if c == end {
			_, _ = sc.Next()
			return nil
		}
		if n > 0 {
			if err := sc.Expect(','); err != nil {
				return err
			}
		}
		if err := each(); err != nil {
			return err
		}
	}
}

// jsonKey returns the text of an object's key. A key without escapes is
// taken as it is rather than through json.Unmarshal: a speed trick, kept
// because it pays (issue 18's rule: at least 3% of a call's time or 10
// allocations), 10 allocations on every List, whose answer has five keys
// (BenchmarkContenders, interleaved, five runs each; its time moved by
// 1%, within the noise).
func jsonKey(k []byte) (string, error) {
	if len(k) >= 2 && k[0] == '"' && k[len(k)-1] == '"' && plainText(k[1:len(k)-1]) {
		return string(k[1 : len(k)-1]), nil
	}
	var key string
	err := json.Unmarshal(k, &key)
	return key, err
}

// plainText reports whether b can stand inside a JSON string as it is:
// neither escapes nor control characters.
func plainText(b []byte) bool {
	for _, c := range b {
		if c < ' ' || c == '\\' || c == '"' {
			return false
		}
	}
	return true
}

// decodeItems reads the array of a list answer's items, each decoded in
// turn by one json.Decoder that pulls it from the scanner (see itemStream).
func decodeItems[W any](sc *jsonscan.Scanner, la listAnswer[W]) error {
	c, err := sc.Peek()
	if err != nil {
		return err
	}
	if c == 'n' { // null: no items
		v, err := sc.Value()
		if err == nil && string(v) != "null" {
			err = fmt.Errorf("%s is not a list", la.key)
		}
		return err
	}
	if err := sc.Expect('['); err != nil {
		return fmt.Errorf("%s is not a list: %w", la.key, err)
	}
	most := la.most
	if most == "" {
		most = "items a page of that size may hold"
	}
	dec := json.NewDecoder(&itemStream{sc: sc, limit: la.limit, most: most})
	var w, zero W // one item decoded at a time, in one place
	for {
		w = zero
		if err := dec.Decode(&w); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
		la.addItem(&w)
	}
}

// itemStream hands a json.Decoder the items of an array one after the
// other, pulling each from the scanner only when the decoder asks for more,
// so that an array with more items than allowed is refused before they are
// read, and no more than an item or two is ever held. One decoder for all
// the items, rather than a json.Unmarshal of each as the scanner cuts it
// out, is a speed trick, kept because it pays (issue 18's rule: at least
// 3% of a call's time or 10 allocations): 110 allocations on a List of 20
// gateways (BenchmarkContenders, interleaved, five runs each; its time
// moved by 1%, within the noise).
type itemStream struct {
	sc      *jsonscan.Scanner
	n       int // items pulled
	limit   int
	most    string // what limit is, for messages
	pending []byte // what is left of the item pulled last
	space   bool   // a space is owed after it, to part it from the next
	done    bool
}

func (s *itemStream) Read(p []byte) (int, error) {
	for len(s.pending) == 0 {
		switch {
		case s.space:
			s.space = false
			p[0] = ' '
			return 1, nil
		case s.done:
			return 0, io.EOF
		}
		c, err := s.sc.Peek()
		if err != nil {
			return 0, err
		}
		if c == ']' {
			_, _ = s.sc.Next()
			s.done = true
			continue
		}
		if s.n > 0 {
			if err := s.sc.Expect(','); err != nil {
				return 0, err
			}
		}
		if s.n++; s.n > s.limit {
			return 0, fmt.Errorf("the answer holds more than the %d %s", s.limit, s.most)
		}
		// The item's end and its members given twice are found in one
		// pass (see jsonscan's CheckedValue).
		if s.pending, err = s.sc.CheckedValue(); err != nil {
			return 0, duplicateError(err)
		}
		s.space = true
	}
	n := copy(p, s.pending)
	s.pending = s.pending[n:]
	return n, nil
}
