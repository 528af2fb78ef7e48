package jsonscan

// Tests of the scanner: values cut out whole at any chunking of the stream,
// escapes inside strings never mistaken for their ends, bounds kept, and
// white space never held.

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readers returns the ways a stream of s may arrive: whole, a byte at a
// time, and in chunks that end inside escapes.
func readers(s string) map[string]func() io.Reader {
	return map[string]func() io.Reader{
		"whole":        func() io.Reader { return strings.NewReader(s) },
		"byte by byte": func() io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
		"half":         func() io.Reader { return iotest.HalfReader(strings.NewReader(s)) },
	}
}

// values reads every value of a top-level sequence "v1, v2, ...".
func values(t *testing.T, r io.Reader, max int) ([]string, error) {
	t.Helper()
	sc := New(r, max)
	var out []string
	for {
		if _, err := sc.Peek(); errors.Is(err, io.ErrUnexpectedEOF) {
			return out, nil
		}
		v, err := sc.Value()
		if err != nil {
			return out, err
		}
		out = append(out, string(v))
		if c, err := sc.Peek(); err == nil && c == ',' {
			_, _ = sc.Next()
		}
	}
}

func TestValuesAreCutWhole(t *testing.T) {
	t.Parallel()
	want := []string{
		`{"a":"}","b":["]",{"c":"\"}"}]}`,
		`"a \"quoted\" \\ string \\"`,
		`"\\\\"`,
		`"\\\""`,
		`[1,[2,[3]],{"d":[]}]`,
		`"\u00e9\ud83d\ude00 {["`,
		`-12.5e+3`,
		`true`,
		`null`,
		`{}`,
		`[]`,
		`""`,
		`0`,
	}
	stream := " \n\t" + strings.Join(want, " ,\r\n ") + "  "
	for name, r := range readers(stream) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := values(t, r(), 1<<10)
			require.NoError(t, err)
			assert.Equal(t, want, got)
		})
	}
}

func TestANumberMayEndTheStream(t *testing.T) {
	t.Parallel()
	for name, r := range readers(`12345`) {
		sc := New(r(), 100)
		v, err := sc.Value()
		require.NoError(t, err, name)
		assert.Equal(t, "12345", string(v), name)
		require.NoError(t, sc.End(), name)
	}
}

func TestUnterminatedValues(t *testing.T) {
	t.Parallel()
	for _, s := range []string{`{"a":1`, `[1,2`, `"abc`, `"abc\"`, `"abc\`, `{"a":"}"`, ``, `   `} {
		for name, r := range readers(s) {
			_, err := New(r(), 100).Value()
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "%q %s", s, name)
		}
	}
}

// A place where a value should be and none is (the items of [,] or of a
// trailing comma) is an error, never an empty value a decoder would skip
// as white space.
func TestNoValueIsAnError(t *testing.T) {
	t.Parallel()
	for _, s := range []string{`,`, `]`, `}`, `:`, ` ,1`} {
		for name, r := range readers(s) {
			for _, checked := range []bool{false, true} {
				sc := New(r(), 100)
				v, err := sc.value(checked)
				require.Error(t, err, "%q %s checked=%v: got %q", s, name, checked, v)
				assert.Contains(t, err.Error(), "expected a value", "%q %s", s, name)
			}
		}
	}
}

func TestValuesAreBounded(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		`"` + strings.Repeat("x", 200) + `"`,
		`[` + strings.Repeat(`"x",`, 50) + `"x"]`,
		`{"a":"` + strings.Repeat(`\"`, 100) + `"}`,
		strings.Repeat("1", 200),
	} {
		for name, r := range readers(s) {
			_, err := New(r(), 100).Value()
			assert.ErrorIs(t, err, ErrTooLarge, "%.20q %s", s, name)
		}
	}
	v, err := New(strings.NewReader(`"`+strings.Repeat("x", 98)+`"`), 100).Value()
	require.NoError(t, err, "a value of exactly the bound")
	assert.Len(t, v, 100)
}

// A stream of white space is consumed, never held: a value after 1 MiB of
// it is read with a bound of 10 bytes.
func TestWhiteSpaceIsNeverHeld(t *testing.T) {
	t.Parallel()
	r := io.MultiReader(strings.NewReader(strings.Repeat(" \t\r\n", 1<<18)), strings.NewReader(`[1]`))
	v, err := New(r, 10).Value()
	require.NoError(t, err)
	assert.Equal(t, "[1]", string(v))
}

func TestTokens(t *testing.T) {
	t.Parallel()
	sc := New(strings.NewReader(` { "k" : 1 } `), 100)
	c, err := sc.Next()
	require.NoError(t, err)
	assert.Equal(t, byte('{'), c)
	k, err := sc.Value()
	require.NoError(t, err)
	assert.Equal(t, `"k"`, string(k))
	require.NoError(t, sc.Expect(':'))
	err = sc.Expect(':')
	require.Error(t, err)
	assert.Contains(t, err.Error(), `expected ':' in the answer, found '1'`)
	v, err := sc.Value()
	require.NoError(t, err)
	assert.Equal(t, "1", string(v))
	require.NoError(t, sc.Expect('}'))
	require.NoError(t, sc.End(), "white space may follow the end")

	sc = New(strings.NewReader(`{} x`), 100)
	_, err = sc.Value()
	require.NoError(t, err)
	err = sc.End()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "goes on after its end")

	_, err = New(strings.NewReader(""), 100).Next()
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}

// A read error other than the end is passed on as it is, so that the
// caller can tell an answer cut short from one that is not JSON.
func TestReadErrorsArePassedOn(t *testing.T) {
	t.Parallel()
	cut := errors.New("connection reset")
	for _, s := range []string{`{"a":`, `"abc`, `123`, `  `} {
		r := io.MultiReader(strings.NewReader(s), iotest.ErrReader(cut))
		_, err := New(r, 100).Value()
		assert.ErrorIs(t, err, cut, "%q", s)
	}
}

