package transfer_test

import (
	"strings"
	"testing"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
)

func TestTempNames(t *testing.T) {
	fsys := local.New()
	for _, dst := range []string{"/d/a.txt", "/d/.hidden", "/d/" + strings.Repeat("long", 70)} {
		tmp := transfer.TempPath(fsys, dst)
		if !transfer.IsTempName(fsys.Base(tmp)) {
			t.Errorf("IsTempName(%q) = false", fsys.Base(tmp))
		}
		if got := transfer.MetaPath(tmp); got != tmp+".meta" {
			t.Errorf("MetaPath(%q) = %q", tmp, got)
		}
	}
	for _, n := range []string{"a.ferry-part", ".ferry-part", "a.txt", ".a.ferry-part.meta"} {
		if transfer.IsTempName(n) {
			t.Errorf("IsTempName(%q) = true", n)
		}
	}
}
