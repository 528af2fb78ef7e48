// Package jsonscan reads a stream of JSON a value at a time, so that a long
// answer is never held whole: white space between values is consumed as it
// comes, and each value is cut out, within a bound, for encoding/json to
// decode. It finds where values end; checking their syntax is left to
// encoding/json.
package jsonscan

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"
)

// ErrTooLarge is a value longer than the Scanner's bound.
var ErrTooLarge = errors.New("a value of the answer is too large")

// Scanner reads JSON tokens and values from a stream.
type Scanner struct {
	r   *bufio.Reader // reads src
	src stickyReader
	max int    // bytes of one value
	buf []byte // the last value, reused

	check quickCheck // of CheckedValue, reused
	name  []byte     // a member name read in two chunks, reused
}

// stickyReader returns the first error of r on every read after it, so
// that an error met while reading ahead is not lost (bufio.Reader reports
// an error once), and End can tell the stream's end from a failure.
type stickyReader struct {
	r   io.Reader
	err error
}

func (s *stickyReader) Read(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.r.Read(p)
	s.err = err
	return n, err
}

// A speed trick, kept because it pays (issue 18's rule: at least 3% of a
// call's time or 10 allocations): a list answer is read into a 32 KiB
// buffer kept in a pool between answers, as much of it as the buffer holds
// at once, before the scan begins; a page of 20 gateways (some 10 KiB)
// thus arrives whole and is scanned from memory. Measured with
// BenchmarkContenders, interleaved, six runs of each: List cost 1.17 to
// 1.19 times plain resty's time with it, 1.21 to 1.23 with a pooled 4 KiB
// buffer read as the scan asks, 1.21 to 1.25 with neither (and 6
// allocations more). Reading a 32 KiB buffer at once without the pool
// allocates and clears it for every answer. Single answers (a Get's, a
// create's) are read by the same pooled Scanners, in place of a pooled
// buffer of their own that bought 1 to 2% of a Get and 3 allocations.

// pool keeps Scanners, with their buffers, between uses.
var pool = sync.Pool{New: func() any { return &Scanner{r: bufio.NewReaderSize(nil, 32<<10)} }}

// New returns a Scanner of r whose values are at most max bytes, having
// read as much of r as its buffer holds (32 KiB), or all of it if that is
// shorter; an error it meets is reported when the scan reaches it.
// Release it when done.
func New(r io.Reader, max int) *Scanner {
	s := pool.Get().(*Scanner)
	s.src = stickyReader{r: r}
	s.r.Reset(&s.src)
	s.max = max
	_, _ = s.r.Peek(s.r.Size())
	return s
}

// Release returns s to the pool; s must not be used again. A Scanner that
// grew a large value buffer is left to the collector.
func (s *Scanner) Release() {
	s.r.Reset(nil)
	s.src = stickyReader{}
	if cap(s.buf) > 64<<10 {
		s.buf = nil
	}
	s.buf = s.buf[:0]
	if cap(s.check.stack) > 1<<10 || cap(s.check.prints) > 8<<10 {
		s.check = quickCheck{}
	}
	s.check.reset()
	s.name = s.name[:0]
	pool.Put(s)
}

// Peek returns the next byte that is not white space, without consuming it.
func (s *Scanner) Peek() (byte, error) {
	for {
		b, err := s.r.Peek(1)
		if err != nil {
			return 0, unexpected(err)
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			// Consumed in bulk: a stream of spaces costs no memory.
			n := s.r.Buffered()
			chunk, _ := s.r.Peek(n)
			i := 0
			for i < len(chunk) && (chunk[i] == ' ' || chunk[i] == '\t' || chunk[i] == '\r' || chunk[i] == '\n') {
				i++
			}
			_, _ = s.r.Discard(i)
		default:
			return b[0], nil
		}
	}
}

