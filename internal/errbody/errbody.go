// Package errbody reads the details out of the API's error bodies.
package errbody

import (
	"encoding/json"
	"strconv"
	"strings"
)

// The API answers errors as {"errors":[{"detail": "text" | ["text", ...], ...}]};
// some version 1.0 400s are a bare list of {"loc": [...], "msg": "..."}.
type envelope struct {
	Errors []entry `json:"errors"`
}

type entry struct {
	Code    string          `json:"code"`
	Title   string          `json:"title"`
	Message string          `json:"message"`
	Detail  json.RawMessage `json:"detail"`
}

type validationEntry struct {
	Loc []any  `json:"loc"`
	Msg string `json:"msg"`
}

// Details returns the human-readable details of an error body, in order, or
// nil when the body has none it can read. It never fails: an error body is
// only ever a hint.
func Details(body []byte) []string {
	body = trimSpace(body)
	if len(body) == 0 {
		return nil
	}
	switch body[0] {
	case '{':
		var env envelope
		if json.Unmarshal(body, &env) != nil {
			return nil
		}
		var out []string
		for _, e := range env.Errors {
			out = append(out, e.details()...)
		}
		return out
	case '[':
		var list []validationEntry
		if json.Unmarshal(body, &list) != nil {
			return nil
		}
		var out []string
		for _, v := range list {
			if d := v.detail(); d != "" {
				out = append(out, d)
			}
		}
		return out
	}
	return nil
}

func (e entry) details() []string {
	var texts []string
	var one string
	if json.Unmarshal(e.Detail, &one) == nil {
		if one != "" {
			texts = []string{one}
		}
	} else {
		var many []string
		if json.Unmarshal(e.Detail, &many) == nil {
			for _, s := range many {
				if s != "" {
					texts = append(texts, s)
				}
			}
		}
	}
	if len(texts) == 0 {
		switch {
		case e.Message != "":
			texts = []string{e.Message}
		case e.Title != "":
			texts = []string{e.Title}
		}
	}
	if e.Code == "" {
		return texts
	}
	if len(texts) == 0 {
		return []string{e.Code}
	}
	for i, t := range texts {
		if !strings.Contains(t, e.Code) {
			texts[i] = e.Code + ": " + t
		}
	}
	return texts
}

func (v validationEntry) detail() string {
	var path []string
	for _, p := range v.Loc {
		switch p := p.(type) {
		case string:
			path = append(path, p)
		case float64:
			path = append(path, strconv.FormatFloat(p, 'f', -1, 64))
		}
	}
	switch {
	case len(path) == 0:
		return v.Msg
	case v.Msg == "":
		return strings.Join(path, ".")
	}
	return strings.Join(path, ".") + ": " + v.Msg
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\n' || b[0] == '\r' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}
