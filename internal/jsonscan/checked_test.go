package jsonscan

// Tests of CheckedValue: a value cut out whole, with a member given twice
// found in any object at any depth, under every spelling encoding/json
// reads as one name, however the stream is cut into chunks; exactly where
// DuplicateName finds one; and the bound and the end of the stream still
// reported first.

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checked reads one value of s with CheckedValue, and returns it with the
// name given twice ("" when none).
func checked(t *testing.T, r io.Reader, max int) (value, dup string, err error) {
	t.Helper()
	sc := New(r, max)
	defer sc.Release()
	v, err := sc.CheckedValue()
	if d, ok := errors.AsType[*DuplicateError](err); ok {
		return string(v), d.Name, nil
	}
	return string(v), "", err
}

func TestCheckedValueFindsMembersGivenTwice(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		`{"a": 1, "b": 2}`: "",
		`{"a": 1, "a": 2}`: "a",
		`{"x": {"state": "ACTIVE", "state": "DELETED"}}`: "state",
		`[{"id": "g", "x": [{"a": 1, "a": 2}]}]`:         "a", // deep in an array
		`{"x": {"a": 1}, "y": {"a": 1}}`:                 "",  // one name in two objects
		`{"a": {"a": {"a": 1}}}`:                         "",  // and nested
		`[{"a": 1}, {"a": 2}]`:                           "",
		`{"a": [{"b": 1}, {"b": 2}], "b": 3}`:            "",
		`{"a": "a", "b": "a"}`:                           "", // values are not names
		`{"State": 1, "state": 2}`:                       "state",
		`{"a": 1, "\u0061": 2}`:                          "a", // equal once unescaped
		`{"\u0073tate": 1, "state": 2}`:                  "state",
		`{"s\/t": 1, "s/t": 2}`:                          "s/t",
		"{\"k\": 1, \"\u212a\": 2}":                      "\u212a", // the Kelvin sign folds to k
		`{"a\"}": {"a": 1}, "a": 2}`:                     "",       // an escaped quote ends no name
		`{"a\\": 1, "a": 2}`:                             "",       // an escaped backslash is part of the name
		`{"a\\\"": 1, "a\\\\": 2}`:                       "",
		`{"a": 1, "b": {"c": 1}, "a": 2}`:                "a", // the outer object's, after an inner one closed
		// Alike in length, first and last eight bytes, in either case:
		// the same print, told apart all the same.
		`{"created_at_of_X_the_gateway": 1, "created_at_of_Y_the_gateway": 2}`: "",
		`{"Created_At_Of_The_Gateway": 1, "created_at_of_the_gateway": 2}`:     "created_at_of_the_gateway",
		`{"_": 1, "\u007f": 2}`: "",
		`{"abc": 1, "ABC": 2}`:  "ABC",
		`{}`:                    "",
		`[]`:                    "",
	} {
		for name, r := range readers(text) {
			v, dup, err := checked(t, r(), 1<<10)
			require.NoError(t, err, "%s %s", text, name)
			assert.Equal(t, text, v, "%s %s: the value whole", text, name)
			assert.Equal(t, want, dup, "%s %s", text, name)
		}
	}
}

// An object of many members, past what is compared one by one, is
// checked all the same.
func TestCheckedValueOfAnObjectOfManyMembers(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("{")
	for i := range 1000 {
		fmt.Fprintf(&b, `"m%d":%d,`, i, i)
	}
	for last, want := range map[string]string{`"end":0}`: "", `"M999":0}`: "M999", `"m0":0}`: "m0"} {
		_, dup, err := checked(t, strings.NewReader(b.String()+last), 1<<20)
		require.NoError(t, err)
		assert.Equal(t, want, dup, last)
	}
}

// CheckedValue finds a member given twice exactly where DuplicateName
// does, in random values whose names are drawn from a few alike.
func TestCheckedValueAgreesWithDuplicateName(t *testing.T) {
	t.Parallel()
	names := []string{"a", "A", `\u0061`, "state", "STATE", "b\\\\", `b\"`, "k", "\u212a",
		"abcdefgh_X_ijklmnop", "abcdefgh_Y_ijklmnop", "ABCDEFGH_Y_IJKLMNOP", "}", "]", ":", ","}
	r := rand.New(rand.NewPCG(3, 4))
	var value func(depth int) string
	value = func(depth int) string {
		switch k := r.IntN(5); {
		case depth > 3 || k == 0:
			return `"` + names[r.IntN(len(names))] + `"`
		case k == 1:
			return fmt.Sprint(r.IntN(100))
		case k == 2:
			items := make([]string, r.IntN(4))
			for i := range items {
				items[i] = value(depth + 1)
			}
			return "[" + strings.Join(items, ",") + "]"
		}
		members := make([]string, r.IntN(5))
		for i := range members {
			members[i] = `"` + names[r.IntN(len(names))] + `": ` + value(depth+1)
		}
		return "{" + strings.Join(members, ", ") + "}"
	}
	dups := 0
	for range 2000 {
		text := value(0)
		want, _ := DuplicateName([]byte(text))
		for name, r := range readers(text) {
			v, dup, err := checked(t, r(), 1<<16)
			require.NoError(t, err, "%s %s", text, name)
			require.Equal(t, text, v, "%s %s", text, name)
			require.Equal(t, want, dup, "%s %s", text, name)
		}
		if want != "" {
			dups++
		}
	}
	assert.Greater(t, dups, 100, "values with a member given twice were tried")
}

// A value too large, or cut short, is reported so, even with a member
// given twice before the bound or the cut, as Value reports it.
func TestCheckedValueBoundsAndEnd(t *testing.T) {
	t.Parallel()
	large := `{"a":1,"a":2,"b":"` + strings.Repeat("x", 200) + `"}`
	for name, r := range readers(large) {
		_, _, err := checked(t, r(), 100)
		assert.ErrorIs(t, err, ErrTooLarge, name)
	}
	for name, r := range readers(`{"a":1,"a":2,"b":"` + strings.Repeat("x", 80) + `"}`) {
		_, dup, err := checked(t, r(), 100)
		require.NoError(t, err, "a value within the bound: %s", name)
		assert.Equal(t, "a", dup, name)
	}
	for _, s := range []string{`{"a":1,"a":2`, `{"a":1,"a":"x`, `[{"a":1,"a":2}`, `{"a":1,"a`} {
		for name, r := range readers(s) {
			_, _, err := checked(t, r(), 100)
			assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "%s %s", s, name)
		}
	}
}
