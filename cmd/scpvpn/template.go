package main

// This file holds how --template runs: bounded as every command is, by
// --timeout and by SIGINT and SIGTERM, and with its output capped.
// text/template takes no context and may loop as long as it is told
// ({{range 100000}}{{range 100000}}{{end}}{{end}} writes nothing for
// minutes), so the command checks its context itself, in the template.

import (
	"bytes"
	"context"
	"fmt"
	"text/template"
	"text/template/parse"
)

// maxTemplateOutput bounds what --template may print: its output is built
// in memory, where its secrets are replaced and the characters unsafe for
// a terminal dropped, before any of it is written.
const maxTemplateOutput = 64 << 20

// outputTooLongError ends a template whose output would pass max bytes.
type outputTooLongError struct{ max int }

func (e *outputTooLongError) Error() string {
	if e.max%(1<<20) == 0 {
		return fmt.Sprintf("its output is larger than %d MiB: refused", e.max>>20)
	}
	return fmt.Sprintf("its output is larger than %d bytes: refused", e.max)
}

// stopFunc is the template function that the command calls at every turn
// of a range and at the start of every template, to stop when the
// command's context ends. It prints nothing, and the operator's template
// cannot call it: it is known only once the template is parsed.
const stopFunc = "_scpvpnStop"

// compileTemplate parses text as --template and makes it stoppable: a call
// of stopFunc starts every template it defines and the body of every
// range, which are the only ways a template repeats.
func compileTemplate(text string) (*template.Template, error) {
	tmpl, err := template.New("--template").Parse(text)
	if err != nil {
		return nil, err
	}
	stop, err := template.New("stop").Funcs(stopFuncs(context.Background())).Parse("{{" + stopFunc + "}}")
	if err != nil {
		return nil, err // cannot happen: the text is the command's
	}
	check := stop.Root.Nodes[0]
	for _, t := range tmpl.Templates() {
		if t.Tree != nil && t.Root != nil {
			addStops(t.Root, check)
			t.Root.Nodes = append([]parse.Node{check}, t.Root.Nodes...)
		}
	}
	return tmpl, nil
}

// addStops puts check first in the body of every range within list.
func addStops(list *parse.ListNode, check parse.Node) {
	if list == nil {
		return
	}
	for _, n := range list.Nodes {
		switch n := n.(type) {
		case *parse.RangeNode:
			addStops(n.List, check)
			addStops(n.ElseList, check)
			if n.List != nil {
				n.List.Nodes = append([]parse.Node{check}, n.List.Nodes...)
			}
		case *parse.IfNode:
			addStops(n.List, check)
			addStops(n.ElseList, check)
		case *parse.WithNode:
			addStops(n.List, check)
			addStops(n.ElseList, check)
		}
	}
}

// stopFuncs returns the template function that fails once ctx is done.
func stopFuncs(ctx context.Context) template.FuncMap {
	return template.FuncMap{stopFunc: func() (string, error) { return "", ctx.Err() }}
}

// runTemplate returns the output of tmpl on v, at most maxOutput bytes. It
// returns when ctx is done, with ctx's error, whatever the template is
// doing: the template stops at its next turn, and a template busy in one
// long call is left to finish alone, as the command ends right after.
func runTemplate(ctx context.Context, tmpl *template.Template, v any, maxOutput int) ([]byte, error) {
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := execTemplate(ctx, tmpl, v, maxOutput)
		done <- result{out, err}
	}()
	select {
	case <-ctx.Done():
		return nil, fmt.Errorf("stopped: %w", ctx.Err())
	case r := <-done:
		if r.err != nil && ctx.Err() != nil {
			return nil, fmt.Errorf("stopped: %w", ctx.Err())
		}
		return r.out, r.err
	}
}

// execTemplate runs tmpl on v, stopping at its next turn once ctx is done,
// or once its output would pass maxOutput bytes.
func execTemplate(ctx context.Context, tmpl *template.Template, v any, maxOutput int) ([]byte, error) {
	// A clone, so that the function bound to ctx is this run's alone.
	t, err := tmpl.Clone()
	if err != nil {
		return nil, err
	}
	out := &cappedBuffer{max: maxOutput}
	if err := t.Funcs(stopFuncs(ctx)).Execute(out, v); err != nil {
		return nil, err
	}
	return out.buf.Bytes(), nil
}

// cappedBuffer is a buffer that refuses to grow beyond max bytes.
type cappedBuffer struct {
	buf bytes.Buffer
	max int
}

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.buf.Len()+len(p) > b.max {
		return 0, &outputTooLongError{max: b.max}
	}
	return b.buf.Write(p)
}
