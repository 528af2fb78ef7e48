package scpvpn

// The wire types list their resource's fields a second time (see
// gatewayWire), so a field added to a resource could be left out of its
// wire type, or of model, and never decoded. These tests fill every field
// of each resource, encode it, decode the JSON into the wire type and ask
// model for the resource back: a field missing anywhere on the way comes
// back zero, and the test fails naming it.

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWireTypesCarryEveryField(t *testing.T) {
	t.Parallel()
	t.Run("Gateway", wireRoundTrip[Gateway, gatewayWire])
	t.Run("Tunnel", wireRoundTrip[Tunnel, tunnelWire])
	t.Run("TunnelV1Dot1", wireRoundTrip[TunnelV1Dot1, tunnelV1Dot1Wire])
}

func wireRoundTrip[M any, W interface{ model() M }](t *testing.T) {
	t.Parallel()
	var want M
	n := 0
	fillEvery(t, reflect.ValueOf(&want).Elem(), &n)
	b, err := json.Marshal(want)
	require.NoError(t, err)
	var w W
	require.NoError(t, json.Unmarshal(b, &w))
	got := w.model()
	wv, gv := reflect.ValueOf(want), reflect.ValueOf(got)
	for i := range wv.NumField() {
		name := wv.Type().Field(i).Name
		assert.False(t, gv.Field(i).IsZero(), "%s is not decoded through %T", name, w)
		if tw, ok := wv.Field(i).Interface().(time.Time); ok {
			assert.True(t, tw.Equal(gv.Field(i).Interface().(time.Time)), "%s", name)
			continue
		}
		assert.Equal(t, wv.Field(i).Interface(), gv.Field(i).Interface(), "%s", name)
	}
	// A field the wire type has and the resource has not would be
	// decoded and dropped.
	assert.Equal(t, wv.NumField(), reflect.TypeFor[W]().NumField(), "%T and %T have as many fields", want, w)
}

// fillEvery sets every leaf of v to a value of its own, none zero; n
// numbers them.
func fillEvery(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	*n++
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2024, 5, 17, 0, 0, *n, 0, time.UTC)))
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			fillEvery(t, v.Field(i), n)
		}
	case v.Kind() == reflect.String:
		v.SetString("value" + string(rune('A'+*n%26)))
	case v.Kind() == reflect.Int:
		v.SetInt(int64(*n))
	case v.Kind() == reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillEvery(t, v.Index(0), n)
	default:
		t.Fatalf("fillEvery cannot fill a %s", v.Type())
	}
}
