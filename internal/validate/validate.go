// Package validate checks request fields against the rules the API and
// SCP's Terraform provider document, collecting every problem rather than
// stopping at the first, and never repeating a value (it may be a secret).
// It refuses only what the service is documented to refuse: where sources
// disagree, the looser rule holds, and a rule no source states (host bits
// in a CIDR, repeated values in a list, leading zeros in an address) is the
// service's to enforce.
package validate

import (
	"strconv"
	"unicode/utf8"
)

// Problem is one broken rule.
type Problem struct {
	Field   string
	Problem string
}

// Problems collects broken rules. The zero value is ready to use.
type Problems struct {
	List []Problem
}

// Add records a problem with field.
func (p *Problems) Add(field, problem string) {
	p.List = append(p.List, Problem{Field: field, Problem: problem})
}

// Required records a missing value.
func (p *Problems) Required(field, v string) bool {
	if v == "" {
		p.Add(field, "is required")
		return false
	}
	return true
}

// Name checks a resource name: 1 to 20 ASCII letters and digits (the
// provider's rule; the user guide's 3 to 20 is the stricter source).
func (p *Problems) Name(field, v string) {
	if !p.Required(field, v) {
		return
	}
	if len(v) > 20 || !alnum(v) {
		p.Add(field, "must be 1 to 20 ASCII letters and digits")
	}
}

func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

// IP checks an IP address such as 123.0.0.1.
func (p *Problems) IP(field, v string) {
	if !ipAddress(v) {
		p.Add(field, "must be an IP address such as 123.0.0.1")
	}
}

// CIDR checks a subnet such as 10.1.0.0/16 (see ParsePrefix). Host bits
// (10.1.2.3/16) are the service's to judge.
func (p *Problems) CIDR(field, v string) {
	if _, ok := ParsePrefix(v); !ok {
		p.Add(field, "must be a CIDR such as 10.1.0.0/16")
	}
}

// ipAddress reports whether v is an IP address as ParseAddr reads it.
func ipAddress(v string) bool {
	_, ok := ParseAddr(v)
	return ok
}

// Range checks lo <= v <= hi.
func (p *Problems) Range(field string, v, lo, hi int) {
	if v < lo || v > hi {
		p.Add(field, "must be "+strconv.Itoa(lo)+" to "+strconv.Itoa(hi))
	}
}

// IKEVersion checks an IKE version: 1 or 2.
func (p *Problems) IKEVersion(field string, v int) {
	if v != 1 && v != 2 {
		p.Add(field, "must be 1 or 2")
	}
}

// dhGroups are the Diffie-Hellman groups SCP accepts.
var dhGroups = map[int]bool{
	1: true, 2: true, 5: true, 14: true, 15: true, 16: true, 17: true, 18: true, 19: true,
	20: true, 21: true, 27: true, 28: true, 29: true, 30: true, 31: true, 32: true,
}

// DHGroupList is the accepted groups, for messages.
const DHGroupList = "1, 2, 5, 14-21 or 27-32"

// DHGroups checks one to three groups from the accepted set.
func (p *Problems) DHGroups(field string, v []int) {
	if len(v) < 1 || len(v) > 3 {
		p.Add(field, "must hold 1 to 3 Diffie-Hellman groups")
		return
	}
	for _, g := range v {
		if !dhGroups[g] {
			p.Add(field, "has group "+strconv.Itoa(g)+"; groups must be "+DHGroupList)
			return
		}
	}
}

// Encryptions checks 1 to 10 non-empty proposals. The set of proposals is
// open (the API's own examples use names the provider does not list).
func (p *Problems) Encryptions(field string, v []string) {
	if len(v) < 1 || len(v) > 10 {
		p.Add(field, "must hold 1 to 10 proposals")
		return
	}
	for _, e := range v {
		if e == "" {
			p.Add(field, "must not hold an empty proposal")
			return
		}
	}
}

// PreSharedKey checks a pre-shared key's length, 8 to 64 characters,
// without ever quoting it.
func (p *Problems) PreSharedKey(field, v string) {
	if n := utf8.RuneCountInString(v); n < 8 || n > 64 {
		p.Add(field, "must be 8 to 64 characters")
	}
}

// OneOf checks that v is one of allowed.
func (p *Problems) OneOf(field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	msg := "must be "
	for i, a := range allowed {
		switch {
		case i == 0:
		case i == len(allowed)-1:
			msg += " or "
		default:
			msg += ", "
		}
		msg += a
	}
	p.Add(field, msg)
}

// Subnets checks 1 to max CIDRs.
func (p *Problems) Subnets(field string, v []string, maxSubnets int) {
	if len(v) < 1 || len(v) > maxSubnets {
		p.Add(field, "must hold 1 to "+strconv.Itoa(maxSubnets)+" CIDRs")
		return
	}
	for i, s := range v {
		p.CIDR(field+"["+strconv.Itoa(i)+"]", s)
	}
}

// ID checks a resource id used in a path: not empty, and not a dot
// segment that a server could resolve to another path. The id is escaped
// in the path, so nothing else in it can reach another path.
func (p *Problems) ID(field, v string) {
	switch v {
	case "":
		p.Add(field, "must not be empty")
	case ".", "..":
		p.Add(field, "must not be a dot segment")
	}
}
