package vpntest

// This file holds the IAM endpoint catalog the server serves at AuthURL,
// where the SDK finds the VPN endpoint of a region.

import "net/http"

// The catalog's place below the server's URL, and what the fake's own
// entry says of it.
const (
	authPath       = "/iam/v1"
	catalogPath    = authPath + "/endpoints"
	defaultRegion  = "kr-west1"
	vpnServiceType = "scp-vpn"
	vpnServiceName = "vpn"
)

// A CatalogEntry is one entry of the IAM endpoint catalog: where a
// service of a region is served.
type CatalogEntry struct {
	// Region is the entry's region, such as "kr-west1".
	Region string `json:"region"`
	// ServiceType is the kind of service, such as "scp-vpn" (the one the
	// SDK looks for) or "scp-vpc".
	ServiceType string `json:"service_type"`
	// ServiceName is the service's name, for people.
	ServiceName string `json:"service_name"`
	// URL is the service's endpoint. In Options.Catalog, an empty URL
	// stands for the server's own.
	URL string `json:"url"`
}

// catalogJSON is the answer of the catalog.
type catalogJSON struct {
	Endpoints []CatalogEntry `json:"endpoints"`
}

// catalogEntries returns the entries of the catalog: the fake's own, as
// scp-vpn of Options.Region, then those of Options.Catalog.
func (s *Server) catalogEntries() []CatalogEntry {
	entries := make([]CatalogEntry, 0, 1+len(s.opts.Catalog))
	entries = append(entries, CatalogEntry{Region: s.opts.Region, ServiceType: vpnServiceType, ServiceName: vpnServiceName, URL: s.URL})
	for _, e := range s.opts.Catalog {
		if e.URL == "" {
			e.URL = s.URL
		}
		entries = append(entries, e)
	}
	return entries
}

// catalog serves GET {AuthURL}/endpoints: signed like every call, but
// without a version header.
func (s *Server) catalog(*call) (int, any, error) {
	return http.StatusOK, catalogJSON{Endpoints: s.catalogEntries()}, nil
}
