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
}

// Fetch loads one page by number.
type Fetch[T any] func(ctx context.Context, page int) (Page[T], error)

// All yields every item of every page from page start on. It stops at an
// empty page, once it has yielded Count items from the start page on, at the
// first error (yielded with a nil item), or when the caller stops ranging.
// Either end comes: the pages run out, or Count is reached. Only one page is
// held in memory at a time.
func All[T any](ctx context.Context, start int, fetch Fetch[T]) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		yielded := 0
		for page := max(start, 0); ; page++ {
			p, err := fetch(ctx, page)
			if err != nil {
				yield(nil, err)
				return
			}
			if len(p.Items) == 0 {
				return
			}
			for i := range p.Items {
				if !yield(&p.Items[i], nil) {
					return
				}
				yielded++
				if yielded >= p.Count {
					return
				}
			}
		}
	}
}
