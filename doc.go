// Package scpvpn is a Go client for the VPN API of Samsung Cloud Platform
// (SCP): VPN gateways and the IPsec tunnels that start from them.
//
// # Getting started
//
// A Client needs an endpoint and an access key pair. NewClientFromEnv finds
// them where SCP's own tools keep them (SCP_ACCESS_KEY, SCP_SECRET_KEY,
// SCP_VPN_ENDPOINT or the IAM catalog, the files in ~/.scpconf);
// NewClient takes them as options:
//
//	c, err := scpvpn.NewClient(
//		scpvpn.WithRegion("kr-west1", "e"),
//		scpvpn.WithCredentials(accessKey, secretKey),
//	)
//
// The API comes in two versions, chosen per call by the Scp-Api-Version
// header. c.V1Dot1 is the current one; c.V1Dot0 is deprecated by SCP. Each
// has Gateways and Tunnels services with Create, Get, List, All, Set,
// Delete and Quota, and the tunnels CheckSubnet:
//
//	gw, err := c.V1Dot1.Gateways.Create(ctx, &scpvpn.GatewayCreateRequest{...})
//	gw, err = c.V1Dot1.Gateways.WaitUntilActive(ctx, gw.ID)
//	for tn, err := range c.V1Dot1.Tunnels.All(ctx, &scpvpn.TunnelListOptionsV1Dot1{VPNGatewayID: gw.ID}) {
//		...
//	}
//
// Every call takes CallOptions last: WithResponse reports the status,
// headers and request id of what came back, WithHeader adds a header,
// WithCallRetryPolicy and WithCallWaitPolicy change the policies of one
// call. Client.Do sends a call the services do not wrap, on the same path.
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
// An answer that is not 2xx is an *APIError with the status, the API's code
// and details, and the request id; errors.Is matches it against ErrNotFound,
// ErrConflict and the other sentinels (a 404 matches ErrNotFound only when it
// holds the API's error body). An answer the API does not give matches
// ErrUnexpectedAnswer. A request that breaks the API's documented rules is
// refused before it is sent with a *ValidationError that names every bad
// field.
//
// # Retries, timeouts and secrets
//
// Calls are retried under a RetryPolicy: GET, PUT and DELETE on connection
// errors, 429, 502, 503, 504 and answers cut short; a POST only when the
// service certainly did not act on it, so never after a 429 or 5xx that
// is not the service's own (without the API's error body). A create, Set or Delete whose answer
// was lost is reported done only when reading the resource back confirms
// it, and otherwise matches ErrOutcomeUnknown. Every attempt is signed
// afresh and bounded by a timeout, and every answer by a size. Secrets (the
// secret key, a token, signatures, pre-shared keys) never appear in the
// SDK's errors and logs, even when the service echoes them, nor in fmt
// output of its types; a pre-shared key is a Secret (see its documentation
// for what lies beyond the SDK's reach).
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
//
// # Words
//
// An answer is what the service (or whatever stands in its way, a proxy
// say) sends back to one attempt of a call: its status, headers and body,
// net/http's *http.Response. The SDK's code and messages say "answer" for
// it throughout. Two names of the API say otherwise, and mean this: a
// Response is the record of a call's last answer that WithResponse fills,
// and ErrUnexpectedAnswer matches an answer the API does not give.
//
// # Architecture
//
// A call goes down five layers, each in its own files:
//
//	public API     client.go options.go config.go configfile.go configfile_unix.go configfile_other.go endpoint.go
//	               calloption.go retry.go errors.go models.go models_v1_0.go models_v1_1.go validate.go secret.go
//	               wireform.go (the client, its options and configuration, the models, each request type's rules)
//	services       vpngateway.go vpntunnel.go waiter.go do.go (typed fronts, one method per endpoint; Client.Do)
//	resource calls resource.go lostanswer.go lostcreate.go answer.go, internal/jsonscan internal/jsontime
//	               internal/validate (create, get, list, set, delete; lost answers; bounded decoding)
//	request path   request.go catalog.go report.go scrubbed.go, internal/rest internal/retry internal/redact
//	               (the endpoint, JSON, retries, Response and errors scrubbed of secrets; resty lives in internal/rest)
//	transport      transport.go signer.go, internal/transport (net/http client and its default transport; the Signer,
//	               which internal/rest applies to every attempt, and NewSigningTransport for plain clients)
//
// A service method parses its CallOptions (begin) and makes one resource
// call, which checks what it is given, builds the call, sends it and
// decodes the answer through the resource's own types. send (request.go)
// asks catalog.go for the endpoint, once, and hands the call to
// internal/rest, which signs and sends each attempt and reports facts
// (status, attempts, whether an earlier attempt may have reached the
// service); the layer above decides what they mean. internal/sigverify
// checks signatures independently of signer.go, for package vpntest and
// the tests; internal/testkit holds what only the tests and benchmarks use
// (apischema, chaos, interleave). The few speed tricks that stay say in a
// comment what they buy; BENCHMARKS.md lists them. doc.go is this text.
package scpvpn
