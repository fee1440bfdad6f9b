package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestBenchUI measures issue 14's promise, "a transfer with the UI open
// runs at the same speed as headless": the built ferry binary copies the
// same data once through its UI (started in tmux, connected, the source
// in one pane and the destination directory in the other, F5, Enter on
// the copy dialog) and once headless (`ferry -F cfg cp SRC box:DIR/`, or
// the download form), alternating which goes first every round, each
// into a fresh destination, against one real sshd, with the data on a
// disk-backed directory (FERRY_BENCH_DIR, as for TestBenchTools).
//
// Run it with
//
//	FERRY_BENCH=1 go test ./cmd/ferry -run '^TestBenchUI$' -v -timeout 60m
//
// Cases: one large file up and down on loopback (FERRY_BENCH_MB, 1024
// MiB) and through a 50 ms delay proxy (FERRY_BENCH_RTT_MB, 256 MiB), and
// 2000 x 16 KiB files in 20 directories up and down on loopback;
// FERRY_BENCH_CASES (a regexp) picks some, FERRY_BENCH_ROUNDS (3) sets the
// rounds, FERRY_BENCH_OUT names a file the report is also written to, and
// FERRY_BENCH_PERF a directory for `perf record` profiles of every copy
// (which then costs CPU: such a run's timings are not the benchmark's).
//
// A copy is done when every byte is at the destination under its real
// name (sizes match, no temporary file left), which the benchmark sees by
// polling the disk every few milliseconds, for both. The UI is timed from
// the Enter that confirms the copy (it is connected already); headless
// from its start, so it pays its SSH connection: the report gives it
// raw, less the time of `ferry ls box:/` run just before it (the connect
// time, an upper bound: it lists a directory too) and less its own SSH
// handshake (when its -v output says "authenticated", a lower bound: the
// SFTP session is opened after it), with the ratio UI / headless for
// each; the UI's true ratio lies between the two.
// Client CPU is the ferry process's: for the UI its utime+stime during
// the copy (from /proc) and the tmux server's beside it, for headless the
// child's rusage. Before the timed rounds of a large-file case, one
// extra, untimed UI run checks that the UI stays live: the progress line
// changes while the copy runs and a Tab pressed mid-copy shows on screen
// within a second.
func TestBenchUI(t *testing.T) {
	if os.Getenv("FERRY_BENCH") != "1" {
		t.Skip("set FERRY_BENCH=1 to run the UI-versus-headless benchmark")
	}
	if raceEnabled {
		t.Skip("the benchmark measures a binary built without -race: run it without -race")
	}
	env, base := newToolEnv(t)
	rounds := benchEnvInt("FERRY_BENCH_ROUNDS", 3)
	var sel *regexp.Regexp
	if v := os.Getenv("FERRY_BENCH_CASES"); v != "" {
		sel = regexp.MustCompile(v)
	}
	var report strings.Builder
	fmt.Fprintf(&report, "data in %s (%s); %s; %d rounds; %d CPUs; %s\n", base, fsType(base), sshVersionLine(), rounds, cpuCount(), loadLine())
	report.WriteString("UI: timed from the Enter that confirms the copy dialog (connected already) to every byte at the destination under its real name.\n" +
		"headless: `ferry cp` timed from its start to the same disk condition (it pays its SSH connection); connect = `ferry ls box:/`, measured every round;\n" +
		"headless - connect subtracts that round's connect time (an upper bound: ls also lists /); headless - its handshake subtracts the time its -v output\n" +
		"said \"authenticated\" (a lower bound: the SFTP session opens after it). Ratios are UI / (headless - X) per round, and their median.\n\n")
	for _, c := range uiCases() {
		if sel != nil && !sel.MatchString(c.name) {
			continue
		}
		env.setRTT(t, c.rtt)
		src := env.uiSource(t, c)
		var live string
		if c.files == 1 {
			live = env.checkLive(t, c, src)
		}
		res := env.runUICase(t, c, src, rounds)
		tbl := res.table(c)
		if live != "" {
			tbl += "\n" + live + "\n"
		}
		report.WriteString(tbl)
		fmt.Fprintf(&report, "\n%s\n\n", loadLine())
		t.Logf("\n%s", tbl)
		if out := os.Getenv("FERRY_BENCH_OUT"); out != "" {
			if err := os.WriteFile(out, []byte(report.String()), 0o644); err != nil {
				t.Error(err)
			}
		}
	}
	t.Logf("\n%s", report.String())
}

// uiCases are TestBenchTools's loopback cases and its large files at
// 50 ms.
func uiCases() []toolCase {
	var out []toolCase
	for _, c := range benchCases() {
		if c.rtt == 0 || (c.rtt == 50*time.Millisecond && c.files == 1) {
			out = append(out, c)
		}
	}
	return out
}

// uiSource writes c's source with prepare and moves it into a directory of
// its own, so that it is the only entry of the pane it is copied from.
func (e *toolEnv) uiSource(t *testing.T, c toolCase) string {
	t.Helper()
	p := e.prepare(t, c)
	dir := filepath.Join(filepath.Dir(p), "ui-"+filepath.Base(p))
	moved := filepath.Join(dir, filepath.Base(p))
	if _, err := os.Stat(moved); err == nil {
		return moved
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p, moved); err != nil {
		t.Fatal(err)
	}
	return moved
}

