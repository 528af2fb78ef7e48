package scpvpn

// The field walk the reflection tests of the request types' rules share
// (heldby_internal_test.go, madeas_internal_test.go,
// secretfields_internal_test.go): every leaf field of a request, found by
// reflection, mapped by its JSON name to the field of the resource that
// reads it back; and two requests of each type with every field set, a
// valid one and one whose every field differs from it. A field added to a
// request type is then walked by every test without being named, and a
// test fails until it is compared, listed as not comparable, or set in the
// fixtures.

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// field is a leaf field of a struct: not a struct of this package nor a
// pointer to one, which are walked into.
type field struct {
	index []int  // the field indexes from the top, through pointers
	name  string // the Go path, as Phase1.LifeTime
	json  string // the JSON path, as phase1.phase1_life_time
}

// ownPackage is the path of this package: its structs are walked into;
// others (time.Time) are leaves.
var ownPackage = reflect.TypeFor[Gateway]().PkgPath()

// leaves returns every leaf field of the struct type t, in order.
func leaves(t reflect.Type) []field {
	var out []field
	var walk func(t reflect.Type, index []int, name, json string)
	walk = func(t reflect.Type, index []int, name, json string) {
		for i := range t.NumField() {
			f := t.Field(i)
			idx := append(slices.Clone(index), i)
			n, j := joinPath(name, f.Name), joinPath(json, jsonName(f))
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft.PkgPath() == ownPackage {
				walk(ft, idx, n, j)
				continue
			}
			out = append(out, field{index: idx, name: n, json: j})
		}
	}
	walk(t, nil, "", "")
	return out
}

