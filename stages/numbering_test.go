package stages_test

import "testing"

func TestNumberingGolden(t *testing.T) { paraGolden(t, "numbering", "numbering") }
