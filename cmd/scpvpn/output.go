package main

// This file holds the output: the API's JSON (-o json), aligned columns
// (-o table), or what shape.go makes of the JSON, for one value or a
// stream of them.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"strings"
	"text/tabwriter"
)

// printer writes results on standard output, every write scrubbed.
type printer struct {
	ctx      context.Context // of the command, for --jq
	w        io.Writer
	format   string  // formatTable, formatJSON or formatYAML
	shape    *shaper // of --jq, --template or -o yaml; nil for none
	noHeader bool
	scrub    *scrubber
}

// column is one column of a table: its heading and its cell of a value.
type column[T any] struct {
	heading string
	cell    func(*T) string
}

// printOne prints a single value: a JSON object, its shaped output, or a
// table of one row.
func printOne[T any](p *printer, v *T, cols []column[T]) error {
	switch {
	case p.shape != nil:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("encoding the answer: %w", err)
		}
		return p.shape.print(p, b)
	case p.format == formatJSON:
		b, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			return fmt.Errorf("encoding the answer: %w", err)
		}
		return p.writeJSON(append(b, '\n'))
	}
	t := newTable(p, cols)
	t.row(v)
	return t.flush()
}

// printAll prints the values seq yields: a JSON array whose elements are
// written as they come, or a table once every row is known (its columns
// are aligned over all rows), or the shaped output of the whole array.
// When seq fails, the error is returned and what was printed is left as it
// is: a JSON array is not closed, so that a partial list cannot pass for a
// whole one.
func printAll[T any](p *printer, seq iter.Seq2[*T, error], cols []column[T]) error {
	switch {
	case p.shape != nil:
		all := []*T{} // [] when there is none
		for v, err := range seq {
			if err != nil {
				return err
			}
			all = append(all, v)
		}
		b, err := json.Marshal(all)
		if err != nil {
			return fmt.Errorf("encoding the answer: %w", err)
		}
		return p.shape.print(p, b)
	case p.format == formatJSON:
		return printArray(p, seq)
	}
	t := newTable(p, cols)
	for v, err := range seq {
		if err != nil {
			return err
		}
		t.row(v)
	}
	return t.flush()
}

// printArray prints the values seq yields as a JSON array, each element
// written as it comes.
func printArray[T any](p *printer, seq iter.Seq2[*T, error]) error {
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
		if err := p.writeJSON(append([]byte(sep), b...)); err != nil {
			return err
		}
		n++
	}
	if n == 0 {
		return p.write([]byte("[]\n"))
	}
	return p.write([]byte("\n]\n"))
}

// write prints b, secrets replaced.
func (p *printer) write(b []byte) error {
	if _, err := p.w.Write(p.scrub.bytes(b)); err != nil {
		return fmt.Errorf("writing the output: %w", err)
	}
	return nil
}

// writeJSON prints the JSON text b, secrets replaced, then the characters
// unsafe for a terminal escaped (in this order: a secret holding one is
// still found).
func (p *printer) writeJSON(b []byte) error {
	if _, err := p.w.Write(escapeUnsafe(p.scrub.bytes(b))); err != nil {
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
	if !p.noHeader {
		headings := make([]string, len(cols))
		for i, c := range cols {
			headings[i] = c.heading
		}
		t.line(headings)
	}
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
