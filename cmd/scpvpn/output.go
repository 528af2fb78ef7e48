package main

// This file holds the output: the API's JSON (-o json) or aligned columns
// (-o table), for one value or a stream of them.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"
	"text/tabwriter"
	"unicode"
)

// printer writes results on standard output, every write scrubbed.
type printer struct {
	w     io.Writer
	json  bool
	scrub *scrubber
}

// column is one column of a table: its heading and its cell of a value.
type column[T any] struct {
	heading string
	cell    func(*T) string
}

// printOne prints a single value: a JSON object, or a table of one row.
func printOne[T any](p *printer, v *T, cols []column[T]) error {
	if p.json {
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("encoding the answer: %w", err)
		}
		return p.write(append(b, '\n'))
	}
	t := newTable(p, cols)
	t.row(v)
	return t.flush()
}

// printAll prints the values seq yields: a JSON array whose elements are
// written as they come, or a table once every row is known (its columns
// are aligned over all rows). When seq fails, the error is returned and
// what was printed is left as it is: a JSON array is not closed, so that a
// partial list cannot pass for a whole one.
func printAll[T any](p *printer, seq iter.Seq2[*T, error], cols []column[T]) error {
	if !p.json {
		t := newTable(p, cols)
		for v, err := range seq {
			if err != nil {
				return err
			}
			t.row(v)
		}
		return t.flush()
	}
	n := 0
	for v, err := range seq {
		if err != nil {
			return err
		}
		b, err := json.MarshalIndent(v, "  ", "  ")
		if err != nil {
			return fmt.Errorf("encoding the answer: %w", err)
		}
		sep := ",\n  "
		if n == 0 {
			sep = "[\n  "
		}
		if err := p.write(append([]byte(sep), b...)); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return p.write([]byte("[]\n"))
	}
	return p.write([]byte("\n]\n"))
}

func (p *printer) write(b []byte) error {
	if _, err := p.w.Write(p.scrub.bytes(b)); err != nil {
		return fmt.Errorf("writing the output: %w", err)
	}
	return nil
}

// table collects the rows of a table, aligned by text/tabwriter.
type table[T any] struct {
	p    *printer
	cols []column[T]
	buf  bytes.Buffer
	tw   *tabwriter.Writer
}

// newTable starts a table with its headings.
func newTable[T any](p *printer, cols []column[T]) *table[T] {
	t := &table[T]{p: p, cols: cols}
	t.tw = tabwriter.NewWriter(&t.buf, 0, 0, 3, ' ', 0)
	headings := make([]string, len(cols))
	for i, c := range cols {
		headings[i] = c.heading
	}
	t.line(headings)
	return t
}

// row adds the row of v.
func (t *table[T]) row(v *T) {
	cells := make([]string, len(t.cols))
	for i, c := range t.cols {
		cells[i] = c.cell(v)
	}
	t.line(cells)
}

func (t *table[T]) line(cells []string) {
	for i, c := range cells {
		if c = t.p.scrub.clean(c); c == "" {
			c = "-"
		}
		cells[i] = c
	}
	_, _ = io.WriteString(t.tw, strings.Join(cells, "\t")+"\n") // into a bytes.Buffer: cannot fail
}

// flush prints the table.
func (t *table[T]) flush() error {
	_ = t.tw.Flush() // into a bytes.Buffer: cannot fail
	return t.p.write(t.buf.Bytes())
}

// cleanCell makes what the server sent safe for a cell: white space
// (tabs, new lines) becomes a space, so that it cannot break the table,
// and other control and format characters (such as bidirectional
// overrides) are dropped, so that they cannot reach the terminal.
func cleanCell(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, s)
}