// Expect consumes the next byte that is not white space, which must be c.
func (s *Scanner) Expect(c byte) error {
	got, err := s.Peek()
	if err != nil {
		return err
	}
	if got != c {
		return fmt.Errorf("expected %q in the answer, found %q", c, got)
	}
	_, _ = s.r.Discard(1)
	return nil
}

// Next consumes the next byte that is not white space and returns it.
func (s *Scanner) Next() (byte, error) {
	c, err := s.Peek()
	if err == nil {
		_, _ = s.r.Discard(1)
	}
	return c, err
}

// End returns nil when nothing but white space is left in the stream, and
// an error when something follows the last value.
func (s *Scanner) End() error {
	c, err := s.Peek()
	switch {
	case err == nil:
		return fmt.Errorf("the answer goes on after its end, with %q", c)
	case errors.Is(s.src.err, io.EOF):
		return nil
	}
	// Not the stream's end but a failure to read it, io.ErrUnexpectedEOF
	// included: net/http's word for an answer shorter than it announced.
	return err
}

// Failed reports whether reading the stream failed: an error other than
// its end, met so far.
func (s *Scanner) Failed() bool {
	return s.src.err != nil && !errors.Is(s.src.err, io.EOF)
}

// Rest reads the stream to its end and returns what is left of it. When
// New's first read took the whole stream, which an answer of a few KiB
// always is, it is the Scanner's buffer itself, unconsumed (inBuffer):
// the calls that follow read it again. Otherwise it is a copy, valid
// until the next call, and the stream is consumed. err is the failure
// that ended the reading, or ErrTooLarge past the Scanner's bound.
func (s *Scanner) Rest() (rest []byte, inBuffer bool, err error) {
	if s.src.err != nil { // New met the stream's end, or a failure
		if s.Failed() {
			return nil, false, s.src.err
		}
		b, _ := s.r.Peek(s.r.Buffered())
		return b, true, nil
	}
	s.buf = s.buf[:0]
	for {
		chunk, err := s.fill()
		switch {
		case errors.Is(err, io.ErrUnexpectedEOF) && !s.Failed():
			return s.buf, false, nil // the stream's end
		case err != nil:
			return nil, false, err
		}
		if err := s.take(chunk, len(chunk)); err != nil {
			return nil, false, err
		}
	}
}

// Value reads the next value whole (an object, array, string, number or
// literal) and returns its bytes, valid until the next call.
func (s *Scanner) Value() ([]byte, error) {
	return s.value(false)
}

// value is Value, and CheckedValue when check is true.
func (s *Scanner) value(check bool) ([]byte, error) {
	c, err := s.Peek()
	if err != nil {
		return nil, err
	}
	s.buf = s.buf[:0]
	switch c {
	case '{', '[':
		err = s.compound(check)
	case '"':
		err = s.str()
	case ',', ']', '}', ':':
		// A place with no value: [,], a trailing comma, two in a row.
		return nil, fmt.Errorf("expected a value in the answer, found %q", c)
	default:
		err = s.scalar()
	}
	return s.buf, err
}

// take appends n buffered bytes to the value.
func (s *Scanner) take(chunk []byte, n int) error {
	if len(s.buf)+n > s.max {
		return ErrTooLarge
	}
	s.buf = append(s.buf, chunk[:n]...)
	_, _ = s.r.Discard(n)
	return nil
}

// fill returns the buffered bytes, reading more when there are none.
func (s *Scanner) fill() ([]byte, error) {
	if s.r.Buffered() == 0 {
		if _, err := s.r.Peek(1); err != nil {
			return nil, unexpected(err)
		}
	}
	return s.r.Peek(s.r.Buffered())
}

// str reads a string, from its opening quote to its closing one.
func (s *Scanner) str() error {
	in := stringState{escaped: false}
	for first := true; ; first = false {
		chunk, err := s.fill()
		if err != nil {
			return err
		}
		i := 0
		if first {
			i = 1 // the opening quote
		}
		if end, closed := in.scan(chunk, i); closed {
			return s.take(chunk, end)
		}
		if err := s.take(chunk, len(chunk)); err != nil {
			return err
		}
	}
}

