// Package query builds URL query strings that leave out zero values, so that
// an option the caller did not set is not sent at all.
package query

import (
	"net/url"
	"strconv"
)

// Values collects query parameters. The zero value is ready to use.
type Values struct {
	v url.Values
}

// Int adds name=n unless n is zero.
func (q *Values) Int(name string, n int) {
	if n != 0 {
		q.set(name, strconv.Itoa(n))
	}
}

// String adds name=s unless s is empty.
func (q *Values) String(name, s string) {
	if s != "" {
		q.set(name, s)
	}
}

func (q *Values) set(name, value string) {
	if q.v == nil {
		q.v = make(url.Values, 4)
	}
	q.v.Set(name, value)
}

// Encode returns the parameters in the form of a URL query, sorted by name,
// or "" when there are none.
func (q *Values) Encode() string {
	return q.v.Encode()
}
