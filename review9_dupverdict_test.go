package scpvpn_test

// Review 9: decodeObject now looks for a member given twice before
// encoding/json decodes the answer (so that v is untouched when it finds
// one), where the SDK before the Scanner (30cf53a) decoded first and
// checked after. An answer that gives a member twice and a value of the
// wrong type thus changed its verdict: a *json.UnmarshalTypeError, which
// callers find in the chain, became a member given twice. encoding/json
// has the first word again, as it had, on the answer's type errors too.

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReview9TypeErrorBeforeMemberGivenTwice(t *testing.T) {
	t.Parallel()
	pad := strings.Repeat("x", 40<<10) // past the Scanner's 32 KiB buffer
	for name, body := range map[string]string{
		"the id a number, then a string": `{"vpn_gateway": {"id": 1, "id": "` + gatewayID + `", "state": "ACTIVE"}}`,
		"the state twice, once a number": `{"vpn_gateway": {"id": "` + gatewayID + `", "state": "ACTIVE", "State": 7}}`,
		"the same past 32 KiB":           `{"vpn_gateway": {"id": 1, "description": "` + pad + `", "ID": "` + gatewayID + `"}}`,
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := review7Get(t, body)
			var typ *json.UnmarshalTypeError
			assert.ErrorAs(t, err, &typ, "%v", err)
			assert.Contains(t, err.Error(), "could not be decoded")
		})
	}
}
