// Package paginate walks the pages of a list endpoint as an iterator.
package paginate

import (
	"context"
	"iter"
)

// Page is one answer of a list endpoint.
type Page[T any] struct {
	Items []T
	// Count is the number of matches on every page together.
	Count int
	// Size is the page size the server used.
	Size int
}

// Fetch loads one page by number.
type Fetch[T any] func(ctx context.Context, page int) (Page[T], error)

// All yields every item of every page from page start on. It stops at an
// empty page, after the page that holds the last of Count matches, at the
// first error (yielded with a nil item), or when the caller stops ranging.
// Only one page is held in memory at a time.
func All[T any](ctx context.Context, start int, fetch Fetch[T]) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		start := max(start, 0)
		yielded := 0
		for page := start; ; page++ {
			p, err := fetch(ctx, page)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range p.Items {
				if !yield(&p.Items[i], nil) {
					return
				}
			}
			yielded += len(p.Items)
			if len(p.Items) == 0 || done(start, page, yielded, p) {
				return
			}
		}
	}
}

// done reports whether the page just read holds the last match. It trusts the
// server's page size when it reports one, so that a walk begun on a later
// page still ends, and falls back to counting what was yielded.
func done[T any](start, page, yielded int, p Page[T]) bool {
	if p.Size > 0 {
		return page*p.Size+len(p.Items) >= p.Count
	}
	return start == 0 && yielded >= p.Count
}
