package pane

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/ferry-tui/ferry/local"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui/common"
)

// entryNamed returns the entry of p named name.
func entryNamed(t *testing.T, p *Model, name string) *Entry {
	t.Helper()
	for i := range p.entries {
		if p.entries[i].name == name {
			return &p.entries[i]
		}
	}
	t.Fatalf("no entry %q in %q", name, p.Names())
	return nil
}

// rowOf renders the row of the entry named name, styled, cursor elsewhere.
func rowOf(t *testing.T, p *Model, st *common.Styles, name string) string {
	t.Helper()
	e := entryNamed(t, p, name)
	return p.rowView(st, layoutColumns(p.width), e, false, false, time.Now())
}

func TestBrokenLinkLooksBroken(t *testing.T) {
	dir := t.TempDir()
	mkfile(t, dir, "a.txt")
	for _, l := range [][2]string{{"nowhere", "dangling"}, {"a.txt", "good"}, {"loop", "loop"}} {
		if err := os.Symlink(l[0], filepath.Join(dir, l[1])); err != nil {
			t.Skip("no symbolic links:", err)
		}
	}
	p := listed(t, dir, 10)
	p.SetSize(100, 10)
	for name, broken := range map[string]bool{"dangling": true, "loop": true, "good": false, "a.txt": false} {
		if got := entryNamed(t, p, name).Broken(); got != broken {
			t.Errorf("%s: Broken() = %v, want %v", name, got, broken)
		}
	}
	st := common.DefaultStyles(true)
	view := ansi.Strip(p.View(&st, time.Now()))
	for _, want := range []string{"dangling -> nowhere (broken)", "good -> a.txt ", "loop -> loop (broken)"} {
		if !strings.Contains(view, want) {
			t.Errorf("view lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "good -> a.txt (broken)") {
		t.Errorf("a good link shown broken:\n%s", view)
	}
	// Styled apart from good links: as an error.
	dangling := rowOf(t, p, &st, "dangling")
	if want := st.StatusError.Render(" " + nameCell(entryNamed(t, p, "dangling"), layoutColumns(p.width).name)); !strings.HasPrefix(dangling, want) {
		t.Errorf("broken link row %q does not start in the error style %q", dangling, want)
	}
	if want := st.Link.Render(" " + nameCell(entryNamed(t, p, "good"), layoutColumns(p.width).name)); !strings.HasPrefix(rowOf(t, p, &st, "good"), want) {
		t.Errorf("good link row not in the link style %q", want)
	}
}

func TestBrokenLinkNameCell(t *testing.T) {
	e := Entry{name: "dangling", display: "dangling", width: 8, target: "nowhere", mode: os.ModeSymlink | 0o777, broken: true}
	tests := []struct {
		w    int
		want string
	}{
		{40, "dangling -> nowhere (broken)            "},
		{28, "dangling -> nowhere (broken)"},
		{26, "dangling -> nowh… (broken)"},
		{22, "dangling -> … (broken)"},
		{21, "dangling!            "},
		{9, "dangling!"},
		{6, "dang…!"},
	}
	for _, tt := range tests {
		got := nameCell(&e, tt.w)
		if ansi.StringWidth(got) != tt.w {
			t.Errorf("w %d: %q is %d wide", tt.w, got, ansi.StringWidth(got))
		}
		if got != tt.want {
			t.Errorf("w %d: %q, want %q", tt.w, got, tt.want)
		}
	}
	// Without a target (the link could not be read): the name and the tail.
	e.target = ""
	if got := nameCell(&e, 20); got != "dangling (broken)   " {
		t.Errorf("no target: %q", got)
	}
}

func TestFerryTempFilesDimmed(t *testing.T) {
	dir := t.TempDir()
	fsys := local.New()
	part := transfer.TempPath(fsys, filepath.Join(dir, "big.iso"))
	names := []string{filepath.Base(part), filepath.Base(part) + ".meta", ".big.iso.ferry-old", "big.iso", ".ferry-part", "notes.ferry-part", ".bashrc"}
	for _, n := range names {
		mkfile(t, dir, n)
	}
	p := listed(t, dir, 12)
	st := common.DefaultStyles(true)
	for _, n := range names {
		temp := n == ".big.iso.ferry-part" || n == ".big.iso.ferry-part.meta" || n == ".big.iso.ferry-old"
		if got := entryNamed(t, p, n).Temp(); got != temp {
			t.Errorf("%s: Temp() = %v, want %v", n, got, temp)
		}
		e := entryNamed(t, p, n)
		want := st.File
		if temp {
			want = st.Meta
		}
		if row := rowOf(t, p, &st, n); !strings.HasPrefix(row, want.Render(" "+nameCell(e, layoutColumns(p.width).name))) {
			t.Errorf("%s: row %q not in the %s style", n, row, map[bool]string{true: "dimmed", false: "file"}[temp])
		}
	}
	if filepath.Base(part) != ".big.iso.ferry-part" {
		t.Errorf("transfer's temp name %q: update isTempName", filepath.Base(part))
	}
}

// labelFS is the local file system under another label, as a host is.
type labelFS struct {
	*local.FS
	label string
}

func (l labelFS) Label() string { return l.label }

func TestHeaderKeepsLabelCutsPathStart(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a-rather-long-directory-name", "and-another-one", "deploy")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	km := common.DefaultKeyMap()
	p := New(t.Context(), labelFS{local.New(), "web1"}, common.Right, &km)
	apply(t, &p, p.Load(dir, ""))
	st := common.MonoStyles()
	// 80 columns give the panes 39 and 40 cells; then narrower ones.
	for _, w := range []int{40, 39, 30, 20, 12, 8} {
		p.SetSize(w, 5)
		h := ansi.Strip(p.HeaderView(&st))
		if ansi.StringWidth(h) != w {
			t.Errorf("w %d: header %q is %d wide", w, h, ansi.StringWidth(h))
		}
		if !strings.HasPrefix(h, " web1:…") {
			t.Errorf("w %d: header %q does not keep the label and cut the path's start", w, h)
		}
		if w >= 12 && !strings.Contains(h, "loy ") {
			t.Errorf("w %d: header %q lost the path's end", w, h)
		}
	}
	p.SetSize(300, 5)
	if h := ansi.Strip(p.HeaderView(&st)); !strings.HasPrefix(h, " web1:"+dir+" ") {
		t.Errorf("wide header %q, want the whole path", h)
	}
}

func TestTitleCell(t *testing.T) {
	tests := []struct {
		label, path string
		w           int
		want        string
	}{
		{"web1:", "/srv/www", 20, "web1:/srv/www       "},
		{"web1:", "/srv/www", 13, "web1:/srv/www"},
		{"web1:", "/srv/www", 12, "web1:…rv/www"},
		{"web1:", "/srv/www", 7, "web1:…w"},
		{"web1:", "/srv/www", 6, "web1:…"},
		{"a-very-long-host:", "/srv", 8, "a-very-…"},
	}
	for _, tt := range tests {
		if got := titleCell(tt.label, tt.path, tt.w); got != tt.want {
			t.Errorf("titleCell(%q, %q, %d) = %q, want %q", tt.label, tt.path, tt.w, got, tt.want)
		}
	}
}
