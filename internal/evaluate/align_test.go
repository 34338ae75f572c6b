package evaluate

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestAlignWords(t *testing.T) {
	tests := []struct {
		name, reason string
		gold, out    string
		wantAt       []int
		wantDist     int
	}{
		{
			name:   "identical",
			reason: "every word pairs with itself",
			gold:   "a b c", out: "a b c",
			wantAt: []int{0, 1, 2}, wantDist: 0,
		},
		{
			name:   "substituted word still pairs",
			reason: "markers and paragraph starts count on substituted words too",
			gold:   "Crime, the", out: "Crime. the",
			wantAt: []int{0, 1}, wantDist: 1,
		},
		{
			name:   "substitution beats a shifted exact match",
			reason: "pairing is tried first, so b pairs with c although b appears in the output one place earlier",
			gold:   "a b", out: "b c",
			wantAt: []int{0, 1}, wantDist: 2,
		},
		{
			name:   "a repeated output word pairs its last copy",
			reason: "walking back from the end, pairing is tried before skipping an output word",
			gold:   "a", out: "a a",
			wantAt: []int{1}, wantDist: 1,
		},
		{
			name:   "deleting gold beats inserting output",
			reason: "where pairing costs more, the walk drops the gold word first, so output words pair with earlier gold words",
			gold:   "a b a", out: "b a b",
			wantAt: []int{1, 2, -1}, wantDist: 2,
		},
		{
			name:   "inserted words",
			reason: "extra output words are skipped",
			gold:   "a b", out: "x a y b z",
			wantAt: []int{1, 3}, wantDist: 3,
		},
		{
			name:   "empty output",
			reason: "every gold word is deleted",
			gold:   "a b", out: "",
			wantAt: []int{-1, -1}, wantDist: 2,
		},
		{
			name:   "empty gold",
			reason: "every output word is inserted",
			gold:   "", out: "a b",
			wantAt: []int{}, wantDist: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			at, dist := alignWords(strings.Fields(tt.gold), strings.Fields(tt.out))
			type alignment struct {
				At   []int
				Dist int
			}
			want, got := alignment{tt.wantAt, tt.wantDist}, alignment{at, dist}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("alignWords(%q, %q) (%s) mismatch (-want +got):\n%s", tt.gold, tt.out, tt.reason, diff)
			}
		})
	}
}
