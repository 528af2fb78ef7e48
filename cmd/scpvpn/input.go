package main

// This file holds how create and set read their request: a JSON file in
// the API's field names, decoded strictly into the SDK's request type
// (each field given once: duplicates.go).

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// maxRequestFile bounds a request file: the largest request is a few KiB.
const maxRequestFile = 1 << 20

// readRequest decodes the JSON object in file ("-" for standard input)
// into req. A field that req does not have, a value of the wrong type,
// anything after the object and a field given twice (in any case, at any
// depth) are refused: a misspelt field, or one of two values, must not be
// dropped silently. what names the request in messages, such as "a VPN
// tunnel create request of API version 1.1". Every error is a usage error
// but that of ctx done before the file was read, and none quotes the file.
// The pre-shared keys the file holds are added to the scrubber before
// anything else is done with it.
func (a *app) readRequest(ctx context.Context, file, what string, req any) error {
	name, b, err := a.readFile(ctx, file)
	switch {
	case err != nil && ctx.Err() != nil && errors.Is(err, ctx.Err()):
		return err // interrupted, or out of time: a failure
	case err != nil:
		return usageError(err)
	}
	a.scrub.add(preSharedKeys(b)...)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(req); err != nil {
		return usageError(fmt.Errorf("%s: %s", name, jsonProblem(err, b, what)))
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return usageError(fmt.Errorf("%s: more follows the JSON object; want %s alone", name, what))
	}
	if err := duplicateMember(b); err != nil {
		return usageError(fmt.Errorf("%s: %w", name, err))
	}
	return nil
}

// readFile returns the name to give file in messages and its content. It
// gives up when ctx is done: standard input, or a named pipe, may never
// end, and a signal must still stop the command.
func (a *app) readFile(ctx context.Context, file string) (string, []byte, error) {
	name := "standard input"
	if file != "-" {
		name = file
	}
	type read struct {
		b   []byte
		err error
	}
	done := make(chan read, 1)
	go func() {
		b, err := a.read(file)
		done <- read{b, err}
	}()
	var b []byte
	var err error
	select {
	case <-ctx.Done():
		return "", nil, fmt.Errorf("reading the request from %s: %w", name, ctx.Err())
	case r := <-done:
		b, err = r.b, r.err
	}
	switch {
	case err != nil: // which names the file
		return "", nil, fmt.Errorf("reading the request: %w", err)
	case len(b) > maxRequestFile:
		return "", nil, fmt.Errorf("%s: longer than %d bytes; a request is a few KiB", name, maxRequestFile)
	}
	return name, b, nil
}

// read returns the first maxRequestFile+1 bytes of file, "-" for standard
// input. Opening a named pipe blocks too.
func (a *app) read(file string) ([]byte, error) {
	r := a.stdin
	if file != "-" {
		f, err := os.Open(file) //nolint:gosec // the file the user named
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	return io.ReadAll(io.LimitReader(r, maxRequestFile+1))
}

// jsonProblem says what is wrong with the JSON b, without quoting it: a
// request file holds a pre-shared key.
func jsonProblem(err error, b []byte, what string) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return "empty; want " + what + " as a JSON object"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "the JSON ends before it is complete"
	case errors.As(err, &syn):
		line, col := position(b, syn.Offset)
		return fmt.Sprintf("not valid JSON (line %d, column %d)", line, col)
	case errors.As(err, &typ):
		kind, _, _ := strings.Cut(typ.Value, " ") // "number 123" would quote the value
		if typ.Field == "" {
			return fmt.Sprintf("want %s as a JSON object, not a JSON %s", what, kind)
		}
		return fmt.Sprintf("%q cannot be a JSON %s", typ.Field, kind)
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return fmt.Sprintf("unknown field %s: %s has no such field", field, what)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// position returns the line and column (from 1) of the last character
// read when a syntax error was found after offset bytes: the character at
// fault. Columns count characters, not bytes: encoding/json of Go 1.26
// puts the offset after the first byte of a character it refuses, that of
// Go 1.27 after the whole character.
func position(b []byte, offset int64) (line, col int) {
	before := b[:min(max(offset, 0), int64(len(b)))]
	line = bytes.Count(before, []byte("\n")) + 1
	col = utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:])
	return line, col
}

// preSharedKeys returns the values of every pre_shared_key member in the
// JSON b, at any depth and of any type; none when b does not parse. A
// member is matched as encoding/json matches it to a field, whatever its
// case (PRE_SHARED_KEY is sent as the pre-shared key too).
func preSharedKeys(b []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	var keys []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if strings.EqualFold(k, "pre_shared_key") {
					keys = append(keys, fmt.Sprint(x))
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return keys
}
