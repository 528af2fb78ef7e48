package vpntest

// This file holds the validation of request bodies: JSON types, required
// fields and the documented field rules.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/scpsdk/scpvpn/internal/validate"
)

// Field rules, as the official Terraform provider and user guide document
// them; where the two disagree, the looser holds (names of 1 to 20
// characters, up to 20 remote subnets). Rules that no document states,
// such as no repeated values in a list, are not enforced: the fake refuses
// no more than the service is documented to.
const (
	nameMin, nameMax               = 1, 20
	dpdMin, dpdMax                 = 1, 3600
	lifeTimeMin, lifeTimeMax       = 120, 172800
	dhGroupsMin, dhGroupsMax       = 1, 3
	encryptionsMin, encryptionsMax = 1, 10
	pskMin, pskMax                 = 8, 64
	subnetsMin, subnetsMax         = 1, 20
)

// supportedDHGroups lists the Diffie-Hellman groups the service offers.
const supportedDHGroups = "1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 27, 28, 29, 30, 31, 32"

func isDHGroup(g int) bool {
	switch g {
	case 1, 2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 27, 28, 29, 30, 31, 32:
		return true
	}
	return false
}

// decodeBody checks the Content-Type and decodes the body of c, which must
// be a JSON object. Numbers are kept as json.Number so that integers can be
// told from other numbers.
func decodeBody(c *call) (*object, error) {
	ct := c.r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return nil, errorf(http.StatusBadRequest, codeInvalidBody, "Content-Type must be application/json, got %q", ct)
	}
	if len(bytes.TrimSpace(c.body)) == 0 {
		return nil, errorf(http.StatusBadRequest, codeInvalidBody, "a JSON request body is required")
	}
	dec := json.NewDecoder(bytes.NewReader(c.body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errorf(http.StatusBadRequest, codeInvalidBody, "malformed JSON body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errorf(http.StatusBadRequest, codeInvalidBody, "malformed JSON body: data after the top-level value")
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errorf(http.StatusBadRequest, codeInvalidBody, "the request body must be a JSON object, got %s", jsonType(v))
	}
	return &object{m: m, errs: new(fieldErrors)}, nil
}

// fieldErrors collects one message per bad field, all of them reported in
// one answer.
type fieldErrors []string

func (fe *fieldErrors) add(field, format string, args ...any) {
	*fe = append(*fe, field+": "+fmt.Sprintf(format, args...))
}

// err returns the collected errors as a 400, or nil.
func (fe *fieldErrors) err() error {
	if len(*fe) == 0 {
		return nil
	}
	return &apiError{status: http.StatusBadRequest, code: codeInvalidParameter, details: *fe}
}

// object is a JSON object being validated. Its accessors report whether a
// field is present (null counts as absent, every optional field of the API
// is nullable) and of the right type, recording an error otherwise.
type object struct {
	m    map[string]any
	path string // prefix of field names in messages, such as "phase1."
	errs *fieldErrors
}

func (o *object) field(name string) string { return o.path + name }

// has reports whether name is present and not null.
func (o *object) has(name string) bool { return o.m[name] != nil }

func (o *object) get(name string, required bool) (any, bool) {
	v := o.m[name]
	if v == nil {
		if required {
			o.errs.add(o.field(name), "is required")
		}
		return nil, false
	}
	return v, true
}

func (o *object) str(name string, required bool) (string, bool) {
	v, ok := o.get(name, required)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		o.errs.add(o.field(name), "must be a string, got %s", jsonType(v))
	}
	return s, ok
}

func (o *object) integer(name string, required bool) (int, bool) {
	v, ok := o.get(name, required)
	if !ok {
		return 0, false
	}
	n, ok := toInt(v)
	if !ok {
		o.errs.add(o.field(name), "must be an integer, got %s", jsonType(v))
	}
	return n, ok
}

