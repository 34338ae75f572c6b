package stages

import (
	"math/rand/v2"
	"testing"
)

// refNextMarkerByte is nextMarkerByte one byte at a time.
func refNextMarkerByte(s string, i int) int {
	for ; i < len(s); i++ {
		if c := s[i]; c >= '0' && c <= '9' || c >= 0x80 || c == '\'' || c == '?' || c == '*' || c == '"' {
			return i
		}
	}
	return len(s)
}

// TestNextMarkerByte compares nextMarkerByte with a byte-by-byte scan: every
// byte value at every position of a word-aligned and an unaligned run of
// plain letters, and random strings of the bytes near the ones it finds.
func TestNextMarkerByte(t *testing.T) {
	check := func(s string, i int) {
		t.Helper()
		if got, want := nextMarkerByte(s, i), refNextMarkerByte(s, i); got != want {
			t.Fatalf("nextMarkerByte(%q, %d) = %d, want %d", s, i, got, want)
		}
	}
	for c := range 256 {
		for n := range 20 {
			for at := range n {
				b := []byte("abcdefghijklmnopqrst"[:n])
				b[at] = byte(c)
				for i := range min(n, 3) {
					check(string(b), i)
				}
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	alphabet := []byte("aZ ,.;:-()/!#$%&+<=>@[]^_`{|}~\x00\x7f\x80\xff\xe2\"'*?0123456789")
	for range 200000 {
		b := make([]byte, r.IntN(40))
		for k := range b {
			if r.IntN(3) == 0 {
				b[k] = alphabet[r.IntN(len(alphabet))]
			} else {
				b[k] = byte(r.IntN(256))
			}
		}
		check(string(b), r.IntN(len(b)+1))
	}
}
