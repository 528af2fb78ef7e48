package scpvpn_test

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/scpsdk/scpvpn"
	"github.com/scpsdk/scpvpn/internal/testkit/apischema"
	"github.com/scpsdk/scpvpn/vpntest"
)

// The harness of the schema tests (schema_test.go): the API's OpenAPI
// documents judge every request the SDK sends and every answer vpntest
// gives. A client's transport passes each exchange to an
// apischema.Checker, which validates it against the document of the
// version it names (testdata/openapi, see its README), and the tests then
// require every exchange to conform, but for the differences listed in
// schemaDifferences, which vpntest's package documentation explains.

// schemaDocuments are the documents by Scp-Api-Version.
var schemaDocuments = map[string]string{
	"vpn 1.0": filepath.Join("testdata", "openapi", "vpn-1.0.yaml"),
	"vpn 1.1": filepath.Join("testdata", "openapi", "vpn-1.1.yaml"),
}

// schemaSetup starts a fake with immediate transitions and returns it with
// a client whose every exchange its checker judges.
func schemaSetup(t *testing.T, opts ...scpvpn.Option) (*vpntest.Server, *scpvpn.Client, *apischema.Checker) {
	t.Helper()
	checker, err := apischema.New(schemaDocuments)
	require.NoError(t, err)
	srv := e2eServer(t, e2eImmediate)
	opts = append([]scpvpn.Option{scpvpn.WithTransport(checker.Transport(e2eTransport(t)))}, opts...)
	return srv, newClient(t, srv, opts...), checker
}

// A schemaDifference is an answer of vpntest that its document does not
// list: a status the operation does not declare. "*" stands for every
// operation or both versions.
type schemaDifference struct {
	version, operation string
	status             int
	why                string
}

// schemaDifferences are the answers vpntest gives that the documents do
// not list, each for the reason vpntest's package documentation gives
// under "What the fake does differently from the documents". The tests
// require each to happen, so that the list cannot outlive the difference.
var schemaDifferences = []schemaDifference{
	{"*", "*", http.StatusUnauthorized, "a bad signature is 401 HmacValidFail (SIGNING.md); only the gateway quota lists 401"},
	{"*", "setVpnGateway", http.StatusConflict, "a gateway being created, changed or deleted cannot be changed"},
	{"*", "setVpnTunnel", http.StatusConflict, "a tunnel being created, changed or deleted cannot be changed"},
	{"*", "deleteVpnTunnel", http.StatusConflict, "a tunnel being created, changed or deleted cannot be deleted"},
	{"*", "createVpnTunnel", http.StatusConflict, "a gateway that is not ACTIVE cannot be given tunnels"},
	{"vpn 1.0", "createVpnTunnel", http.StatusNotFound, "the API reference lists 404 for a tunnel's gateway that does not exist; the 1.0 document does not"},
}

// difference returns the listed difference e is, if any.
func schemaDifferenceOf(e apischema.Exchange) (schemaDifference, bool) {
	for _, d := range schemaDifferences {
		if (d.version == "*" || d.version == e.Version) && (d.operation == "*" || d.operation == e.Operation) && d.status == e.Status {
			return d, true
		}
	}
	return schemaDifference{}, false
}

// undeclaredStatus reports whether the validator's finding is that the
// answer's status is not one the operation declares, and nothing else.
func undeclaredStatus(finding string, status int) bool {
	return strings.Contains(finding, fmt.Sprintf("response code '%d' does not exist", status))
}

// requireConforming fails the test unless every exchange was judged by a
// document, matched one of its operations, and broke none of its schemas;
// an answer with a status the operation does not declare passes only if
// schemaDifferences lists it. requests says whether the requests are to be
// judged too: not those a test sends bad on purpose.
func requireConforming(t *testing.T, exchanges []apischema.Exchange, requests bool) {
	t.Helper()
	require.NotEmpty(t, exchanges, "exchanges checked")
	for _, e := range exchanges {
		if !assert.False(t, e.NoDocument, "%s: no document for the version", e) ||
			!assert.NotEmpty(t, e.Operation, "%s: no operation of the document", e) {
			continue
		}
		if requests {
			assert.Empty(t, e.RequestErrors, "%s: the request breaks the document\nbody: %s", e, e.RequestBody)
		}
		findings := e.ResponseErrors
		if _, ok := schemaDifferenceOf(e); ok {
			findings = slices.DeleteFunc(slices.Clone(findings), func(f string) bool { return undeclaredStatus(f, e.Status) })
		}
		assert.Empty(t, findings, "%s: the answer breaks the document\nbody: %s", e, e.Body)
	}
}

// schemaSeen is what the exchanges covered: each version's operations, by
// the statuses they answered.
type schemaSeen map[string]map[string][]int

func (s schemaSeen) add(exchanges []apischema.Exchange) {
	for _, e := range exchanges {
		key := e.Version + " " + e.Operation
		if s[key] == nil {
			s[key] = map[string][]int{}
		}
		s[key]["status"] = append(s[key]["status"], e.Status)
	}
}

// has reports whether operation of version answered status.
func (s schemaSeen) has(version, operation string, status int) bool {
	return slices.Contains(s[version+" "+operation]["status"], status)
}

// schemaOperations are the thirteen operations of both documents, with the
// status of their success.
var schemaOperations = []struct {
	operation string
	status    int
}{
	{"listVpnGateways", http.StatusOK},
	{"createVpnGateway", http.StatusAccepted},
	{"showVpnGateway", http.StatusOK},
	{"setVpnGateway", http.StatusOK},
	{"deleteVpnGateway", http.StatusAccepted},
	{"getVpnGatewayQuotas", http.StatusOK},
	{"listVpnTunnels", http.StatusOK},
	{"createVpnTunnel", http.StatusAccepted},
	{"showVpnTunnel", http.StatusOK},
	{"setVpnTunnel", http.StatusAccepted},
	{"deleteVpnTunnel", http.StatusAccepted},
	{"getVpnTunnelQuotas", http.StatusOK},
	{"checkVpnTunnelSubnetAvailabilities", http.StatusOK},
}