func (o *object) integers(name string, required bool) ([]int, bool) {
	v, ok := o.get(name, required)
	if !ok {
		return nil, false
	}
	list, ok := v.([]any)
	if !ok {
		o.errs.add(o.field(name), "must be an array of integers, got %s", jsonType(v))
		return nil, false
	}
	out := make([]int, len(list))
	for i, item := range list {
		n, ok := toInt(item)
		if !ok {
			o.errs.add(fmt.Sprintf("%s[%d]", o.field(name), i), "must be an integer, got %s", jsonType(item))
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

func (o *object) strings(name string, required bool) ([]string, bool) {
	v, ok := o.get(name, required)
	if !ok {
		return nil, false
	}
	list, ok := v.([]any)
	if !ok {
		o.errs.add(o.field(name), "must be an array of strings, got %s", jsonType(v))
		return nil, false
	}
	out := make([]string, len(list))
	for i, item := range list {
		s, ok := item.(string)
		if !ok {
			o.errs.add(fmt.Sprintf("%s[%d]", o.field(name), i), "must be a string, got %s", jsonType(item))
			return nil, false
		}
		out[i] = s
	}
	return out, true
}

func (o *object) object(name string, required bool) (*object, bool) {
	v, ok := o.get(name, required)
	if !ok {
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		o.errs.add(o.field(name), "must be an object, got %s", jsonType(v))
		return nil, false
	}
	return &object{m: m, path: o.field(name) + ".", errs: o.errs}, true
}

// tags reads the optional tag list: objects with a key and a value, both
// strings (no document requires a key to be non-empty).
func (o *object) tags() []tag {
	v, ok := o.get("tags", false)
	if !ok {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		o.errs.add("tags", "must be an array of {key, value} objects, got %s", jsonType(v))
		return nil
	}
	out := make([]tag, 0, len(list))
	for i, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			o.errs.add(fmt.Sprintf("tags[%d]", i), "must be an object, got %s", jsonType(item))
			continue
		}
		t := &object{m: m, path: fmt.Sprintf("tags[%d].", i), errs: o.errs}
		key, kok := t.str("key", true)
		value, vok := t.str("value", true)
		if kok && vok {
			out = append(out, tag{key: key, value: value})
		}
	}
	return out
}

// toInt converts a decoded JSON number holding an integer.
func toInt(v any) (int, bool) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(num.String())
	return n, err == nil
}

// jsonType names the JSON type of a decoded value, for messages.
func jsonType(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		if _, err := strconv.Atoi(v.String()); err == nil {
			return "an integer"
		}
		return "the number " + v.String()
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// The rules below record an error for a bad value and report whether it
// was good.

func (o *object) checkName(name, s string) bool {
	n := utf8.RuneCountInString(s)
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			o.errs.add(o.field(name), "must contain only ASCII letters and digits, got %q", s)
			return false
		}
	}
	if n < nameMin || n > nameMax {
		o.errs.add(o.field(name), "must be %d to %d characters long, got %d", nameMin, nameMax, n)
		return false
	}
	return true
}

func (o *object) checkNotEmpty(name, s string) bool {
	if s == "" {
		o.errs.add(o.field(name), "must not be empty")
		return false
	}
	return true
}

func (o *object) checkRange(name string, n, lo, hi int) bool {
	if n < lo || n > hi {
		o.errs.add(o.field(name), "must be between %d and %d, got %d", lo, hi, n)
		return false
	}
	return true
}

func (o *object) checkIP(name, s string) bool {
	if _, ok := validate.ParseAddr(s); !ok {
		o.errs.add(o.field(name), "must be an IP address, got %q", s)
		return false
	}
	return true
}

// checkCIDR accepts a network in CIDR notation, host bits included
// (10.1.2.3/16 is 10.1.0.0/16).
func (o *object) checkCIDR(field, s string) bool {
	if _, ok := validate.ParsePrefix(s); !ok {
		o.errs.add(field, "must be a network in CIDR notation such as 10.1.0.0/16, got %q", s)
		return false
	}
	return true
}

