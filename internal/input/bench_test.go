package input

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkRead measures Read (decoding, detection, splitting) over the
// seeds and, where present, the corpus's text inputs:
//
//	go test -run '^$' -bench Read -cpu 1 ./internal/input/
func BenchmarkRead(b *testing.B) {
	var ins [][]byte
	size := 0
	for _, pat := range []string{"../../../shared/corpus/*/*.txt", "../../testdata/seeds/*/input.txt"} {
		paths, _ := filepath.Glob(pat)
		for _, p := range paths {
			data, err := os.ReadFile(p)
			if err != nil {
				b.Fatal(err)
			}
			if len(data) > 0 {
				ins = append(ins, data)
				size += len(data)
			}
		}
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for range b.N {
		for _, in := range ins {
			if _, err := Read("bench", in, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
}