// uiRun is one measured copy, through the UI or headless.
type uiRun struct {
	round int
	wall  time.Duration // to the disk condition
	exit  time.Duration // to its exit (headless) or to "idle" on screen (UI)
	cpu   time.Duration // ferry's CPU (headless: all of it)
	tmux  time.Duration // UI: the tmux server's CPU during the copy
	rss   int64         // peak RSS in bytes
	// handshake is, for headless, when its -v output said
	// "authenticated": its SSH handshake, without the SFTP session.
	handshake time.Duration
}

// uiResult holds one case's runs by kind.
type uiResult struct {
	ui, headless, connect []uiRun
}

// runUICase runs the UI and headless copies rounds times, alternating the
// order, with `ferry ls` just before each headless copy.
func (e *toolEnv) runUICase(t *testing.T, c toolCase, src string, rounds int) *uiResult {
	t.Helper()
	res := &uiResult{}
	for r := range rounds {
		steps := []func(){
			func() {
				if run, ok := e.uiCopy(t, c, src, nil); ok {
					run.round = r
					res.ui = append(res.ui, run)
				}
			},
			func() {
				conn, ok := e.connectRun(t)
				if !ok {
					return
				}
				conn.round = r
				if run, ok := e.headlessCopy(t, c, src); ok {
					run.round = r
					res.connect = append(res.connect, conn)
					res.headless = append(res.headless, run)
				}
			},
		}
		if r%2 == 1 {
			steps[0], steps[1] = steps[1], steps[0]
		}
		for _, step := range steps {
			step()
		}
	}
	return res
}

// table renders res as a Markdown table with the ratios below it.
func (res *uiResult) table(c toolCase) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n| run | median | speed | per round | client CPU (median) | peak RSS |\n|---|---|---|---|---|---|\n", c.name)
	conn := map[int]uiRun{}
	for _, r := range res.connect {
		conn[r.round] = r
	}
	var lessLs, lessHs, hs []uiRun
	for _, h := range res.headless {
		n := h
		n.rss = 0 // the headless row has it
		n.wall -= conn[h.round].wall
		n.cpu -= conn[h.round].cpu
		lessLs = append(lessLs, n)
		n = uiRun{round: h.round, wall: h.wall - h.handshake}
		lessHs = append(lessHs, n)
		hs = append(hs, uiRun{round: h.round, wall: h.handshake})
	}
	row := func(name string, runs []uiRun, speed bool, cpu string) {
		var walls []time.Duration
		var per []string
		var rss int64
		for _, r := range runs {
			walls = append(walls, r.wall)
			per = append(per, fmt.Sprintf("%.2f", r.wall.Seconds()))
			rss = max(rss, r.rss)
		}
		m := median(walls)
		sp := ""
		if speed && m > 0 {
			sp = fmt.Sprintf("%.0f MB/s", float64(c.files)*float64(c.size)/1e6/m.Seconds())
			if c.files > 1 {
				sp = fmt.Sprintf("%.0f files/s", float64(c.files)/m.Seconds())
			}
		}
		mem := ""
		if rss > 0 {
			mem = fmt.Sprintf("%d MB", rss>>20)
		}
		fmt.Fprintf(&b, "| %s | %.2f s | %s | %s | %s | %s |\n", name, m.Seconds(), sp, strings.Join(per, " "), cpu, mem)
	}
	cpuOf := func(runs []uiRun, f func(uiRun) time.Duration) time.Duration {
		var xs []time.Duration
		for _, r := range runs {
			xs = append(xs, f(r))
		}
		return median(xs)
	}
	ferryCPU := func(r uiRun) time.Duration { return r.cpu }
	row("UI (F5, Enter)", res.ui, true, fmt.Sprintf("%.2f s ferry + %.2f s tmux", cpuOf(res.ui, ferryCPU).Seconds(), cpuOf(res.ui, func(r uiRun) time.Duration { return r.tmux }).Seconds()))
	row("headless `ferry cp`", res.headless, true, fmt.Sprintf("%.2f s", cpuOf(res.headless, ferryCPU).Seconds()))
	row("connect `ferry ls box:/`", res.connect, false, fmt.Sprintf("%.2f s", cpuOf(res.connect, ferryCPU).Seconds()))
	row("headless - connect", lessLs, true, fmt.Sprintf("%.2f s", cpuOf(lessLs, ferryCPU).Seconds()))
	row("its SSH handshake (-v)", hs, false, "")
	row("headless - its handshake", lessHs, true, "")
	ratios := func(base []uiRun) (float64, string) {
		by := map[int]time.Duration{}
		for _, r := range base {
			by[r.round] = r.wall
		}
		var qs []float64
		var per []string
		for _, u := range res.ui {
			if h, ok := by[u.round]; ok && h > 0 {
				q := u.wall.Seconds() / h.Seconds()
				qs = append(qs, q)
				per = append(per, fmt.Sprintf("%.2f", q))
			}
		}
		return median(qs), strings.Join(per, " ")
	}
	q, per := ratios(lessLs)
	fmt.Fprintf(&b, "\nUI / (headless - connect): median %.2fx; per round %s\n", q, per)
	q, per = ratios(lessHs)
	fmt.Fprintf(&b, "UI / (headless - its handshake): median %.2fx; per round %s\n", q, per)
	q, per = ratios(res.headless)
	fmt.Fprintf(&b, "UI / headless (raw): median %.2fx; per round %s\n", q, per)
	tail := func(runs []uiRun) float64 {
		var xs []time.Duration
		for _, r := range runs {
			xs = append(xs, r.exit-r.wall)
		}
		return median(xs).Seconds()
	}
	fmt.Fprintf(&b, "after the disk condition (median): headless exits %.3f s later; the UI shows \"idle\" %.3f s later (screen read every 10 ms)\n", tail(res.headless), tail(res.ui))
	return b.String()
}