func (o *object) checkDHGroups(name string, groups []int) bool {
	if len(groups) < dhGroupsMin || len(groups) > dhGroupsMax {
		o.errs.add(o.field(name), "must list %d to %d Diffie-Hellman groups, got %d", dhGroupsMin, dhGroupsMax, len(groups))
		return false
	}
	for _, g := range groups {
		if !isDHGroup(g) {
			o.errs.add(o.field(name), "unsupported Diffie-Hellman group %d; supported: %s", g, supportedDHGroups)
			return false
		}
	}
	return true
}

func (o *object) checkEncryptions(name string, encs []string) bool {
	if len(encs) < encryptionsMin || len(encs) > encryptionsMax {
		o.errs.add(o.field(name), "must list %d to %d proposals, got %d", encryptionsMin, encryptionsMax, len(encs))
		return false
	}
	for i, e := range encs {
		if e == "" {
			o.errs.add(fmt.Sprintf("%s[%d]", o.field(name), i), "must not be empty")
			return false
		}
	}
	return true
}

func (o *object) checkPSK(name, s string) bool {
	if n := utf8.RuneCountInString(s); n < pskMin || n > pskMax {
		// The length only: the key itself is a secret.
		o.errs.add(o.field(name), "must be %d to %d characters long, got %d", pskMin, pskMax, n)
		return false
	}
	return true
}

func (o *object) checkOneOf(name, s string, allowed ...string) bool {
	if !slices.Contains(allowed, s) {
		o.errs.add(o.field(name), "must be one of %q, got %q", allowed, s)
		return false
	}
	return true
}

// description reads the optional, nullable description.
func (o *object) description() (*string, bool) {
	s, ok := o.str("description", false)
	if !ok {
		return nil, false
	}
	return &s, true
}

// gatewayInput is a validated VpnGatewayCreateRequest.
type gatewayInput struct {
	name, ipAddress, ipID, ipType, vpcID string
	description                          *string
	tags                                 []tag
}

func parseGatewayCreate(o *object) gatewayInput {
	var in gatewayInput
	if s, ok := o.str("name", true); ok && o.checkName("name", s) {
		in.name = s
	}
	in.description, _ = o.description()
	if s, ok := o.str("ip_address", true); ok && o.checkIP("ip_address", s) {
		in.ipAddress = s
	}
	if s, ok := o.str("ip_id", true); ok && o.checkNotEmpty("ip_id", s) {
		in.ipID = s
	}
	if s, ok := o.str("ip_type", true); ok && o.checkOneOf("ip_type", s, "PUBLIC") {
		in.ipType = s
	}
	if s, ok := o.str("vpc_id", true); ok && o.checkNotEmpty("vpc_id", s) {
		in.vpcID = s
	}
	in.tags = o.tags()
	return in
}

// tunnelInput is a validated VpnTunnelCreateRequest (either version).
type tunnelInput struct {
	name, gatewayID string
	description     *string
	tags            []tag
	phase1          phase1
	phase2          phase2
}

func parseTunnelCreate(o *object, v apiVersion) tunnelInput {
	var in tunnelInput
	if s, ok := o.str("name", true); ok && o.checkName("name", s) {
		in.name = s
	}
	in.description, _ = o.description()
	if s, ok := o.str("vpn_gateway_id", true); ok && o.checkNotEmpty("vpn_gateway_id", s) {
		in.gatewayID = s
	}
	if p, ok := o.object("phase1", true); ok {
		p.parsePhase1(&in.phase1, true)
	}
	if p, ok := o.object("phase2", true); ok {
		p.parsePhase2(&in.phase2, true, v)
	}
	in.tags = o.tags()
	return in
}

// tunnelPatch is a validated VpnTunnelSetRequest applied to copies of a
// tunnel's phases.
type tunnelPatch struct {
	description *string
	phase1      phase1
	phase2      phase2
}

