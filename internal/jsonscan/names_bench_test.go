package jsonscan

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkDuplicateName measures the pass over a gateway's and a tunnel's
// answer that looks for a member given twice.
func BenchmarkDuplicateName(b *testing.B) {
	for _, name := range []string{"gateway_get_response", "tunnel_get_response"} {
		body, err := os.ReadFile(filepath.Join("..", "..", "testdata", "v1.1", name+".json"))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, dup := DuplicateName(body); dup {
					b.Fatal("a duplicate")
				}
			}
		})
	}
}
