package main

// This file holds the tests of how --template runs, in the process: the
// checks the command adds stop a template that loops or recurses once the
// context ends, print nothing and change nothing else, and the output is
// capped. review2_cli_test.go runs the built command under --timeout and
// SIGTERM.

import (
	"context"
	"strings"
	"testing"
	"text/template"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hangBound is how long a template is given to stop once its context has
// ended: generous, it only catches one that does not stop.
const hangBound = 20 * time.Second

// execBounded runs execTemplate on tmpl in ctx, failing the test if it has
// not returned within hangBound. It runs the template itself, not the
// goroutine of runTemplate, which returns whatever the template does.
func execBounded(ctx context.Context, t *testing.T, text string, v any) ([]byte, error) {
	t.Helper()
	tmpl, err := compileTemplate(text)
	require.NoError(t, err)
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := execTemplate(ctx, tmpl, v, maxTemplateOutput)
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		return r.out, r.err
	case <-time.After(hangBound):
		t.Fatalf("the template %s did not stop %s after its context ended", text, hangBound)
		return nil, nil
	}
}

// A template that loops without printing, or recurses without a range
// (2^60 calls), stops at its next turn once the context ends: the
// command's checks are in every range and every template it defines.
func TestTemplateStopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	for name, text := range map[string]string{
		"range":     `{{range 100000}}{{range 100000}}{{end}}{{end}}done`,
		"range var": `{{range $i, $x := .}}{{range 100000}}{{range 100000}}{{end}}{{end}}{{end}}done`,
		"else":      `{{if false}}{{else}}{{with .}}{{range 100000}}{{range 100000}}{{end}}{{end}}{{end}}{{end}}done`,
		"recursion": `{{define "a"}}{{if .}}{{template "a" (slice . 1)}}{{template "a" (slice . 1)}}{{end}}{{end}}` +
			`{{template "a" "` + strings.Repeat("x", 60) + `"}}done`,
		"block": `{{block "b" .}}{{range 100000}}{{range 100000}}{{end}}{{end}}{{end}}done`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// Not a timing assertion: the context ends while the template
			// runs or before it starts; either way it must stop.
			ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
			defer cancel()
			out, err := execBounded(ctx, t, text, []any{1})
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NotContains(t, string(out), "done")

			out, err = runTemplate(ctx, mustCompile(t, text), []any{1}, maxTemplateOutput)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Equal(t, "stopped: context deadline exceeded", err.Error())
			assert.Empty(t, out)
		})
	}
}

// The checks print nothing and change nothing else: ranges with their
// else, break and continue, defined templates and blocks work as they do
// without them.
func TestTemplateChecksPrintNothing(t *testing.T) {
	t.Parallel()
	v := []any{map[string]any{"id": "a", "n": 1}, map[string]any{"id": "b", "n": 2}, map[string]any{"id": "c", "n": 3}}
	for text, want := range map[string]string{
		`{{range .}}{{.id}} {{end}}`: "a b c ",
		`{{range $i, $g := .}}{{if eq $i 1}}{{continue}}{{end}}{{$g.id}}{{end}}`: "ac",
		`{{range .}}{{if eq .id "b"}}{{break}}{{end}}{{.id}}{{end}}`:             "a",
		`{{range slice . 0 0}}x{{else}}none{{end}}`:                              "none",
		`{{define "g"}}<{{.id}}>{{end}}{{range .}}{{template "g" .}}{{end}}`:     "<a><b><c>",
		`{{block "n" .}}{{len .}}{{end}}`:                                        "3",
		`{{range 3}}{{.}}{{end}}`:                                                "012",
		``:                                                                       "",
	} {
		out, err := execBounded(t.Context(), t, text, v)
		require.NoError(t, err, text)
		assert.Equal(t, want, string(out), text)
	}
}

// A template whose output would pass the bound is an error: it is built
// in memory.
func TestTemplateOutputIsCapped(t *testing.T) {
	t.Parallel()
	tmpl := mustCompile(t, `{{range 100000}}{{range 100000}}0123456789{{end}}{{end}}`)
	_, err := runTemplate(t.Context(), tmpl, nil, 1000)
	var tooLong *outputTooLongError
	require.ErrorAs(t, err, &tooLong)
	assert.EqualError(t, err, "its output is larger than 1000 bytes: refused")
	assert.EqualError(t, &outputTooLongError{max: maxTemplateOutput}, "its output is larger than 64 MiB: refused")

	out, err := runTemplate(t.Context(), mustCompile(t, `{{range 100}}0123456789{{end}}`), nil, 1000)
	require.NoError(t, err, "exactly the bound")
	assert.Len(t, out, 1000)
}

// mustCompile compiles text as --template.
func mustCompile(t *testing.T, text string) *template.Template {
	t.Helper()
	tmpl, err := compileTemplate(text)
	require.NoError(t, err)
	return tmpl
}
