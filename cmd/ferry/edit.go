package main

import (
	"context"
	"fmt"
	"os/exec"

	tea "charm.land/bubbletea/v2"
	"github.com/ferry-tui/ferry/edit"
	"github.com/ferry-tui/ferry/transfer"
	"github.com/ferry-tui/ferry/tui"
)

// edit is the UI's F4: the edit package's workflow, with $VISUAL or
// $EDITOR run through tea.ExecProcess, its questions asked in the UI's
// dialogs, and the upload a batch of the UI's engine, so that it shows in
// the queue and the quit warning.
//
// The workflow blocks on the editor and on each answer, while the UI
// takes one message at a time: it runs in a goroutine of its own, and
// each thing it needs from the UI comes back as the EditDoneMsg that the
// previous Cmd returns (ExecProcess, a question, the outcome).
func (w *tuiHooks) edit(fsys transfer.FS, path string) tea.Cmd {
	br := &editBridge{steps: make(chan editStep), editor: w.editor()}
	go func() {
		res, err := edit.Edit(context.Background(), fsys, path, edit.Options{Engine: w.engine, Editor: br, Ask: br})
		br.steps <- editStep{done: &tui.EditDoneMsg{Err: err, Message: res.Message}}
	}()
	return br.next
}

// editor is the editor command the user chose: $VISUAL, else $EDITOR,
// else vi. It may carry arguments, as with git and mc.
func (w *tuiHooks) editor() string {
	for _, k := range []string{"VISUAL", "EDITOR"} {
		if e := w.s.getenv(k); e != "" {
			return e
		}
	}
	return "vi"
}

// editStep is one thing the edit workflow needs from the UI: to run the
// editor on path, to ask question, or to report that it is done.
type editStep struct {
	path     string
	question string
	done     *tui.EditDoneMsg
	reply    chan editReply // buffered: the UI's side never waits
}

// editReply answers an editStep.
type editReply struct {
	err error // the editor's
	yes bool  // the answer to a question
}

// editBridge is the edit workflow's Editor and Asker: each call hands a
// step to the UI and waits for its reply.
type editBridge struct {
	steps  chan editStep
	editor string
}

var (
	_ edit.Editor = (*editBridge)(nil)
	_ edit.Asker  = (*editBridge)(nil)
)

// Edit runs the editor on path in the UI's terminal and returns its error.
func (b *editBridge) Edit(ctx context.Context, path string) error {
	r, err := b.call(ctx, editStep{path: path})
	if err != nil {
		return err
	}
	return r.err
}

// Confirm asks question in a dialog of the UI.
func (b *editBridge) Confirm(ctx context.Context, question string) (bool, error) {
	r, err := b.call(ctx, editStep{question: question})
	return r.yes, err
}

// call hands st to the UI and waits for the reply.
func (b *editBridge) call(ctx context.Context, st editStep) (editReply, error) {
	st.reply = make(chan editReply, 1)
	select {
	case b.steps <- st:
	case <-ctx.Done():
		return editReply{}, ctx.Err()
	}
	select {
	case r := <-st.reply:
		return r, nil
	case <-ctx.Done():
		return editReply{}, ctx.Err()
	}
}

// next is a Cmd that waits for the workflow's next step and turns it into
// what the UI does with it.
func (b *editBridge) next() tea.Msg {
	st := <-b.steps
	switch {
	case st.done != nil:
		return *st.done
	case st.question != "":
		answer := func(yes bool) tea.Cmd {
			return func() tea.Msg {
				st.reply <- editReply{yes: yes}
				return b.next()
			}
		}
		return tui.EditDoneMsg{Question: st.question, OnYes: answer(true), OnNo: answer(false)}
	}
	cmd := exec.Command("sh", "-c", b.editor+` "$1"`, "sh", st.path)
	return tea.ExecProcess(cmd, func(err error) tea.Msg {
		// This runs on the event loop: the rest goes into Then.
		st.reply <- editReply{err: wrapEditor(b.editor, err)}
		return tui.EditDoneMsg{Then: b.next}
	})()
}

// wrapEditor names the editor in its error.
func wrapEditor(editor string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("editor %q: %w", editor, err)
}
