package vpntest

// This file holds what lists share: the query (page, size, sort,
// filters), sorting and paging.

import (
	"cmp"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// List parameters.
const (
	defaultPageSize = 20
	maxPageSize     = 10000
	defaultSort     = "created_at:asc"
)

// listQuery is the validated query of a list request.
type listQuery struct {
	page, size int
	sorts      []sortKey
	filters    url.Values
}

type sortKey struct {
	field string
	desc  bool
}

// parseListQuery reads page, size, sort and the filters; isField tells
// which fields can be sorted on. Parameters the API does not know are
// ignored, as the service ignores them.
func parseListQuery(c *call, isField func(string) bool) (listQuery, error) {
	values, err := c.query()
	if err != nil {
		return listQuery{}, err
	}
	q := listQuery{size: defaultPageSize, filters: values}
	if q.page, err = intParam(values, "page", q.page, math.MaxInt); err != nil {
		return listQuery{}, err
	}
	if q.size, err = intParam(values, "size", q.size, maxPageSize); err != nil {
		return listQuery{}, err
	}
	for _, param := range values["sort"] {
		for _, s := range strings.Split(param, ",") {
			field, dir, ok := strings.Cut(s, ":")
			if !ok || dir != "asc" && dir != "desc" {
				return listQuery{}, errorf(http.StatusBadRequest, codeInvalidParameter,
					"sort: %q must be of the form field:asc or field:desc", s)
			}
			if !isField(field) {
				return listQuery{}, errorf(http.StatusBadRequest, codeInvalidParameter,
					"sort: cannot sort on unknown field %q", field)
			}
			q.sorts = append(q.sorts, sortKey{field: field, desc: dir == "desc"})
		}
	}
	if len(q.sorts) == 0 {
		q.sorts = []sortKey{{field: "created_at"}}
	}
	return q, nil
}

// intParam reads the integer parameter name, between 0 and hi; def when
// absent.
func intParam(values url.Values, name string, def, hi int) (int, error) {
	vs, ok := values[name]
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(vs[0])
	switch {
	case err != nil:
		return 0, errorf(http.StatusBadRequest, codeInvalidParameter, "%s: must be an integer, got %q", name, vs[0])
	case n < 0:
		return 0, errorf(http.StatusBadRequest, codeInvalidParameter, "%s: must not be negative, got %d", name, n)
	case n > hi:
		return 0, errorf(http.StatusBadRequest, codeInvalidParameter, "%s: must be at most %d, got %d", name, hi, n)
	}
	return n, nil
}

// answer is the body of a list answer: count, the page and sort in force,
// and items under the collection's key, such as "vpn_gateways". A map
// encodes its keys in the API's (alphabetical) order.
func (q listQuery) answer(key string, count int, items any) map[string]any {
	return map[string]any{"count": count, "page": q.page, "size": q.size, "sort": q.sortStrings(), key: items}
}

// sortStrings renders the sort in force, as the answer's "sort".
func (q listQuery) sortStrings() []string {
	out := make([]string, len(q.sorts))
	for i, k := range q.sorts {
		dir := "asc"
		if k.desc {
			dir = "desc"
		}
		out[i] = k.field + ":" + dir
	}
	return out
}

// contains reports whether v matches the substring filter name, if set.
func (q listQuery) contains(name, v string) bool {
	f := q.filters.Get(name)
	return f == "" || strings.Contains(v, f)
}

// equals reports whether v matches the exact filter name, if set.
func (q listQuery) equals(name, v string) bool {
	f := q.filters.Get(name)
	return f == "" || v == f
}

// value is a field's value for sorting: a string or a time.
type value struct {
	s string
	t time.Time
}

func (a value) compare(b value) int {
	if c := a.t.Compare(b.t); c != 0 {
		return c
	}
	return strings.Compare(a.s, b.s)
}

// sortable is a resource that lists can sort.
type sortable interface {
	order() uint64
	value(field string) (value, bool)
}

func (r *resource) order() uint64 { return r.seq }

// value returns the fields that gateways and tunnels share. account_id is
// the same for every resource, so sorting on it keeps creation order.
func (r *resource) value(field string) (value, bool) {
	switch field {
	case "account_id":
		return value{}, true
	case "created_at":
		return value{t: r.createdAt}, true
	case "created_by":
		return value{s: r.createdBy}, true
	case "description":
		if r.description == nil {
			return value{}, true
		}
		return value{s: *r.description}, true
	case "id":
		return value{s: r.id}, true
	case "modified_at":
		return value{t: r.modifiedAt}, true
	case "modified_by":
		return value{s: r.modifiedBy}, true
	case "name":
		return value{s: r.name}, true
	case "state":
		return value{s: r.state}, true
	}
	return value{}, false
}

func (g *gateway) value(field string) (value, bool) {
	switch field {
	case "ip_address":
		return value{s: g.ipAddress}, true
	case "ip_id":
		return value{s: g.ipID}, true
	case "ip_type":
		return value{s: g.ipType}, true
	case "vpc_id":
		return value{s: g.vpcID}, true
	case "vpc_name":
		return value{s: g.vpcName}, true
	}
	return g.resource.value(field)
}

func (t *tunnel) value(field string) (value, bool) {
	switch field {
	case "vpc_id":
		return value{s: t.vpcID}, true
	case "vpc_name":
		return value{s: t.vpcName}, true
	case "vpn_gateway_id":
		return value{s: t.gatewayID}, true
	case "vpn_gateway_ip_address":
		return value{s: t.gatewayIP}, true
	case "vpn_gateway_name":
		return value{s: t.gatewayName}, true
	}
	return t.resource.value(field)
}

// gatewaySortFields and tunnelSortFields tell the top-level scalar fields
// of each resource, which are the ones lists sort on.
func gatewaySortFields(field string) bool {
	_, ok := (&gateway{}).value(field)
	return ok
}

func tunnelSortFields(field string) bool {
	_, ok := (&tunnel{}).value(field)
	return ok
}

// sortResources sorts items by keys, ties broken by creation order in the
// direction of the first key.
func sortResources[T sortable](items []T, keys []sortKey) {
	slices.SortFunc(items, func(a, b T) int {
		for _, k := range keys {
			va, _ := a.value(k.field)
			vb, _ := b.value(k.field)
			if c := va.compare(vb); c != 0 {
				if k.desc {
					return -c
				}
				return c
			}
		}
		c := cmp.Compare(a.order(), b.order())
		if len(keys) > 0 && keys[0].desc {
			return -c
		}
		return c
	})
}

// page returns the items of page number n of the given size.
func page[T any](items []T, n, size int) []T {
	if size == 0 || n > len(items)/size {
		return nil
	}
	start := n * size
	return items[start:min(start+size, len(items))]
}