// countingReader counts what was read of r.
type countingReader struct {
	r    io.Reader
	read int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.read += n
	return n, err
}

// New reads a short stream whole, and as much of a long one as the buffer
// holds, before anything is scanned.
func TestNewReadsAhead(t *testing.T) {
	t.Parallel()
	short := `{"a":1}  `
	src := &countingReader{r: iotest.HalfReader(strings.NewReader(short))}
	sc := New(src, 64)
	defer sc.Release()
	assert.Equal(t, len(short), src.read, "read whole")
	v, err := sc.Value()
	require.NoError(t, err)
	assert.JSONEq(t, `{"a":1}`, string(v))
	require.NoError(t, sc.End())

	long := `"` + strings.Repeat("x", 100<<10) + `"`
	src = &countingReader{r: strings.NewReader(long)}
	sc2 := New(src, 200<<10)
	defer sc2.Release()
	assert.Equal(t, 32<<10, src.read, "as much as the buffer holds")
	v, err = sc2.Value()
	require.NoError(t, err)
	assert.Len(t, v, len(long))
}

// onceErr fails once, then ends, as a connection may.
type onceErr struct {
	err  error
	told bool
}

func (o *onceErr) Read([]byte) (int, error) {
	if o.told {
		return 0, io.EOF
	}
	o.told = true
	return 0, o.err
}

// An error met while reading ahead is reported where the scanner reaches
// it, not lost: the values before it come out whole.
func TestAnErrorIsKeptForLater(t *testing.T) {
	t.Parallel()
	reset := errors.New("connection reset")
	sc := New(io.MultiReader(strings.NewReader(`1, "ab`), &onceErr{err: reset}), 64)
	v, err := sc.Value()
	require.NoError(t, err)
	assert.Equal(t, "1", string(v))
	require.NoError(t, sc.Expect(','))
	_, err = sc.Value()
	assert.ErrorIs(t, err, reset)
}

// End tells the end of the stream from a stream that stops short of its
// length: io.ErrUnexpectedEOF from the reader is no end.
func TestEndIsTheStreamsEndOnly(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		r    io.Reader
		want error
	}{
		"the end":                {strings.NewReader(`{} `), nil},
		"cut in the white space": {io.MultiReader(strings.NewReader(`{} `), iotest.ErrReader(io.ErrUnexpectedEOF)), io.ErrUnexpectedEOF},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			sc := New(tc.r, 64)
			_, err := sc.Value()
			require.NoError(t, err)
			if tc.want == nil {
				assert.NoError(t, sc.End())
			} else {
				assert.ErrorIs(t, sc.End(), tc.want)
			}
		})
	}
}

// A string ends at the first quote after an even run of backslashes,
// wherever the quotes and backslashes fall in the words of eight bytes the
// scanner looks at, and however the stream is cut.
func TestStringsEndAtTheirQuote(t *testing.T) {
	t.Parallel()
	for pad := range 20 {
		for slashes := range 4 {
			// A quote inside is escaped, and a bracket after it would end
			// the object early if the quote were taken for the string's end.
			s := strings.Repeat("x", pad) + strings.Repeat(`\`, slashes) + `"}` + strings.Repeat(`\`, slashes) + `"]`
			b, err := json.Marshal(map[string]string{s: s})
			require.NoError(t, err)
			for name, r := range readers(string(b) + ` "tail"`) {
				got, err := values(t, r(), 1<<10)
				require.NoError(t, err, "%s %s", b, name)
				assert.Equal(t, []string{string(b), `"tail"`}, got, "%s %s", b, name)
			}
		}
	}
}

// A backslash at the end of the scanner's buffer (32 KiB) escapes the first
// byte of the next read, and an escaped backslash there escapes nothing.
func TestEscapesAcrossTheBuffer(t *testing.T) {
	t.Parallel()
	for pad := 32<<10 - 8; pad < 32<<10+2; pad++ {
		for _, tail := range []string{`\"}"`, `\\"`, `\\\"}"`} {
			v := `["` + strings.Repeat("x", pad) + tail + `]`
			got, err := values(t, strings.NewReader(v+` "tail"`), 1<<20)
			require.NoError(t, err, "pad %d %s", pad, tail)
			assert.Equal(t, []string{v, `"tail"`}, got, "pad %d %s", pad, tail)
		}
	}
}
