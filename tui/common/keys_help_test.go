package common

import (
	"reflect"
	"testing"

	"charm.land/bubbles/v2/key"
)

func TestFullHelpForFitsTheWidth(t *testing.T) {
	k := DefaultKeyMap()
	if got := k.FullHelpFor(200, 2); !reflect.DeepEqual(got, k.FullHelp()) {
		t.Error("at 200 columns the full help is not FullHelp's own columns")
	}
	var want []key.Binding
	for _, col := range k.FullHelp() {
		want = append(want, col...)
	}
	for _, width := range []int{100, 80, 60, 40} {
		cols := k.FullHelpFor(width, 2)
		var got []key.Binding
		for _, col := range cols {
			got = append(got, col...)
		}
		if len(got) != len(want) {
			t.Fatalf("width %d: %d bindings, want %d", width, len(got), len(want))
		}
		for i := range got {
			if got[i].Help() != want[i].Help() {
				t.Fatalf("width %d: binding %d is %v, want %v", width, i, got[i].Help(), want[i].Help())
			}
		}
		if w := columnsWidth(cols, 2); w > width {
			t.Errorf("width %d: the columns take %d cells", width, w)
		}
	}
	if cols := k.FullHelpFor(10, 2); len(cols) != 1 {
		t.Errorf("at 10 columns: %d columns, want one", len(cols))
	}
}
