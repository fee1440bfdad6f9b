package tui

import (
	"context"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/ferry-tui/ferry/text"
	"github.com/ferry-tui/ferry/tui/dialog"
)

// BackgroundAsker carries questions that come at any time while the UI
// runs, not during a connect attempt: those of a session that reconnects
// by itself and needs a password, a one-time code, a passphrase or a
// decision about a host key again. Create one with NewBackgroundAsker,
// pass it as Options.Questions, and give each session the Asker that
// Reconnecting returns for its host. The model shows each question in a
// dialog over whatever is on screen, one at a time, in the order asked.
// Until the model runs, questions wait (bounded by their contexts); after
// Close they return ErrCancelled. Its methods are safe for concurrent use.
type BackgroundAsker struct {
	reqs chan askRequest
	done chan struct{}
	once sync.Once
}

// questionBuffer is how many questions and warnings wait for the model
// before an Asker blocks (questions) or drops them (warnings).
const questionBuffer = 16

// NewBackgroundAsker returns a BackgroundAsker that no model serves yet.
func NewBackgroundAsker() *BackgroundAsker {
	return &BackgroundAsker{reqs: make(chan askRequest, questionBuffer), done: make(chan struct{})}
}

// Reconnecting returns the Asker for the questions of host's reconnect:
// their dialogs are titled "Reconnecting to HOST", so that the user knows
// why they are asked, and its warnings show in the status line prefixed
// with host. A question returns ctx's error when ctx ends first, and the
// dialog then closes by itself.
func (b *BackgroundAsker) Reconnecting(host string) Asker {
	return &chanAsker{reqs: b.reqs, done: b.done, from: host}
}

// Asker returns an Asker for questions of the program's own, such as
// whether to resume the transfers an earlier run left unfinished: their
// dialogs have no title, and its warnings show in the status line as
// they are.
func (b *BackgroundAsker) Asker() Asker {
	return &chanAsker{reqs: b.reqs, done: b.done}
}

// Close makes every question asked and waiting, and every question asked
// later, return ErrCancelled. Closing twice is harmless.
func (b *BackgroundAsker) Close() {
	b.once.Do(func() { close(b.done) })
}

// question is the background question on screen.
type question struct {
	id       uint64
	req      *askRequest
	dialog   dialogBox     // *inputDialog or *confirmDialog
	answered chan struct{} // closed when the model lets go of it
}

// questionMsg delivers a background question (or warning) to the model.
type questionMsg struct{ req askRequest }

// questionGoneMsg says the Asker of question id stopped waiting (its
// context ended): the dialog closes.
type questionGoneMsg struct{ id uint64 }

// listenQuestions returns a Cmd that waits for the next background
// question. It returns nil once b is closed or the program quits; the
// model re-arms it after each question.
func listenQuestions(ctx context.Context, b *BackgroundAsker) tea.Cmd {
	if b == nil {
		return nil
	}
	return func() tea.Msg {
		if isClosed(b.done) {
			return nil
		}
		select {
		case req := <-b.reqs:
			return questionMsg{req: req}
		case <-b.done:
		case <-ctx.Done():
		}
		return nil
	}
}

// watchQuestion returns a Cmd that reports when the Asker of question id
// stops waiting, unless the model answers first.
func watchQuestion(id uint64, gone, answered <-chan struct{}) tea.Cmd {
	return func() tea.Msg {
		select {
		case <-gone:
			return questionGoneMsg{id: id}
		case <-answered:
			return nil
		}
	}
}

// questions shows the background questions (Options.Questions) one at a
// time, over everything else, in the order asked.
type questions struct {
	src    *BackgroundAsker
	ctx    context.Context // the model's: listening ends with it
	status *status         // warnings go to the status line
	keys   *KeyMap
	ids    *ids
	cur    *question    // the question on screen; nil for none
	queued []askRequest // questions waiting their turn

	width, height int // of the window's body, for the dialogs
}

// listen returns a Cmd that waits for the next background question.
func (qs *questions) listen() tea.Cmd { return listenQuestions(qs.ctx, qs.src) }

// setSize sizes the dialogs for a body width by height cells.
func (qs *questions) setSize(width, height int) {
	qs.width, qs.height = width, height
	if qs.cur == nil {
		return
	}
	if d, ok := qs.cur.dialog.(sizer); ok {
		d.SetSize(width, height)
	}
}

// handle queues a background question, shows it when no other is on
// screen, and listens for the next. A warning goes to the status line.
func (qs *questions) handle(msg questionMsg) tea.Cmd {
	next := qs.listen()
	req := msg.req
	if req.kind == askWarn {
		text := req.prompt
		if req.from != "" {
			text = req.from + ": " + text
		}
		qs.status.setInfo(text)
		return next
	}
	qs.queued = append(qs.queued, req)
	return tea.Batch(next, qs.next())
}

// next shows the oldest queued question whose Asker still waits, unless
// a question is on screen.
func (qs *questions) next() tea.Cmd {
	for qs.cur == nil && len(qs.queued) > 0 {
		req := qs.queued[0]
		qs.queued[0] = askRequest{}
		qs.queued = qs.queued[1:]
		if isClosed(req.gone) {
			continue // its Asker stopped waiting meanwhile
		}
		title := ""
		if req.from != "" {
			title = "Reconnecting to " + text.Sanitize(req.from)
		}
		q := &question{id: qs.ids.next(), req: &req, answered: make(chan struct{})}
		q.dialog = askDialog(qs.ids.next(), qs.keys, q.req, title)
		qs.cur = q
		qs.setSize(qs.width, qs.height)
		return watchQuestion(q.id, req.gone, q.answered)
	}
	return nil
}

// isClosed reports whether ch is closed; a nil ch never is.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// update answers the background question on screen: Enter (or y and n
// for a yes-or-no question) answers, Esc answers ErrCancelled; other
// keys, and pastes, edit the answer.
func (qs *questions) update(msg tea.Msg) tea.Cmd {
	switch res := qs.cur.dialog.Update(msg).(type) {
	case dialog.CancelMsg:
		return qs.answer(askReply{err: ErrCancelled})
	case dialog.ConfirmedMsg:
		return qs.answer(askReply{yes: res.Yes})
	case dialog.SubmitMsg:
		if r, ok := askAnswer(qs.cur.dialog.(*inputDialog), res.Value); ok {
			return qs.answer(r)
		}
	}
	return nil
}

// answer sends r to the Asker of the question on screen, closes its
// dialog and shows the next.
func (qs *questions) answer(r askReply) tea.Cmd {
	qs.drop(r)
	return qs.next()
}

// drop answers the question on screen with r and closes it.
func (qs *questions) drop(r askReply) {
	q := qs.cur
	if q == nil {
		return
	}
	qs.cur = nil
	answerAsk(q.req, r)
	close(q.answered)
}

// gone closes the dialog of a question nobody waits for any more and
// shows the next.
func (qs *questions) gone(msg questionGoneMsg) tea.Cmd {
	if qs.cur == nil || qs.cur.id != msg.id {
		return nil
	}
	qs.drop(askReply{err: ErrCancelled})
	return qs.next()
}

// cancelAll answers every background question, on screen and queued,
// with ErrCancelled (when the program quits).
func (qs *questions) cancelAll() {
	qs.drop(askReply{err: ErrCancelled})
	for i := range qs.queued {
		answerAsk(&qs.queued[i], askReply{err: ErrCancelled})
	}
	qs.queued = nil
}
