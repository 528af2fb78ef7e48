package main

// This file holds the outputs shaped from the JSON that -o json prints:
// --jq (a jq expression, run in-process by gojq), --template (a Go
// text/template) and -o yaml. Each reads that JSON, secrets already
// replaced, so that all three show exactly what -o json would.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"text/template"

	"github.com/itchyny/gojq"
	"go.yaml.in/yaml/v3"
)

// shaper turns the JSON of a result into the chosen output.
type shaper struct {
	jq   *gojq.Code
	tmpl *template.Template
	yaml bool
}

// newShaper returns the shaper of the output flags, nil for -o json and
// -o table, which need none. A jq expression or template that does not
// compile is an error, as are flags that contradict each other.
func (a *app) newShaper() (*shaper, error) {
	switch {
	case a.jqExpr != "" && a.template != "":
		return nil, errors.New("--jq and --template both shape the output: give one")
	case (a.jqExpr != "" || a.template != "") && a.output == formatYAML:
		return nil, errors.New("--jq and --template read the JSON output: leave out -o yaml")
	case a.noHeader && (a.output != formatTable || a.jqExpr != "" || a.template != ""):
		return nil, errors.New("--no-header drops the headings of a table: it goes with -o table alone")
	case a.jqExpr != "":
		q, err := gojq.Parse(a.jqExpr)
		if err != nil {
			return nil, fmt.Errorf("--jq: %w", err)
		}
		code, err := gojq.Compile(q)
		if err != nil {
			return nil, fmt.Errorf("--jq: %w", err)
		}
		return &shaper{jq: code}, nil
	case a.template != "":
		tmpl, err := compileTemplate(a.template)
		if err != nil {
			return nil, fmt.Errorf("--template: %w", err)
		}
		return &shaper{tmpl: tmpl}, nil
	case a.output == formatYAML:
		return &shaper{yaml: true}, nil
	}
	return nil, nil
}

// print writes the shaped output of b, the JSON of a result as -o json
// prints it, secrets replaced.
func (s *shaper) print(p *printer, b []byte) error {
	b = p.scrub.bytes(b)
	if s.yaml {
		out, err := yamlOf(b)
		if err != nil {
			return err
		}
		return p.write(out)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber() // numbers as they were written, not float64
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("reading the JSON output: %w", err)
	}
	if s.tmpl != nil {
		out, err := runTemplate(p.ctx, s.tmpl, v, maxTemplateOutput)
		if err != nil {
			return fmt.Errorf("--template: %w", err)
		}
		return p.write([]byte(rawText(string(out))))
	}
	return s.runJQ(p, v)
}

// runJQ prints each value the jq expression yields for v: a string as it
// is (as jq -r and gh --jq print it), anything else as compact JSON, each
// on a line of its own.
func (s *shaper) runJQ(p *printer, v any) error {
	iter := s.jq.RunWithContext(p.ctx, v)
	for {
		r, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, ok := r.(error); ok {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return nil // halt: the expression's own way to stop
			}
			return fmt.Errorf("--jq: %w", err)
		}
		if str, ok := r.(string); ok {
			if err := p.write([]byte(rawText(str) + "\n")); err != nil {
				return err
			}
			continue
		}
		b, err := gojq.Marshal(r)
		if err != nil {
			return fmt.Errorf("--jq: %w", err)
		}
		if err := p.writeJSON(append(b, '\n')); err != nil {
			return err
		}
	}
}

// yamlOf returns the JSON b as YAML, keys in the order the JSON has them.
// A string holding a character unsafe for a terminal is double-quoted and
// the character written as a \u escape: the YAML means the same string.
func yamlOf(b []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	node, err := yamlNode(dec)
	if err != nil {
		return nil, fmt.Errorf("reading the JSON output: %w", err)
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(node); err != nil {
		return nil, fmt.Errorf("encoding YAML: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encoding YAML: %w", err)
	}
	// The encoder escapes controls itself, but not the bidirectional
	// characters, which it takes for printable: they are inside the
	// double-quoted strings marked by yamlString.
	return escapeUnsafe(out.Bytes()), nil
}

// yamlNode reads the next JSON value of dec as a YAML node.
func yamlNode(dec *json.Decoder) (*yaml.Node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		node := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if t == '{' {
			node = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		}
		for dec.More() {
			if node.Kind == yaml.MappingNode {
				key, err := dec.Token()
				if err != nil {
					return nil, err
				}
				name, _ := key.(string) // an object's keys are strings
				node.Content = append(node.Content, yamlString(name))
			}
			child, err := yamlNode(dec)
			if err != nil {
				return nil, err
			}
			node.Content = append(node.Content, child)
		}
		if _, err := dec.Token(); err != nil { // the closing delimiter
			return nil, err
		}
		return node, nil
	case string:
		return yamlString(t), nil
	case json.Number:
		tag := "!!float"
		if _, err := t.Int64(); err == nil {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: t.String()}, nil
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(t)}, nil
	case nil:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, nil
	}
	return nil, fmt.Errorf("unexpected JSON token %v", tok)
}

// yamlString is the node of the string s: double-quoted when it holds a
// character unsafe for a terminal, so that yamlOf can escape it.
func yamlString(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if indexUnsafe([]byte(s)) >= 0 {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}
