// Package scpvpn is a Go client for the VPN API of Samsung Cloud Platform
// (SCP): VPN gateways and the IPsec tunnels that start from them.
//
// # Getting started
//
// A Client needs an endpoint and an access key pair. NewClientFromEnv reads
// them from SCP_ACCESS_KEY, SCP_SECRET_KEY and SCP_VPN_ENDPOINT (or
// SCP_REGION and SCP_ENVIRONMENT); NewClient takes them as options:
//
//	c, err := scpvpn.NewClient(
//		scpvpn.WithRegion("kr-west1", "e"),
//		scpvpn.WithCredentials(accessKey, secretKey),
//	)
//
// The API comes in two versions, chosen per call by the Scp-Api-Version
// header. c.V1Dot1 is the current one; c.V1Dot0 is deprecated by SCP. Each
// has Gateways and Tunnels services with Create, Get, List, All, Set and
// Delete:
//
//	gw, err := c.V1Dot1.Gateways.Create(ctx, &scpvpn.GatewayCreateRequest{...})
//	gw, err = c.V1Dot1.Gateways.WaitUntilActive(ctx, gw.ID)
//	for tn, err := range c.V1Dot1.Tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: gw.ID}) {
//		...
//	}
//
// # Asynchronous resources
//
// Create, Set and Delete answer 202 Accepted at once; the resource then moves
// through its State (CREATING, EDITING, DELETING) to ACTIVE or gone. The
// waiters WaitUntilActive and WaitUntilDeleted poll Get under a WaitPolicy
// until that happens, the resource reaches ERROR (ErrResourceFailed), or the
// context ends.
//
// # Errors
//
// An answer that is not 2xx is an *APIError with the status, the API's
// details and the request id; errors.Is matches it against ErrNotFound,
// ErrConflict and the other sentinels. A request that breaks the API's
// rules is refused before it is sent with a *ValidationError that names every
// bad field.
//
// # Retries, timeouts and secrets
//
// Calls are retried under a RetryPolicy: GET, PUT and DELETE on connection
// errors, 429, 502, 503 and 504; a POST only when it certainly did not reach
// the server. Every attempt is signed afresh and bounded by a timeout.
// Secrets (the secret key, signatures, pre-shared keys) never appear in the
// SDK's errors and logs, nor in fmt output of its types; a pre-shared key is
// a Secret (see its documentation for what lies beyond the SDK's reach).
//
// # Signing on its own
//
// Signer signs any *http.Request, and NewSigningTransport makes a plain
// *http.Client sign everything it sends.
//
// # Testing
//
// Package vpntest is an in-memory fake of the API that checks signatures and
// bodies like the real service, for tests that need no SCP account.
package scpvpn
