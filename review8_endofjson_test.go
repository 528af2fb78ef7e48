package scpvpn_test

// Review 8: endOfJSON told JSON that stops before its end by where
// encoding/json's syntax error stands, at the end of the value. But a
// value whose last byte is the wrong one ("{...,}", "[1,]", "{"a":}") has
// its error there too: that is text that is not JSON, a *json.SyntaxError,
// and not an answer cut short. The old code read the whole answer, so a
// server's closing newline kept the error off the end; the Scanner cuts
// the value out without it.

import (
	"encoding/json"
	"io"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReview8WrongLastByteIsASyntaxError(t *testing.T) {
	t.Parallel()
	gw := `{"vpn_gateway": {"id": "` + gatewayID + `", "state": "ACTIVE"}`
	for name, body := range map[string]string{
		"a trailing comma":                gw + ",}\n",
		"a trailing comma, no newline":    gw + ",}",
		"a member without its value":      `{"vpn_gateway":}` + "\r\n",
		"an array with a trailing comma":  "[1,]\n",
		"a member twice, trailing comma":  `{"vpn_gateway": {"state": "ACTIVE", "state": "DELETED"},}` + "\n",
		"a literal cut inside the object": `{"vpn_gateway": tru}` + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := review7Get(t, body)
			var syntax *json.SyntaxError
			assert.ErrorAs(t, err, &syntax, "%v", err)
			assert.NotErrorIs(t, err, io.ErrUnexpectedEOF, "the answer is whole")
		})
	}
}
