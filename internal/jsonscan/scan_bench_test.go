package jsonscan

// Benchmarks of the scanner: cutting the items of a list out of a stream,
// with and without the check for members given twice.

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// listItems returns the items of a list of n gateways, compact, as a
// list answer holds them: "[item,item,...]".
func listItems(b *testing.B, n int) []byte {
	b.Helper()
	body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "v1.1", "gateway_list_response.json"))
	if err != nil {
		b.Fatal(err)
	}
	var page struct {
		Items []json.RawMessage `json:"vpn_gateways"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		b.Fatal(err)
	}
	var item bytes.Buffer
	if err := json.Compact(&item, page.Items[0]); err != nil {
		b.Fatal(err)
	}
	items := make([][]byte, n)
	for i := range items {
		items[i] = item.Bytes()
	}
	return append(append([]byte("["), bytes.Join(items, []byte(","))...), ']')
}

// BenchmarkItems measures cutting the 20 items of a list out of a stream:
// checked for members given twice in the same pass (CheckedValue), checked
// in a second pass (Value, then DuplicateName), and not checked (Value).
func BenchmarkItems(b *testing.B) {
	stream := listItems(b, 20)
	for _, bc := range []struct {
		name string
		item func(*Scanner) error
	}{
		{"checked", func(sc *Scanner) error { _, err := sc.CheckedValue(); return err }},
		{"two passes", func(sc *Scanner) error {
			v, err := sc.Value()
			if _, dup := DuplicateName(v); dup {
				b.Fatal("a duplicate")
			}
			return err
		}},
		{"unchecked", func(sc *Scanner) error { _, err := sc.Value(); return err }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(stream)))
			for b.Loop() {
				sc := New(bytes.NewReader(stream), 64<<10)
				if err := sc.Expect('['); err != nil {
					b.Fatal(err)
				}
				for i := range 20 {
					if i > 0 {
						if err := sc.Expect(','); err != nil {
							b.Fatal(err)
						}
					}
					if err := bc.item(sc); err != nil {
						b.Fatal(err)
					}
				}
				sc.Release()
			}
		})
	}
}
