package main

// This file holds the tests of duplicateMember: a member given twice in
// one object, at any depth and in any case, is found; the same name in
// different objects, and JSON it cannot read, are left alone.

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDuplicateMember(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		json string
		want string // the error; "" for none
	}{
		{`{"name": "a", "name": "b"}`, `field "name" given twice; give each field once`},
		{`{"description": "a", "Description": "b"}`, `field "description" given twice, as "description" and "Description" (a field's name matches in any case); give each field once`},
		{`{"NAME": 1, "name": 2}`, `field "NAME" given twice, as "NAME" and "name"`},
		// Unicode simple folding, as encoding/json matches: the Kelvin sign
		// is K, the long s is S.
		{`{"ike_version": 2, "i\u212Ae_version": 1}`, `field "ike_version" given twice, as "ike_version" and "i\u212ae_version"`},
		{`{"description": "a", "de\u017Fcription": "b"}`, `field "description" given twice`},
		{`{"": 1, "": 2}`, `field "" given twice`},
		// At any depth, named by its path.
		{`{"phase1": {"pre_shared_key": "k1", "ike_version": 2, "pre_shared_key": "k2"}}`, `field "phase1.pre_shared_key" given twice;`},
		{`{"name": "a", "phase2": {"remote_subnets": ["10.0.0.0/8"], "Remote_Subnets": []}}`, `field "phase2.remote_subnets" given twice, as "remote_subnets" and "Remote_Subnets"`},
		{`{"a": [{"x": 1}, {"y": [1, {"z": 1, "Z": 2}]}]}`, `field "a[1].y[1].z" given twice`},
		{`{"a": {"b": {}}, "c": [[], [{}]], "a": 1}`, `field "a" given twice`},
		{`[{"x": 1}, {"x": 2, "x": 3}]`, `field "[1].x" given twice`},
		// Each object has its own names; values are not names.
		{`{"name": "name", "phase1": {"name": "x", "phase1": {}}, "phase2": {"name": "y"}}`, ``},
		{`{"a": [{"x": 1}, {"x": 2}], "b": ["a", "A"], "c": {"a": {"a": 1}}}`, ``},
		{`{"description": "a", "descriptions": "b", "des": "c"}`, ``},
		{`{"a": {}, "A0": [], "b": null}`, ``},
		// Not JSON, or not an object: left to the decoder's message.
		{`{"name": "a", "name"`, ``},
		{`{"name": "a" "name": "b"}`, ``},
		{`{"name": "a", "name": "b"`, ``},
		{`{"name": "a", "name": "b"}}`, ``},
		{`"name"`, ``},
		{``, ``},
	} {
		err := duplicateMember([]byte(tc.json))
		if tc.want == "" {
			assert.NoError(t, err, "%s", tc.json)
			continue
		}
		require.Error(t, err, "%s", tc.json)
		assert.Contains(t, err.Error(), tc.want, "%s", tc.json)
	}
}

// Names that encoding/json matches to one field fold to the same, and
// names it tells apart do not: checked against encoding/json itself.
func TestFoldNameMatchesEncodingJSON(t *testing.T) {
	t.Parallel()
	type request struct {
		Field string `json:"ike_version"`
	}
	for _, name := range []string{"ike_version", "IKE_VERSION", "Ike_Version", "i\u212Ae_version", "ike_ver\u017Fion", "ike-version", "ikeversion", "ike_versioN ", "ıke_version", "İke_version"} {
		var r request
		require.NoError(t, json.Unmarshal([]byte(`{"`+name+`": "x"}`), &r))
		matched := r.Field == "x"
		assert.Equal(t, matched, foldName(name) == foldName("ike_version"), "%q: encoding/json matches it: %v", name, matched)
	}
}
