// Package testkit holds what only the tests and benchmarks are built
// from, apart from the packages the SDK and vpntest are built from:
//
//	apischema   validates requests and answers against the API's OpenAPI documents
//	chaos       a fault-injecting proxy for HTTP/1.1 and HTTP/2, for the soak
//	interleave  runs contenders call by call, for the benchmarks
//
// Nothing outside _test.go files imports them.
package testkit
