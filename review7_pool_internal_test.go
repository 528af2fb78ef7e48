package scpvpn

// Review 7: single answers now share jsonscan's pooled Scanners (and their
// check of members given twice) with list answers. A Scanner put back
// after an answer that failed half way (cut inside an object, a member
// given twice, a name in two reads, an object of many members) must bring
// nothing of it into the next answer: a good answer that names the same
// members decodes whole, with no member "given twice" by a leftover.

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
)

func TestReview7PooledScannerKeepsNothingOfAFailedAnswer(t *testing.T) {
	t.Parallel()
	var many strings.Builder
	many.WriteString(`{"vpn_gateway":{"id":"a"`)
	for i := range 100 {
		fmt.Fprintf(&many, `,"m%d":1`, i)
	}
	bad := []string{
		`{"vpn_gateway":{"id":"a","state":"ACTIVE","name":"n`,           // cut inside a value
		`{"vpn_gateway":{"id":"a","state":"ACTIVE","State":"DELETED"}}`, // a member twice
		`{"vpn_gateway":{"\u0069d":"a","id":"b"}}`,                      // twice, once escaped
		many.String() + `,"m7":2}}`,                                     // twice, among many
		many.String(),                                                   // cut among many
		`{"vpn_gateway":{"id":"a"}} {"id":"b"}`,                         // a value after the value
		`{"vpn_gateway":{"id":"a","st`,                                  // cut inside a name
	}
	good := `{"vpn_gateway":{"id":"b","state":"ACTIVE","name":"n","m7":1,"State2":"x"}}`
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				body := bad[(g+i)%len(bad)]
				var r io.Reader = strings.NewReader(body)
				if i%2 == 0 {
					r = iotest.OneByteReader(r) // names read in two chunks
				}
				var v gatewayAnswer
				if !assert.Error(t, decodeObject(r, &v), "%s", body) {
					return
				}
				assert.Nil(t, v.Gateway, "a failed answer leaves v untouched")
				var w gatewayAnswer
				if !assert.NoError(t, decodeObject(strings.NewReader(good), &w)) {
					return
				}
				if assert.NotNil(t, w.Gateway) {
					assert.Equal(t, "b", w.Gateway.ID)
					assert.Equal(t, State("ACTIVE"), w.Gateway.State)
				}
			}
		})
	}
	wg.Wait()
}
