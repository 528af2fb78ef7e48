// Package jsontime decodes the API's timestamps, which come with or without a
// zone and with or without fractional seconds.
package jsontime

import (
	"errors"
	"strconv"
	"time"
)

// Time is a time.Time that decodes leniently. A value without a zone is UTC,
// as the official SDK reads it.
type Time struct {
	time.Time
}

// layouts are tried in order; the first is what the API documents.
var layouts = [...]string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
}

// UnmarshalJSON accepts a JSON string in one of the layouts, or null (the
// zero time).
func (t *Time) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		t.Time = time.Time{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return errors.New("timestamp is not a JSON string")
	}
	v, err := Parse(string(b[1 : len(b)-1]))
	if err != nil {
		return err
	}
	t.Time = v
	return nil
}

// Parse reads s in one of the accepted layouts.
func Parse(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range layouts {
		v, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		// Outside RFC 3339's own layout time.Parse takes offsets of 24 hours
		// and more, which no zone has and which time.Time cannot encode
		// again (the model could not be re-encoded).
		if _, offset := v.Zone(); offset <= -24*60*60 || offset >= 24*60*60 {
			continue
		}
		return v, nil
	}
	return time.Time{}, errors.New("timestamp " + quote(s) + " is not RFC 3339")
}

// quote bounds what an error repeats of hostile input.
func quote(s string) string {
	const limit = 40
	if len(s) > limit {
		s = s[:limit] + "…"
	}
	return strconv.Quote(s)
}
