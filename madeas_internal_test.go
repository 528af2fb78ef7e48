package scpvpn

// Every field of every create request is compared after a lost create: the
// resource a create whose answer was lost made is found by reading back
// what matches the request (madeAs), and a resource that differs in any one
// field the API reads back is not it. The fields are found by reflection:
// one added to a create request fails here until madeAs compares it or the
// list below says why it cannot be.

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// notCompared are the create fields madeAs deliberately leaves out.
var notCompared = map[string]string{
	"tags":                  "the API's answers need not hold tags",
	"phase1.pre_shared_key": "the API never returns a pre-shared key",
}

// notInList are the fields a list's tunnels leave out of their phases:
// madeAs of a listed resource (listed true) does not compare them, and a
// found one is read whole and checked again.
var notInList = map[string]bool{
	"phase1.phase1_diffie_hellman_groups": true,
	"phase1.phase1_encryptions":           true,
	"phase2.phase2_diffie_hellman_groups": true,
	"phase2.phase2_encryptions":           true,
}

func TestEveryCreateFieldIsComparedAfterALostCreate(t *testing.T) {
	t.Parallel()
	t.Run("GatewayCreateRequest", func(t *testing.T) {
		t.Parallel()
		checkMadeAs(t, gatewayCreateA(), gatewayCreateB(), (*GatewayCreateRequest).madeAs)
	})
	t.Run("TunnelCreateRequest", func(t *testing.T) {
		t.Parallel()
		checkMadeAs(t, tunnelCreateA(), tunnelCreateB(), (*TunnelCreateRequest).madeAs)
	})
	t.Run("TunnelCreateRequestV1Dot1", func(t *testing.T) {
		t.Parallel()
		checkMadeAs(t, tunnelCreateV1Dot1A(), tunnelCreateV1Dot1B(), (*TunnelCreateRequestV1Dot1).madeAs)
	})
}

// checkMadeAs checks madeAs of create request R against resource T, field
// by field, with a, a valid request that sets every field, and b, whose
// every field differs from a's.
func checkMadeAs[R, T any](t *testing.T, a, b *R, madeAs func(*R, *T, bool) bool) {
	requireFixtures(t, a, b)
	m := mapFields[R, T](t, notCompared)

	made := readBack[R, T](m, a, b, "")
	assert.True(t, madeAs(a, made, false), "a resource that holds every value of the request was made by it")
	assert.True(t, madeAs(a, made, true), "and so was it, listed")

	for _, f := range m.mapped {
		differs := readBack[R, T](m, a, b, f.json)
		assert.False(t, madeAs(a, differs, false), "a resource that differs in %s alone is taken for the create's: madeAs does not compare %s", f.name, f.name)
		if notInList[f.json] {
			assert.True(t, madeAs(a, differs, true), "a list leaves out %s: a listed resource is not judged by it", f.name)
			assert.True(t, madeAs(a, without(differs, m.resource[f.json]), true), "a list leaves out %s: a listed resource without it matches", f.name)
			continue
		}
		assert.False(t, madeAs(a, differs, true), "a listed resource that differs in %s alone is taken for the create's: madeAs does not compare %s", f.name, f.name)
	}

	// What is not compared changes nothing: the list above is the truth.
	for _, f := range m.request {
		if why, ok := notCompared[f.json]; ok {
			assert.True(t, madeAs(with(a, b, f), made, false), "%s is not compared (%s)", f.name, why)
		}
	}
}

// Addresses and networks are compared as the SDK's checks read them:
// leading zeros, which the checks let through, are decimal.
func TestAddressesAndSubnetsAreComparedAsTheChecksReadThem(t *testing.T) {
	t.Parallel()
	assert.True(t, sameIP("123.000.000.002", "123.0.0.2"))
	assert.True(t, sameIP("010.1.2.3", "10.1.2.3"), "decimal, not octal 8")
	assert.False(t, sameIP("010.1.2.3", "8.1.2.3"))
	assert.False(t, sameIP("123.0.0.2", "123.0.0.3"))
	assert.True(t, sameIP("not an address", "not an address"))
	assert.True(t, sameSubnet("10.1.0.0/016", "10.1.0.0/16"))
	assert.True(t, sameSubnet("010.001.1.7/024", "10.1.1.0/24"))
	assert.False(t, sameSubnet("10.1.0.0/016", "10.1.0.0/24"))
	assert.True(t, sameSet(subnets([]string{"10.1.1.0/024", "010.1.2.0/24"}), subnets([]string{"10.1.2.0/24", "10.1.1.0/24"})))
}
