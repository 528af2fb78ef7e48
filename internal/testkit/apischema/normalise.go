package apischema

// This file holds Normalise, which turns the official vpn 1.0 document,
// written in the style of OpenAPI 3.0 under an "openapi: 3.1.0" header,
// into the OpenAPI 3.1 it claims to be.

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// booleanKeywords and integerKeywords are the keywords whose values the
// official document quotes ('true', '0') where OpenAPI 3.1 wants a
// boolean or an integer. Examples are left as they are: they are not
// validated, and the service is documented to send quoted numbers at
// times (API.md, quotas).
var (
	booleanKeywords = map[string]bool{"required": true, "explode": true, "nullable": true, "deprecated": true, "allowEmptyValue": true, "uniqueItems": true}
	integerKeywords = map[string]bool{"minimum": true, "maximum": true, "minLength": true, "maxLength": true, "minItems": true, "maxItems": true}
)

// Normalise returns the document in OpenAPI 3.1 form, changed in three ways
// and no other: the quoted booleans and integers of the keywords above are
// unquoted; "nullable: 'true'" next to "type: T" becomes "type: [T, 'null']";
// and every "nullable" line is removed. The rest of the text is kept as it
// is, line for line, so that a diff shows exactly these changes. It works
// on a document written in block style with one key and its scalar value
// per line, as the official one is, and says so when it meets another.
func Normalise(official []byte) ([]byte, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(official, &root); err != nil {
		return nil, fmt.Errorf("apischema: parsing the document: %w", err)
	}
	lines := bytes.Split(official, []byte("\n"))
	var edits []edit
	if err := collectEdits(&root, &edits); err != nil {
		return nil, err
	}
	// Right to left and bottom to top, so that an edit never moves the
	// position of one still to make.
	slices.SortFunc(edits, func(a, b edit) int {
		if a.line != b.line {
			return b.line - a.line
		}
		return b.column - a.column
	})
	for _, e := range edits {
		i := e.line - 1
		if e.deleteLine {
			lines = slices.Delete(lines, i, i+1)
			continue
		}
		start := e.column - 1
		if i >= len(lines) || start+len(e.old) > len(lines[i]) || string(lines[i][start:start+len(e.old)]) != e.old {
			return nil, fmt.Errorf("apischema: line %d: expected %q at column %d", e.line, e.old, e.column)
		}
		line := slices.Concat(lines[i][:start], []byte(e.new), lines[i][start+len(e.old):])
		lines[i] = line
	}
	return bytes.Join(lines, []byte("\n")), nil
}

// An edit replaces old, found at line and column (from 1), by new, or
// deletes the line.
type edit struct {
	line, column int
	old, new     string
	deleteLine   bool
}

// collectEdits adds the edits of n and everything below it.
func collectEdits(n *yaml.Node, edits *[]edit) error {
	for _, child := range n.Content {
		if err := collectEdits(child, edits); err != nil {
			return err
		}
	}
	if n.Kind != yaml.MappingNode {
		return nil
	}
	var nullable, typ *yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, value := n.Content[i], n.Content[i+1]
		if key.Value == "type" {
			typ = value
		}
		if value.Kind != yaml.ScalarNode || value.Tag != "!!str" {
			continue
		}
		if key.Line != value.Line {
			return fmt.Errorf("apischema: line %d: %s's value is not on its line", key.Line, key.Value)
		}
		if key.Value == "nullable" {
			nullable = value
			*edits = append(*edits, edit{line: key.Line, deleteLine: true})
			continue
		}
		quoted := value.Style == yaml.SingleQuotedStyle || value.Style == yaml.DoubleQuotedStyle
		_, isInt := strconv.Atoi(value.Value)
		switch {
		case !quoted:
		case booleanKeywords[key.Value] && (value.Value == "true" || value.Value == "false"),
			integerKeywords[key.Value] && isInt == nil:
			q := "'"
			if value.Style == yaml.DoubleQuotedStyle {
				q = `"`
			}
			*edits = append(*edits, edit{line: value.Line, column: value.Column, old: q + value.Value + q, new: value.Value})
		}
	}
	if nullable == nil || nullable.Value != "true" {
		return nil
	}
	if typ == nil || typ.Kind != yaml.ScalarNode || typ.Style != 0 {
		return fmt.Errorf("apischema: line %d: nullable without a single plain type, which Normalise cannot rewrite", nullable.Line)
	}
	*edits = append(*edits, edit{line: typ.Line, column: typ.Column, old: typ.Value, new: "[" + typ.Value + ", 'null']"})
	return nil
}
