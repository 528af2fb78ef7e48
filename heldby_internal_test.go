package scpvpn

// Every field of every Set request is compared after a lost answer: a Set
// is reported done, when its answer was lost, only if the resource read
// back holds every value it asked for (heldBy). The fields are found by
// reflection, so a field added to a Set request and forgotten in heldBy
// fails here: it would otherwise be a false success, which the SDK promises
// never to report.

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// neverConfirmed are the Set fields no read-back can show: a Set that sets
// one is never reported done after a lost answer (a false conflict is safe).
var neverConfirmed = map[string]string{
	"phase1.pre_shared_key": "the API never returns a pre-shared key",
}

func TestEverySetFieldIsComparedAfterALostAnswer(t *testing.T) {
	t.Parallel()
	t.Run("GatewaySetRequest", func(t *testing.T) {
		t.Parallel()
		checkHeldBy(t, gatewaySetA(), gatewaySetB(), (*GatewaySetRequest).heldBy)
	})
	t.Run("TunnelSetRequest", func(t *testing.T) {
		t.Parallel()
		checkHeldBy(t, tunnelSetA(), tunnelSetB(), (*TunnelSetRequest).heldBy)
	})
	t.Run("TunnelSetRequestV1Dot1", func(t *testing.T) {
		t.Parallel()
		checkHeldBy(t, tunnelSetV1Dot1A(), tunnelSetV1Dot1B(), (*TunnelSetRequestV1Dot1).heldBy)
	})
}

// checkHeldBy checks heldBy of Set request R against resource T, field by
// field, with a, a valid request that sets every field, and b, whose every
// field differs from a's.
func checkHeldBy[R, T any](t *testing.T, a, b *R, heldBy func(*R, *T) bool) {
	requireFixtures(t, a, b)
	m := mapFields[R, T](t, neverConfirmed)

	// The request without what cannot be confirmed: everything else is.
	confirmable := a
	for _, f := range m.request {
		if _, ok := neverConfirmed[f.json]; ok {
			confirmable = without(confirmable, f)
		}
	}
	assert.True(t, heldBy(confirmable, readBack[R, T](m, a, b, "")), "a resource that holds every value asked for holds the Set")

	for _, f := range m.mapped {
		// Everything the request asks for but f: not held.
		differs := readBack[R, T](m, a, b, f.json)
		assert.False(t, heldBy(confirmable, differs), "a read-back that differs in %s alone is reported held: heldBy does not compare %s", f.name, f.name)

		// A Set of f alone is valid, is held where f is, however the rest
		// of the resource differs, and is not held where f differs.
		alone := only(a, f)
		assert.NoError(t, any(alone).(interface{ Validate() error }).Validate(), "a Set of %s alone", f.name)
		assert.True(t, heldBy(alone, readBack[R, T](m, b, a, f.json)), "a Set of %s alone is held by a resource that holds it", f.name)
		assert.False(t, heldBy(alone, differs), "a Set of %s alone is reported held by a resource that holds another value: heldBy does not compare %s", f.name, f.name)
	}

	// A field no read-back shows: a Set that sets it is never held, alone
	// or with everything else held.
	for _, f := range m.request {
		if why, ok := neverConfirmed[f.json]; ok {
			alone := only(a, f)
			assert.NoError(t, any(alone).(interface{ Validate() error }).Validate(), "a Set of %s alone", f.name)
			assert.False(t, heldBy(alone, readBack[R, T](m, a, b, "")), "a Set of %s can never be confirmed (%s), alone", f.name, why)
			assert.False(t, heldBy(a, readBack[R, T](m, a, b, "")), "a Set of %s can never be confirmed (%s), with the rest held", f.name, why)
		}
	}
}