func parseTunnelSet(o *object, v apiVersion, t *tunnel) tunnelPatch {
	p := tunnelPatch{description: t.description, phase1: t.phase1.clone(), phase2: t.phase2.clone()}
	if d, ok := o.description(); ok {
		p.description = d
	}
	if ph, ok := o.object("phase1", false); ok {
		ph.parsePhase1(&p.phase1, false)
	}
	if ph, ok := o.object("phase2", false); ok {
		ph.parsePhase2(&p.phase2, false, v)
	}
	return p
}

// parsePhase1 sets on p the fields of a phase-1 create (required) or set
// request that are present and valid.
func (o *object) parsePhase1(p *phase1, required bool) {
	if n, ok := o.integer("dpd_retry_interval", required); ok && o.checkRange("dpd_retry_interval", n, dpdMin, dpdMax) {
		p.dpdRetryInterval = n
	}
	if n, ok := o.integer("ike_version", required); ok {
		if n == 1 || n == 2 {
			p.ikeVersion = n
		} else {
			o.errs.add(o.field("ike_version"), "must be 1 or 2, got %d", n)
		}
	}
	if s, ok := o.str("peer_gateway_ip", required); ok && o.checkIP("peer_gateway_ip", s) {
		p.peerGatewayIP = s
	}
	if g, ok := o.integers("phase1_diffie_hellman_groups", required); ok && o.checkDHGroups("phase1_diffie_hellman_groups", g) {
		p.dhGroups = g
	}
	if e, ok := o.strings("phase1_encryptions", required); ok && o.checkEncryptions("phase1_encryptions", e) {
		p.encryptions = e
	}
	if n, ok := o.integer("phase1_life_time", required); ok && o.checkRange("phase1_life_time", n, lifeTimeMin, lifeTimeMax) {
		p.lifeTime = n
	}
	if s, ok := o.str("pre_shared_key", required); ok && o.checkPSK("pre_shared_key", s) {
		p.preSharedKey = s
	}
}

// parsePhase2 sets on p the fields of a phase-2 create (required) or set
// request that are present and valid. Version 1.0 takes one remote_subnet,
// version 1.1 a list, remote_subnets; each refuses the other's.
func (o *object) parsePhase2(p *phase2, required bool, v apiVersion) {
	if s, ok := o.str("perfect_forward_secrecy", required); ok && o.checkOneOf("perfect_forward_secrecy", s, "ENABLE", "DISABLE") {
		p.pfs = s
	}
	if g, ok := o.integers("phase2_diffie_hellman_groups", required); ok && o.checkDHGroups("phase2_diffie_hellman_groups", g) {
		p.dhGroups = g
	}
	if e, ok := o.strings("phase2_encryptions", required); ok && o.checkEncryptions("phase2_encryptions", e) {
		p.encryptions = e
	}
	if n, ok := o.integer("phase2_life_time", required); ok && o.checkRange("phase2_life_time", n, lifeTimeMin, lifeTimeMax) {
		p.lifeTime = n
	}
	if v == v1Dot0 {
		if o.has("remote_subnets") {
			o.errs.add(o.field("remote_subnets"), "is not part of version %s, which takes one remote_subnet; use version %s for a list", v1Dot0, v1Dot1)
		}
		if s, ok := o.str("remote_subnet", required); ok && o.checkCIDR(o.field("remote_subnet"), s) {
			p.remoteSubnets = []string{s}
		}
		return
	}
	if o.has("remote_subnet") {
		o.errs.add(o.field("remote_subnet"), "is not part of version %s, which takes a list, remote_subnets", v1Dot1)
	}
	list, ok := o.strings("remote_subnets", required)
	if !ok {
		return
	}
	field := o.field("remote_subnets")
	if len(list) < subnetsMin || len(list) > subnetsMax {
		o.errs.add(field, "must list %d to %d networks, got %d", subnetsMin, subnetsMax, len(list))
		return
	}
	good := true
	for i, s := range list {
		good = o.checkCIDR(fmt.Sprintf("%s[%d]", field, i), s) && good
	}
	if good {
		p.remoteSubnets = list
	}
}
