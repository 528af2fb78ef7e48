package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomValue builds a JSON value with strings full of the characters that
// make scanning hard: quotes, backslashes, brackets.
func randomValue(r *rand.Rand, depth int) any {
	switch k := r.IntN(6); {
	case depth > 3 || k == 0:
		const alphabet = `ab"\{}[],: é` + "\n"
		runes := []rune(alphabet)
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteRune(runes[r.IntN(len(runes))])
		}
		return b.String()
	case k == 1:
		return r.IntN(1000) - 500
	case k == 2:
		return r.IntN(2) == 0
	case k == 3:
		return nil
	case k == 4:
		list := make([]any, r.IntN(4))
		for i := range list {
			list[i] = randomValue(r, depth+1)
		}
		return list
	}
	obj := map[string]any{}
	for range r.IntN(4) {
		obj[randomValue(r, 9).(string)] = randomValue(r, depth+1)
	}
	return obj
}

// Every value of a stream comes out whole, byte for byte, whatever the
// chunks the stream arrives in.
func TestValuesComeOutWhole(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		var want [][]byte
		var stream bytes.Buffer
		stream.WriteString("[ ")
		for j := range 1 + r.IntN(5) {
			b, err := json.Marshal(randomValue(r, 0))
			require.NoError(t, err)
			want = append(want, b)
			if j > 0 {
				stream.WriteString(" ,\n\t")
			}
			stream.Write(b)
		}
		stream.WriteString(" ]")
		for _, reader := range []io.Reader{bytes.NewReader(stream.Bytes()), iotest.OneByteReader(bytes.NewReader(stream.Bytes()))} {
			sc := New(reader, 1<<20)
			require.NoError(t, sc.Expect('['))
			for j, w := range want {
				if j > 0 {
					require.NoError(t, sc.Expect(','))
				}
				got, err := sc.Value()
				require.NoError(t, err, "case %d value %d", i, j)
				assert.Equal(t, string(w), string(got), "case %d value %d", i, j)
			}
			require.NoError(t, sc.Expect(']'))
		}
	}
}

func TestValueBounds(t *testing.T) {
	t.Parallel()
	sc := New(strings.NewReader(`{"a":"`+strings.Repeat("x", 100)+`"}`), 50)
	_, err := sc.Value()
	require.ErrorIs(t, err, ErrTooLarge)

	sc = New(strings.NewReader(`{"a":"b`), 50)
	_, err = sc.Value()
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)

	sc = New(strings.NewReader(strings.Repeat(" ", 1<<20)+"7 "), 8)
	v, err := sc.Value()
	require.NoError(t, err, "white space between values is not part of them")
	assert.Equal(t, "7", string(v))

	sc = New(strings.NewReader(`12`), 8)
	v, err = sc.Value()
	require.NoError(t, err, "a number may end with the stream")
	assert.Equal(t, "12", string(v))

	sc = New(iotest.ErrReader(errors.New("reset")), 8)
	_, err = sc.Value()
	require.EqualError(t, err, "reset")
}
