// Package vpntest provides an in-memory fake of the Samsung Cloud Platform
// VPN API, for tests: the SDK's own, and those of code that uses the SDK.
//
// NewServer starts a real HTTP server on the loopback interface that
// serves the API in both its versions, vpn 1.0 and vpn 1.1: the ten
// endpoints of VPN gateways and VPN tunnels (create, show, list, set,
// delete), the two quota endpoints and the subnet availability check, and
// an IAM endpoint catalog. Server.Client returns an SDK client for it:
//
//	srv := vpntest.NewServer(vpntest.Options{})
//	defer srv.Close()
//	c, err := srv.Client() // endpoint, credentials, waits of milliseconds
//
// A client configured by hand works as well:
//
//	c, err := scpvpn.NewClient(
//		scpvpn.WithEndpoint(srv.URL),
//		scpvpn.WithCredentials(srv.AccessKey, srv.SecretKey),
//	)
//
// Client's waiters poll every few milliseconds and its retries back off
// for milliseconds, where the SDK's defaults suit a service that takes
// minutes; options given to Client come after these and override them.
//
// # Strictness
//
// The fake is as strict as the service is documented to be, and no
// stricter: what no document says the service refuses, it accepts, or
// code tested against it would fail against nothing real. Every request
// is checked, in this order:
//
//  1. Scp-Accesskey must be the server's access key, Scp-Timestamp within
//     Options.MaxClockSkew of the server's clock, and Scp-Signature the
//     signature of the request over its URL exactly as received: otherwise
//     401, with the code HmacValidFail for a bad signature.
//  2. The path and method must be the API's: otherwise 404 or 405, in
//     plain text, as a router in front of the service answers (see below).
//  3. Scp-Api-Version must be "vpn 1.0" or "vpn 1.1": otherwise 400. The
//     IAM catalog alone takes no version.
//  4. A POST or PUT body must be a JSON object sent as application/json,
//     with the fields the API's schemas require, of the right JSON types,
//     and within the field rules that SCP's Terraform provider and user
//     guide document, the looser where they disagree: names of 1 to 20
//     ASCII letters and digits; IKE version 1 or 2; DPD interval 1 to
//     3600 s; life times 120 to 172800 s; 1 to 3 Diffie-Hellman groups
//     among 1, 2, 5, 14 to 21 and 27 to 32; 1 to 10 proposals;
//     pre-shared keys of 8 to 64 characters; PFS ENABLE or DISABLE; IP
//     addresses; 1 to 20 remote subnets in CIDR notation. Version 1.0
//     takes a tunnel's remote_subnet and refuses remote_subnets; version
//     1.1 the other way round. Every bad field is reported, each in its
//     own entry of the error body. Unknown fields are ignored.
//
// Rules that no document states are left to the service: the fake accepts
// a network written with host bits (10.1.2.3/16, which it treats as
// 10.1.0.0/16), repeated proposals, groups and remote subnets, an empty
// tag key, and IPv4 addresses with leading zeros (010.001.002.003). It
// stores and answers such values as given.
//
// Errors are answered as the service does, with a JSON body
// {"errors":[{"code": "...", "detail": "..."}]}, but for the 400s of the
// quota endpoints and of the subnet check, whose body is the list of
// ValidationErrorModel that the documents declare for them:
// [{"loc": ["query", "remote_subnet"], "msg": "field required",
// "type_": "value_error.missing"}], and for the router's 404 and 405 (a
// path or method that is not the API's), which are plain text. Every 404
// about a resource (a gateway or tunnel that does not exist) carries the
// error body. Every answer carries a unique X-Request-Id header, and every
// answer of the API a Date header read from the server's clock
// (Options.Now) when the request arrived, as the service's Date is read
// from the clock of its created_at values (a scripted fault's answer has
// net/http's Date).
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
// gateway; creating more is a 400 with the code QuotaExceeded. A
// tunnel's pre-shared key and the tags of both kinds of resources are
// stored but never answered.
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
// # Quotas and subnets
//
// GET /v1/vpn-gateways/metrics/quotas answers
// {"vpn_gateway_max_quota": N, "vpn_gateway_used_quota": M}: the gateway
// quota and the gateways that count against it (every one not gone nor
// DELETED, those being created or deleted included). The quota is the
// account's, so the optional vpc_id changes nothing.
//
// GET /v1/vpn-tunnels/metrics/quotas answers
// {"vpn_tunnel_max_quota": N, "vpn_tunnel_used_quota": M}. With
// vpn_gateway_id, for that gateway (404 if there is none): its tunnels
// against the per-gateway quota. Without, for the account: every tunnel,
// against the per-gateway quota times the gateway quota.
//
// GET /v1/vpn-tunnels/vpn-tunnel-subnet-availabilities takes vpn_gateway_id
// and remote_subnet, both required (400), and answers
// {"vpn_tunnel_subnet_availability": {"vpn_gateway_id": ...,
// "remote_subnet": ..., "availability": ...}}: INVALID if remote_subnet
// is not a network in CIDR notation, DUPLICATE if it overlaps (equals,
// contains or lies within) a remote subnet of a tunnel of that gateway
// that is not gone nor DELETED, AVAILABLE otherwise; 404 if the gateway
// does not exist.
//
// # Endpoint catalog
//
// Server.AuthURL is the URL of a fake IAM service: a GET of
// AuthURL + "/endpoints", signed like every call (over its URL as
// received) but without Scp-Api-Version, answers
// {"endpoints": [{"region": ..., "service_type": ..., "service_name": ...,
// "url": ...}, ...]}. The first entry is the server itself, as the
// scp-vpn service of Options.Region ("kr-west1" by default); the entries
// of Options.Catalog follow, for other regions or other services, so that
// an SDK client built with WithCatalog(srv.AuthURL, region) finds the
// server, or reports a region that has no VPN.
//
// # What the fake does differently from the documents
//
// The SDK's tests judge every request it sends and every answer of the
// fake against the API's OpenAPI documents: the official one of version
// 1.0, and one of version 1.1 written from the API reference (see the
// module's testdata/openapi). The fake's answers conform to them, but for
// these, which no document lists:
//
//   - 401, to any call whose signature, access key or timestamp is wrong.
//     The documents list no 401 (but for the gateway quota); SIGNING.md
//     records the service's 401 HmacValidFail, and the fake must refuse
//     such a call somehow.
//   - 409 to a Set of a gateway or tunnel, to the Delete of a tunnel, and
//     to the creation of a tunnel on its gateway, while that resource is
//     not ACTIVE (being created, changed or deleted). The documents list a
//     409 only for the Delete of a gateway, which SIGNING.md says the
//     service refuses in the same states; the fake refuses the others
//     likewise rather than accept a change on top of one under way, which
//     no document says the service does.
//   - 404 to the creation of a tunnel, in version 1.0, for a gateway that
//     does not exist: the API reference lists it for both versions, the
//     1.0 document does not.
//   - 400 to a request with no Scp-Api-Version or an unknown one, 404 to a
//     path that is not the API's, 405 to a method a path does not take and
//     413 to a body over 1 MiB: these are no operation of a document. The
//     404 and 405 are a router's, answered before the version is looked
//     at: a plain-text body ("no such endpoint: /vpn/v1/vpn-gateways/..."),
//     without the API's error body, as an API gateway or proxy in front of
//     the service answers a path it does not route. Only the service's
//     own 404, with its error body, says that a resource does not exist:
//     a client whose endpoint has a wrong path prefix must not read the
//     router's 404 as "gone", and the SDK does not.
//
// The quota endpoints and the subnet check are in the 1.0 document only;
// version 1.1 answers them the same way.
//
// # Faults and state
//
// Script queues answers for matching requests (an error status, a dropped
// connection, a delay) ahead of the normal behaviour, and SetLatency slows
// requests down; both apply to every endpoint, the catalog included.
// Requests and CountRequests tell what the server received. AddGateway
// and AddTunnel put resources straight into the server's state;
// ForceState puts a resource in any of the SDK's states, such as
// scpvpn.StateError, to test waiters; State and PreSharedKey read what the
// API does not answer.
package vpntest
