package vpntest

// This file holds the other error body of the API: the list of
// ValidationErrorModel ({ctx, loc, msg, type_}) that the documents declare
// for the 400s of the quota endpoints and of the subnet check, where every
// other error is {"errors": [...]}.

import (
	"net/http"
	"net/url"
	"strings"
)

// validationEntry is one ValidationErrorModel: where the bad value is
// (such as ["query", "remote_subnet"]), what is wrong, and the kind of
// problem. ctx, which no entry of the fake needs, is left out.
type validationEntry struct {
	Loc  []string `json:"loc"`
	Msg  string   `json:"msg"`
	Type string   `json:"type_"`
}

// validationError returns a 400 answered as the list of entries.
func validationError(entries ...validationEntry) *apiError {
	e := &apiError{status: http.StatusBadRequest, code: codeInvalidParameter, validation: entries}
	for _, v := range entries {
		e.details = append(e.details, strings.Join(v.Loc, ".")+": "+v.Msg)
	}
	return e
}

// missingParam is the entry of a required query parameter that is absent
// or empty.
func missingParam(name string) validationEntry {
	return validationEntry{Loc: []string{"query", name}, Msg: "field required", Type: "value_error.missing"}
}

// declaredQuery parses the query string of c, for the endpoints whose 400s
// are lists of ValidationErrorModel.
func (c *call) declaredQuery() (url.Values, error) {
	values, err := url.ParseQuery(c.r.URL.RawQuery)
	if err != nil {
		return nil, validationError(validationEntry{Loc: []string{"query"}, Msg: "malformed query string: " + err.Error(), Type: "value_error"})
	}
	return values, nil
}
