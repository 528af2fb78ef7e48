package jsonscan

// Review 9: Scanner.Rest, which decodeObject reads every single answer
// with, had no test of its own. It returns the answer in place in the
// buffer when New's first read took it all (and then CheckedValue reads
// the same bytes again), or a copy read to the end; and it tells the
// stream's end from a failure to read it, before and after 32 KiB.

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// review9Answer is a JSON object of exactly n bytes whose last member
// gives its first again when twice.
func review9Answer(t *testing.T, n int, twice bool) string {
	t.Helper()
	head, tail := `{"id":"a","pad":"`, `","b":1}`
	if twice {
		tail = `","\u0049D":1}` // "ID", escaped
	}
	require.GreaterOrEqual(t, n, len(head)+len(tail))
	return head + strings.Repeat("x", n-len(head)-len(tail)) + tail
}

func TestReview9RestInBufferOrCopied(t *testing.T) {
	t.Parallel()
	for _, n := range []int{100, 32<<10 - 1, 32 << 10, 32<<10 + 1, 100 << 10} {
		for name, wrap := range map[string]func(io.Reader) io.Reader{
			"whole reads":  func(r io.Reader) io.Reader { return r },
			"one byte":     iotest.OneByteReader,
			"data and EOF": iotest.DataErrReader,
		} {
			body := review9Answer(t, n, false)
			s := New(wrap(strings.NewReader(body)), 1<<20)
			rest, inBuffer, err := s.Rest()
			require.NoError(t, err, "%d %s", n, name)
			assert.Equal(t, body, string(rest), "%d %s", n, name)
			assert.False(t, s.Failed())
			// Only a stream whose end New met is left in place.
			if n < 32<<10 {
				assert.True(t, inBuffer, "%d %s", n, name)
			}
			if n > 32<<10 {
				assert.False(t, inBuffer, "%d %s", n, name)
			}
			if inBuffer {
				// What follows reads the very same bytes again.
				v, err := s.CheckedValue()
				require.NoError(t, err)
				assert.Equal(t, body, string(v))
				assert.NoError(t, s.End())
			}
			s.Release()
		}
	}
}

func TestReview9RestInBufferChecksTheSameBytes(t *testing.T) {
	t.Parallel()
	for _, n := range []int{100, 32<<10 - 1} {
		s := New(strings.NewReader(" \n"+review9Answer(t, n-2, true)), 1<<20)
		rest, inBuffer, err := s.Rest()
		require.NoError(t, err)
		require.True(t, inBuffer)
		require.Len(t, rest, n)
		_, err = s.CheckedValue()
		var dup *DuplicateError
		require.ErrorAs(t, err, &dup, "%d", n)
		assert.Equal(t, "ID", dup.Name)
		s.Release()
	}
}

func TestReview9RestTellsAFailureFromTheEnd(t *testing.T) {
	t.Parallel()
	reset := errors.New("stream reset")
	for _, n := range []int{0, 1, 32<<10 - 1, 32 << 10, 32<<10 + 1, 100 << 10} {
		for _, cause := range []error{reset, io.ErrUnexpectedEOF} {
			body := strings.Repeat(" ", n)
			s := New(io.MultiReader(strings.NewReader(body), iotest.ErrReader(cause)), 1<<20)
			rest, _, err := s.Rest()
			assert.ErrorIs(t, err, cause, "%d bytes, then %v", n, cause)
			assert.Nil(t, rest)
			assert.True(t, s.Failed())
			s.Release()
		}
		s := New(strings.NewReader(strings.Repeat(" ", n)), 1<<20)
		rest, _, err := s.Rest()
		require.NoError(t, err, "%d bytes, then the end", n)
		assert.Len(t, rest, n)
		assert.False(t, s.Failed())
		s.Release()
	}
}

func TestReview9RestBound(t *testing.T) {
	t.Parallel()
	for _, n := range []int{64 << 10, 64<<10 + 1} {
		s := New(strings.NewReader(strings.Repeat(" ", n)), 64<<10)
		_, _, err := s.Rest()
		if n > 64<<10 {
			assert.ErrorIs(t, err, ErrTooLarge)
		} else {
			assert.NoError(t, err)
		}
		s.Release()
	}
}
