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
	"strconv"
	"sync"
)

const (
	// maxItemAnswer bounds an answer that holds one resource (or a quota,
	// or a subnet check), and each item of a list: the largest the API can
	// describe is a few KiB.
	maxItemAnswer = 1 << 20
	// maxListAnswer bounds a list answer. It is read as a stream, an item
	// at a time, so it is never held whole.
	maxListAnswer = 32 << 20
	// defaultPageSize is the size of a page when the caller asks for none.
	defaultPageSize = 20
)

// errEmptyBody is a successful answer without the JSON it should hold.
var errEmptyBody = errors.New("empty body")

// bufPool holds the buffers single answers are read into.
var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// decodeObject reads a whole answer of at most maxItemAnswer bytes and
// decodes it into v.
func decodeObject(r io.Reader, v any) error {
	bp := bufPool.Get().(*[]byte)
	defer func() {
		if cap(*bp) <= 64<<10 { // a large one is left to the collector
			*bp = (*bp)[:0]
			bufPool.Put(bp)
		}
	}()
	b, err := readAll(r, *bp)
	*bp = b
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return errEmptyBody
	}
	if err := json.Unmarshal(b, v); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) && syn.Offset >= int64(len(b)) {
			return io.ErrUnexpectedEOF // the JSON stops before its end
		}
		return err
	}
	return nil
}

// readAll appends what r holds to b, like io.ReadAll into a given buffer.
func readAll(r io.Reader, b []byte) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF { //nolint:errorlint // io.EOF is returned bare by contract
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// listAnswer says how to read a list answer: its key and where its fields go.
type listAnswer[W any] struct {
	key     string // of the items: "vpn_gateways"
	limit   int    // the most items the page may hold
	count   *int
	page    *int
	size    *int
	sort    *[]string
	addItem func(*W)
}

// decodeList reads a list answer as a stream: each item is decoded and
// handed over in turn, and an answer with more items than the page may
// hold is refused before they are built.
func decodeList[W any](r io.Reader, la listAnswer[W]) error {
	br := &budgetReader{r: r}
	dec := json.NewDecoder(br)
	if err := expectDelim(dec, '{'); errors.Is(err, io.EOF) {
		return errEmptyBody
	} else if err != nil {
		return err
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		switch key {
		case "count":
			err = dec.Decode(la.count)
		case "page":
			err = dec.Decode(la.page)
		case "size":
			err = dec.Decode(la.size)
		case "sort":
			err = dec.Decode(la.sort)
		case la.key:
			err = decodeItems(dec, br, la)
		default:
			var skip json.RawMessage
			err = dec.Decode(&skip)
		}
		if err != nil {
			return err
		}
	}
	return expectDelim(dec, '}')
}

// decodeItems reads the array of a list answer's items.
func decodeItems[W any](dec *json.Decoder, br *budgetReader, la listAnswer[W]) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if tok == nil { // null: no items
		return nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return fmt.Errorf("%s is not a list", la.key)
	}
	n := 0
	for dec.More() {
		n++
		if n > la.limit {
			return fmt.Errorf("the answer holds more than the %d items a page of that size may hold", la.limit)
		}
		// The item may take at most maxItemAnswer bytes from its start.
		br.itemEnd = dec.InputOffset() + maxItemAnswer
		var w W
		err := dec.Decode(&w)
		br.itemEnd = 0
		if err != nil {
			return err
		}
		la.addItem(&w)
	}
	_, err = dec.Token() // ']'
	return err
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("expected %q in the answer, found %v", string(want), tok)
	}
	return nil
}

// budgetReader bounds, while an item of a list is being decoded, the bytes
// read for it; the request path bounds the answer as a whole.
type budgetReader struct {
	r       io.Reader
	read    int64 // bytes read so far
	itemEnd int64 // when not 0, reading stops at this offset
}

// errItemTooLarge ends an item of a list that is larger than any the API
// describes.
var errItemTooLarge = errors.New("an item of the answer is larger than " + strconv.Itoa(maxItemAnswer>>20) + " MiB")

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.itemEnd > 0 {
		if b.read >= b.itemEnd {
			return 0, errItemTooLarge
		}
		if int64(len(p)) > b.itemEnd-b.read {
			p = p[:b.itemEnd-b.read]
		}
	}
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}
