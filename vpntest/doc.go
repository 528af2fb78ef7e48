// Package vpntest provides an in-memory fake of the Samsung Cloud Platform
// VPN API, for tests: the SDK's own, and those of code that uses the SDK.
//
// NewServer starts a real HTTP server on the loopback interface that
// serves the ten endpoints of the API (create, show, list, set and delete,
// for VPN gateways and VPN tunnels) in both versions, vpn 1.0 and vpn 1.1:
//
//	srv := vpntest.NewServer(vpntest.Options{})
//	defer srv.Close()
//	c, err := scpvpn.NewClient(
//		scpvpn.WithEndpoint(srv.URL),
//		scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey),
//	)
//
// # Strictness
//
// The fake is as strict as the service, and where the service's limits are
// only documented elsewhere, as strict as those documents. Every request
// is checked, in this order:
//
//  1. Scp-Accesskey must be the server's access key, Scp-Timestamp within
//     Options.MaxClockSkew of the server's clock, and Scp-Signature the
//     signature of the request over its URL exactly as received: otherwise
//     401, with the code HmacValidFail for a bad signature.
//  2. Scp-Api-Version must be "vpn 1.0" or "vpn 1.1": otherwise 400.
//  3. The path and method must be the API's: otherwise 404 or 405.
//  4. A POST or PUT body must be a JSON object sent as application/json,
//     with the fields the API's schemas require, of the right JSON types,
//     and within the field rules of the official Terraform provider (names
//     of 3 to 20 letters and digits, IKE version 1 or 2, DPD interval 1 to
//     3600 s, life times 120 to 172800 s, 1 to 3 Diffie-Hellman groups
//     among those the service offers, 1 to 10 proposals, pre-shared keys of
//     8 to 64 characters, PFS ENABLE or DISABLE, 1 to 20 remote subnets).
//     Every bad field is reported, each in its own entry of the error body.
//     Version 1.0 takes a tunnel's remote_subnet and refuses
//     remote_subnets; version 1.1 the other way round. Unknown fields are
//     ignored.
//
// Errors are answered as the service does, with a JSON body
// {"errors":[{"code": "...", "detail": "..."}]}. Every answer carries a
// unique X-Request-Id header.
//
// # Resources
//
// State is kept in memory. Creating, setting and deleting are
// asynchronous, as on the service: a gateway or tunnel is CREATING,
// EDITING or DELETING for Options.TransitionDelay, then ACTIVE or gone
// (404). Transitions are computed from the server's clock
// (Options.Now) when the state is next looked at: there are no timers,
// and a test with an injected clock controls them entirely.
//
// A gateway cannot be set or given tunnels unless ACTIVE, and cannot be
// deleted while it has tunnels or while it is CREATING, EDITING or
// DELETING (409); a tunnel likewise cannot be set or deleted unless
// ACTIVE (409). Resources in ERROR, which ForceState sets, can be deleted.
// Quotas default to the service's: 3 gateways per account, 5 tunnels per
// gateway; creating more is a 400. A tunnel's pre-shared key and the tags
// of both kinds of resources are stored but never answered.
//
// Lists take page (default 0), size (default 20, at most 10000) and sort
// (field:asc or field:desc on any top-level scalar field, several
// separated by commas; default created_at:asc, ties broken by creation
// order). Gateways filter on name and vpc_name (substrings, case-sensitive),
// ip_address and vpc_id (exact). Tunnels filter on name and
// vpn_gateway_name (substrings) and vpn_gateway_id (exact), and in version
// 1.0 on peer_gateway_ip and remote_subnet (exact; a tunnel matches if any
// of its subnets does). Version 1.1 does not define those two and, like
// the service with any parameter it does not know, ignores them.
//
// # Faults
//
// Script queues answers for matching requests (an error status, a dropped
// connection, a delay) ahead of the normal behaviour, and SetLatency slows
// requests down; Requests and CountRequests tell what the server received.
// ForceState puts a resource in any state, such as ERROR, to test waiters.
package vpntest