// stringState follows a JSON string across the chunks it is read in.
type stringState struct {
	escaped bool // the last chunk ended with a backslash
}

// scan looks for the end of the string in chunk from i on. It returns the
// offset just past the closing quote, or closed false when the chunk ends
// inside the string. It jumps between quotes and backslashes with
// bytes.IndexByte, which is many times faster than going byte by byte.
func (st *stringState) scan(chunk []byte, i int) (end int, closed bool) {
	if st.escaped && i < len(chunk) {
		st.escaped = false
		i++ // the escaped character
	}
	for i < len(chunk) {
		q := bytes.IndexByte(chunk[i:], '"')
		rest := chunk[i:]
		if q >= 0 {
			rest = rest[:q]
		}
		if b := bytes.IndexByte(rest, '\\'); b >= 0 {
			i += b + 2 // the backslash and what it escapes
			if i > len(chunk) {
				st.escaped = true
			}
			continue
		}
		if q < 0 {
			return 0, false
		}
		return i + q + 1, true
	}
	return 0, false
}

// compound reads an object or an array, with what it holds; with check,
// it also gives s.check every bracket, comma, colon and member name, and
// refuses a member given twice once the value is read whole.
func (s *Scanner) compound(check bool) error {
	depth := 0
	var in *stringState // not nil inside a string
	var str stringState
	name := -1 // where the member name being read starts in the value
	if check {
		s.check.reset()
	}
	for {
		chunk, err := s.fill()
		if err != nil {
			return err
		}
		base := len(s.buf) // where chunk starts in the value
		i := 0
		for i < len(chunk) {
			if in != nil {
				end, closed := in.scan(chunk, i)
				if !closed {
					break // the string goes on in the next chunk
				}
				if name >= 0 {
					s.check.name(s.nameAt(chunk, base, name, end))
					name = -1
				}
				in, i = nil, end
				continue
			}
			switch chunk[i] {
			case '"':
				str = stringState{}
				in = &str
				if check && s.check.isName() {
					name = base + i
				}
			case '{', '[':
				depth++
				if check {
					s.check.open(chunk[i] == '{')
				}
			case '}', ']':
				depth--
				if check {
					s.check.close()
				}
				if depth == 0 {
					if err := s.take(chunk, i+1); err != nil {
						return err
					}
					if check && s.check.suspect {
						if name, dup := DuplicateName(s.buf); dup {
							return &DuplicateError{Name: name}
						}
					}
					return nil
				}
			case ',':
				if check {
					s.check.comma()
				}
			case ':':
				if check {
					s.check.colon()
				}
			}
			i++
		}
		if err := s.take(chunk, len(chunk)); err != nil {
			return err
		}
	}
}

// nameAt returns the member name that starts at start in the value and
// ends at end in chunk, which starts at base in the value: a slice of
// chunk, or, when the name began in an earlier chunk, a copy.
func (s *Scanner) nameAt(chunk []byte, base, start, end int) []byte {
	if start >= base {
		return chunk[start-base : end]
	}
	s.name = append(append(s.name[:0], s.buf[start:]...), chunk[:end]...)
	return s.name
}

// scalar reads a number or a literal, up to the byte that ends it.
func (s *Scanner) scalar() error {
	for {
		chunk, err := s.r.Peek(max(s.r.Buffered(), 1))
		if err != nil {
			if errors.Is(err, io.EOF) && len(s.buf) > 0 {
				return nil
			}
			return unexpected(err)
		}
		for i, c := range chunk {
			switch c {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return s.take(chunk, i)
			}
		}
		if err := s.take(chunk, len(chunk)); err != nil {
			return err
		}
	}
}

// unexpected turns the end of the stream inside a value into
// io.ErrUnexpectedEOF.
func unexpected(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}