func joinPath(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

// jsonName is the name of f in JSON: its tag's, or its Go name.
func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

// at returns the field of v (an addressable struct) at index, allocating
// the structs that nil pointers on the way stand for when alloc is true; it
// returns the zero Value at a nil pointer otherwise.
func at(v reflect.Value, index []int, alloc bool) reflect.Value {
	for _, i := range index {
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !alloc {
					return reflect.Value{}
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(i)
	}
	return v
}

// resourcePath is the JSON path of the resource field that reads back a
// request field: a phase's fields drop the phase's prefix there
// (phase1.phase1_life_time is phase1.life_time).
func resourcePath(requestPath string) string {
	parts := strings.Split(requestPath, ".")
	for i := 1; i < len(parts); i++ {
		parts[i] = strings.TrimPrefix(parts[i], parts[i-1]+"_")
	}
	return strings.Join(parts, ".")
}

// fieldMap maps the leaf fields of a request type to those of the resource
// that reads them back.
type fieldMap struct {
	request  []field          // every leaf field of the request
	mapped   []field          // those the resource reads back
	resource map[string]field // by the request field's JSON path
}

// mapFields maps every leaf field of request R to the field of resource T
// that reads it back. A field that T has none for fails the test unless
// unmapped names it (with the reason it cannot be compared): so a field
// added to R cannot be left out silently.
func mapFields[R, T any](t *testing.T, unmapped map[string]string) fieldMap {
	t.Helper()
	byPath := map[string]field{}
	for _, f := range leaves(reflect.TypeFor[T]()) {
		byPath[f.json] = f
	}
	m := fieldMap{request: leaves(reflect.TypeFor[R]()), resource: map[string]field{}}
	for _, f := range m.request {
		if _, ok := unmapped[f.json]; ok {
			continue
		}
		r, ok := byPath[resourcePath(f.json)]
		if !ok {
			t.Errorf("%T.%s (%s): %T has no field %s to read it back; compare it with one, or list it here as not comparable, with the reason",
				*new(R), f.name, f.json, *new(T), resourcePath(f.json))
			continue
		}
		m.mapped = append(m.mapped, f)
		m.resource[f.json] = r
	}
	require.NotEmpty(t, m.mapped)
	return m
}

// readBack returns a resource that holds every value of request from that
// the resource reads back, but the one of field except (a JSON path), which
// it takes from request other; an unset field (a nil phase) leaves the
// resource's as it is.
func readBack[R, T any](m fieldMap, from, other *R, except string) *T {
	res := new(T)
	dst := reflect.ValueOf(res).Elem()
	for _, f := range m.mapped {
		src := from
		if f.json == except {
			src = other
		}
		v := at(reflect.ValueOf(src).Elem(), f.index, false)
		if !v.IsValid() {
			continue
		}
		if v.Kind() == reflect.Pointer { // a Set's *string: the resource's string
			if v.IsNil() {
				continue
			}
			v = v.Elem()
		}
		d := at(dst, m.resource[f.json].index, true)
		d.Set(v.Convert(d.Type()))
	}
	return res
}

// only returns a request that sets nothing but field f, as r does.
func only[R any](r *R, f field) *R {
	out := new(R)
	at(reflect.ValueOf(out).Elem(), f.index, true).Set(at(reflect.ValueOf(r).Elem(), f.index, false))
	return out
}

// with returns a copy of r whose field f is other's. Only the path down to
// f is copied: r itself is left as it is.
func with[R any](r, other *R, f field) *R {
	out := deepCopy(r)
	at(reflect.ValueOf(out).Elem(), f.index, true).Set(at(reflect.ValueOf(other).Elem(), f.index, false))
	return out
}

// without returns a copy of r whose field f is zero.
func without[R any](r *R, f field) *R {
	out := deepCopy(r)
	v := at(reflect.ValueOf(out).Elem(), f.index, true)
	v.Set(reflect.Zero(v.Type()))
	return out
}

// deepCopy copies r and the structs its pointers point to (the phases of a
// Set), so that changing a field of the copy leaves r as it is.
func deepCopy[R any](r *R) *R {
	out := new(R)
	copyStruct(reflect.ValueOf(out).Elem(), reflect.ValueOf(r).Elem())
	return out
}

func copyStruct(dst, src reflect.Value) {
	dst.Set(src)
	for i := range src.NumField() {
		f := src.Field(i)
		if f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.Struct {
			p := reflect.New(f.Elem().Type())
			copyStruct(p.Elem(), f.Elem())
			dst.Field(i).Set(p)
		}
	}
}

// requireFixtures checks the two requests a test compares: every leaf field
// of a is set, a is valid, and b differs from it in every field. A field
// added to the type fails here until the fixtures set it.
func requireFixtures[R any](t *testing.T, a, b *R) {
	t.Helper()
	for _, f := range leaves(reflect.TypeFor[R]()) {
		va, vb := at(reflect.ValueOf(a).Elem(), f.index, false), at(reflect.ValueOf(b).Elem(), f.index, false)
		require.True(t, va.IsValid() && !va.IsZero(), "the fixture sets %s", f.name)
		require.True(t, vb.IsValid() && !vb.IsZero(), "the other fixture sets %s", f.name)
		require.NotEqual(t, va.Interface(), vb.Interface(), "the fixtures differ in %s", f.name)
	}
	v, ok := any(a).(interface{ Validate() error })
	require.True(t, ok, "%T has Validate", a)
	require.NoError(t, v.Validate(), "the fixture is a valid request")
}

// The fixtures: for each request type, a valid request that sets every
// field (A), and one whose every field differs (B): the values a read-back
// may hold instead.

func gatewayCreateA() *GatewayCreateRequest {
	return &GatewayCreateRequest{Description: "first gateway", IPAddress: "203.0.113.10", IPID: "ip-a",
		IPType: IPTypePublic, Name: "gwA", Tags: []Tag{{Key: "team", Value: "a"}}, VPCID: "vpc-a"}
}

func gatewayCreateB() *GatewayCreateRequest {
	return &GatewayCreateRequest{Description: "second gateway", IPAddress: "203.0.113.20", IPID: "ip-b",
		IPType: "PRIVATE", Name: "gwB", Tags: []Tag{{Key: "team", Value: "b"}}, VPCID: "vpc-b"}
}

func gatewaySetA() *GatewaySetRequest { return &GatewaySetRequest{Description: Ptr("first")} }
func gatewaySetB() *GatewaySetRequest { return &GatewaySetRequest{Description: Ptr("second")} }

const (
	fixturePSKA = "FixturePSK-A-0001"
	fixturePSKB = "FixturePSK-B-0002"
)

func phase1CreateA() TunnelPhase1CreateRequest {
	return TunnelPhase1CreateRequest{DPDRetryInterval: 30, IKEVersion: 2, PeerGatewayIP: "198.51.100.1",
		DiffieHellmanGroups: []int{14, 19}, Encryptions: []string{"aes256-sha256", "aes128-sha1"}, LifeTime: 28800, PreSharedKey: fixturePSKA}
}

func phase1CreateB() TunnelPhase1CreateRequest {
	return TunnelPhase1CreateRequest{DPDRetryInterval: 60, IKEVersion: 1, PeerGatewayIP: "198.51.100.2",
		DiffieHellmanGroups: []int{20}, Encryptions: []string{"aes256-sha1"}, LifeTime: 86400, PreSharedKey: fixturePSKB}
}

func phase1SetA() *TunnelPhase1SetRequest {
	p := phase1CreateA()
	return &TunnelPhase1SetRequest{DPDRetryInterval: p.DPDRetryInterval, IKEVersion: p.IKEVersion, PeerGatewayIP: p.PeerGatewayIP,
		DiffieHellmanGroups: p.DiffieHellmanGroups, Encryptions: p.Encryptions, LifeTime: p.LifeTime, PreSharedKey: p.PreSharedKey}
}

func phase1SetB() *TunnelPhase1SetRequest {
	p := phase1CreateB()
	return &TunnelPhase1SetRequest{DPDRetryInterval: p.DPDRetryInterval, IKEVersion: p.IKEVersion, PeerGatewayIP: p.PeerGatewayIP,
		DiffieHellmanGroups: p.DiffieHellmanGroups, Encryptions: p.Encryptions, LifeTime: p.LifeTime, PreSharedKey: p.PreSharedKey}
}

func tunnelCreateA() *TunnelCreateRequest {
	return &TunnelCreateRequest{Description: "first tunnel", Name: "tnA", Phase1: phase1CreateA(),
		Phase2: TunnelPhase2CreateRequest{PerfectForwardSecrecy: PFSEnable, DiffieHellmanGroups: []int{14}, Encryptions: []string{"aes128gcm"},
			LifeTime: 3600, RemoteSubnet: "10.1.0.0/16"},
		Tags: []Tag{{Key: "team", Value: "a"}}, VPNGatewayID: "gw-a"}
}

func tunnelCreateB() *TunnelCreateRequest {
	return &TunnelCreateRequest{Description: "second tunnel", Name: "tnB", Phase1: phase1CreateB(),
		Phase2: TunnelPhase2CreateRequest{PerfectForwardSecrecy: PFSDisable, DiffieHellmanGroups: []int{5}, Encryptions: []string{"aes256gcm"},
			LifeTime: 7200, RemoteSubnet: "10.2.0.0/16"},
		Tags: []Tag{{Key: "team", Value: "b"}}, VPNGatewayID: "gw-b"}
}

func tunnelCreateV1Dot1A() *TunnelCreateRequestV1Dot1 {
	return &TunnelCreateRequestV1Dot1{Description: "first tunnel", Name: "tnA", Phase1: phase1CreateA(),
		Phase2: TunnelPhase2CreateRequestV1Dot1{PerfectForwardSecrecy: PFSEnable, DiffieHellmanGroups: []int{14}, Encryptions: []string{"aes128gcm"},
			LifeTime: 3600, RemoteSubnets: []string{"10.1.0.0/16", "10.3.0.0/16"}},
		Tags: []Tag{{Key: "team", Value: "a"}}, VPNGatewayID: "gw-a"}
}

func tunnelCreateV1Dot1B() *TunnelCreateRequestV1Dot1 {
	return &TunnelCreateRequestV1Dot1{Description: "second tunnel", Name: "tnB", Phase1: phase1CreateB(),
		Phase2: TunnelPhase2CreateRequestV1Dot1{PerfectForwardSecrecy: PFSDisable, DiffieHellmanGroups: []int{5}, Encryptions: []string{"aes256gcm"},
			LifeTime: 7200, RemoteSubnets: []string{"10.2.0.0/16"}},
		Tags: []Tag{{Key: "team", Value: "b"}}, VPNGatewayID: "gw-b"}
}

func tunnelSetA() *TunnelSetRequest {
	c := tunnelCreateA()
	p := c.Phase2
	return &TunnelSetRequest{Description: Ptr(c.Description), Phase1: phase1SetA(), Phase2: &TunnelPhase2SetRequest{
		PerfectForwardSecrecy: p.PerfectForwardSecrecy, DiffieHellmanGroups: p.DiffieHellmanGroups, Encryptions: p.Encryptions,
		LifeTime: p.LifeTime, RemoteSubnet: p.RemoteSubnet}}
}

func tunnelSetB() *TunnelSetRequest {
	c := tunnelCreateB()
	p := c.Phase2
	return &TunnelSetRequest{Description: Ptr(c.Description), Phase1: phase1SetB(), Phase2: &TunnelPhase2SetRequest{
		PerfectForwardSecrecy: p.PerfectForwardSecrecy, DiffieHellmanGroups: p.DiffieHellmanGroups, Encryptions: p.Encryptions,
		LifeTime: p.LifeTime, RemoteSubnet: p.RemoteSubnet}}
}

func tunnelSetV1Dot1A() *TunnelSetRequestV1Dot1 {
	c := tunnelCreateV1Dot1A()
	p := c.Phase2
	return &TunnelSetRequestV1Dot1{Description: Ptr(c.Description), Phase1: phase1SetA(), Phase2: &TunnelPhase2SetRequestV1Dot1{
		PerfectForwardSecrecy: p.PerfectForwardSecrecy, DiffieHellmanGroups: p.DiffieHellmanGroups, Encryptions: p.Encryptions,
		LifeTime: p.LifeTime, RemoteSubnets: p.RemoteSubnets}}
}

func tunnelSetV1Dot1B() *TunnelSetRequestV1Dot1 {
	c := tunnelCreateV1Dot1B()
	p := c.Phase2
	return &TunnelSetRequestV1Dot1{Description: Ptr(c.Description), Phase1: phase1SetB(), Phase2: &TunnelPhase2SetRequestV1Dot1{
		PerfectForwardSecrecy: p.PerfectForwardSecrecy, DiffieHellmanGroups: p.DiffieHellmanGroups, Encryptions: p.Encryptions,
		LifeTime: p.LifeTime, RemoteSubnets: p.RemoteSubnets}}
}

// validRequests are the request types that check themselves, each with
// its valid fixture: the Secret tests send them.
func validRequests() map[reflect.Type]any {
	out := map[reflect.Type]any{}
	for _, r := range []any{gatewayCreateA(), gatewaySetA(), tunnelCreateA(), tunnelCreateV1Dot1A(), tunnelSetA(), tunnelSetV1Dot1A()} {
		out[reflect.TypeOf(r).Elem()] = r
	}
	return out
}
