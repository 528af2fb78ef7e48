package jsonscan

// Tests of DuplicateName: a member given twice is found in any object, at
// any depth, under every spelling that encoding/json reads as one name,
// and nothing else is taken for one.

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDuplicateName(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		`{"a": 1, "b": 2}`: "",
		`{"a": 1, "a": 2}`: "a",
		`{"x": {"state": "ACTIVE", "state": "DELETED"}}`: "state",
		`{"x": {"a": 1}, "y": {"a": 1}}`:                 "", // one name in two objects
		`{"a": {"a": {"a": 1}}}`:                         "", // and nested
		`[{"a": 1}, {"a": 2}]`:                           "",
		`{"a": [{"b": 1}, {"b": 2}], "b": 3}`:            "",
		`{"a": "a", "b": "a"}`:                           "", // values are not names
		`{"a": ["a", "a"]}`:                              "",
		`{"State": 1, "state": 2}`:                       "state",
		`{"\u0073tate": 1, "state": 2}`:                  "state",
		`{"s\/t": 1, "s/t": 2}`:                          "s/t",
		"{\"k\": 1, \"\u212a\": 2}":                      "\u212a",  // the Kelvin sign folds to k
		"{\"s\": 1, \"\u017f\": 2}":                      "\u017f",  // and the long s to s
		"{\"a\xff\": 1, \"a\xfe\": 2}":                   "a\ufffd", // both are a U+FFFD to encoding/json
		`{"a\"}": {"a": 1}, "a": 2}`:                     "",        // an escaped quote ends no name
		`{"a": "}{\"", "a\\": 1, "b": {}, "b2": []}`:     "",
		`{"a": 1, "b": {"c": 1}, "a": 2}`:                "a", // the outer object's, after an inner one closed
		`{"a":1,"b":2,"c":3,"a":4}`:                      "a",
		` { "a" : 1 , "a" : 2 } `:                        "a",
		`{}`:                                             "",
		`[]`:                                             "",
		`"a"`:                                            "",
		`{"a": 1, "a`:                                    "", // cut short: for encoding/json to refuse
		`{"a" 1 "a" 2}`:                                  "", // not JSON: no key after the first without a comma
	} {
		got, found := DuplicateName([]byte(text))
		assert.Equal(t, want != "", found, "%s", text)
		assert.Equal(t, want, got, "%s", text)
	}
}

// TestDuplicateNameAgreesWithEncodingJSON: every pair of names that
// DuplicateName takes for one, encoding/json reads into one field, and
// every pair it tells apart, not.
func TestDuplicateNameAgreesWithEncodingJSON(t *testing.T) {
	t.Parallel()
	spellings := []string{"state", "State", "STATE", `\u0073tate`, "stat\u212a", "k", "K", "\u212a", "s", "\u017f", "S", "x", "st", "\u00df", "\u1e9e"}
	for _, a := range spellings {
		for _, b := range spellings {
			text := `{"` + a + `": 1, "` + b + `": 2}`
			_, dup := DuplicateName([]byte(text))
			// A struct whose one field is named a: encoding/json sets it
			// from b as well exactly when it reads b as a.
			var name string
			require.NoError(t, json.Unmarshal([]byte(`"`+a+`"`), &name))
			typ := reflect.StructOf([]reflect.StructField{{Name: "F", Type: reflect.TypeFor[int](), Tag: reflect.StructTag(`json:"` + name + `"`)}})
			v := reflect.New(typ)
			require.NoError(t, json.Unmarshal([]byte(`{"`+b+`": 2}`), v.Interface()), text)
			assert.Equal(t, v.Elem().Field(0).Int() == 2, dup, "%s", text)
		}
	}
}

// A hostile object of many members costs a map, not a comparison of each
// with each: this one of 200,000 members would take minutes that way.
func TestDuplicateNameOfAHugeObject(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("{")
	const n = 200000
	for i := range n {
		fmt.Fprintf(&b, `"m%d":%d,`, i, i)
	}
	text := b.String()
	_, found := DuplicateName([]byte(text + `"end":0}`))
	assert.False(t, found)
	name, found := DuplicateName([]byte(text + `"M199999":0}`))
	assert.True(t, found)
	assert.Equal(t, "M199999", name)
}

// Nesting deeper than encoding/json reads is left to it.
func TestDuplicateNameDeepNesting(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat(`{"a":`, maxDepth+5) + "1" + strings.Repeat("}", maxDepth+5)
	_, found := DuplicateName([]byte(deep))
	assert.False(t, found)
	_, found = DuplicateName([]byte(`{"a":1,"b":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `,"a":2}`))
	assert.True(t, found)
}
