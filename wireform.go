package scpvpn

// This file holds the create requests' encoding, and a speed trick: the
// wire form each is encoded from. MarshalJSON sends nil Tags as the empty
// list the API defaults to, by encoding a copy of the request (its wire
// form) without the method; encoding/json would then check and copy what
// MarshalJSON returned, a second pass over the body. The request path
// encodes the wire form itself (wireBody), in one pass.
//
// The trick is kept for issue 18's floor rather than by its rule (at least
// 3% of a call's time or 10 allocations): it buys a Create 2.4 to 2.8% of
// its time and one allocation, a little less than the rule asks, but
// without it a Create took 1.18 to 1.19 times plain net/http's time, more
// than the 1.15 the floor allows (BenchmarkContenders, interleaved, five
// runs each; see BENCHMARKS.md).

import "encoding/json"

// MarshalJSON sends nil Tags as the empty list the API defaults to.
func (r GatewayCreateRequest) MarshalJSON() ([]byte, error) { return json.Marshal(r.wireForm()) }

// wireForm is the request as it is encoded, without MarshalJSON.
func (r GatewayCreateRequest) wireForm() any {
	type plain GatewayCreateRequest
	p := plain(r)
	if p.Tags == nil {
		p.Tags = []Tag{}
	}
	return &p
}

// MarshalJSON sends nil Tags as the empty list the API defaults to.
func (r TunnelCreateRequest) MarshalJSON() ([]byte, error) { return json.Marshal(r.wireForm()) }

// wireForm is the request as it is encoded, without MarshalJSON.
func (r TunnelCreateRequest) wireForm() any {
	type plain TunnelCreateRequest
	p := plain(r)
	if p.Tags == nil {
		p.Tags = []Tag{}
	}
	return &p
}

// MarshalJSON sends nil Tags as the empty list the API defaults to.
func (r TunnelCreateRequestV1Dot1) MarshalJSON() ([]byte, error) { return json.Marshal(r.wireForm()) }

// wireForm is the request as it is encoded, without MarshalJSON.
func (r TunnelCreateRequestV1Dot1) wireForm() any {
	type plain TunnelCreateRequestV1Dot1
	p := plain(r)
	if p.Tags == nil {
		p.Tags = []Tag{}
	}
	return &p
}

// wireBody is what a body is encoded from: a request's wire form, or the
// body itself.
func wireBody(body any) any {
	if w, ok := body.(interface{ wireForm() any }); ok && !isNil(body) {
		return w.wireForm()
	}
	return body
}
