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

// handleQuestion queues a background question, shows it when no other is
// on screen, and listens for the next. A warning goes to the status line.
func (m *Model) handleQuestion(msg questionMsg) tea.Cmd {
	next := listenQuestions(m.ctx, m.opts.Questions)
	req := msg.req
	if req.kind == askWarn {
		text := req.prompt
		if req.from != "" {
			text = req.from + ": " + text
		}
		m.status.setInfo(text)
		return next
	}
	m.queued = append(m.queued, req)
	return tea.Batch(next, m.nextQuestion())
}

// nextQuestion shows the oldest queued question whose Asker still waits,
// unless a question is on screen.
func (m *Model) nextQuestion() tea.Cmd {
	for m.question == nil && len(m.queued) > 0 {
		req := m.queued[0]
		m.queued[0] = askRequest{}
		m.queued = m.queued[1:]
		if isClosed(req.gone) {
			continue // its Asker stopped waiting meanwhile
		}
		title := ""
		if req.from != "" {
			title = "Reconnecting to " + text.Sanitize(req.from)
		}
		q := &question{id: m.newID(), req: &req, answered: make(chan struct{})}
		q.dialog = m.askDialog(q.req, title)
		if d, ok := q.dialog.(sizer); ok {
			d.SetSize(m.width, m.bodyHeight())
		}
		m.question = q
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

// handleQuestionKey answers the background question on screen: Enter
// (or y and n for a yes-or-no question) answers, Esc answers
// ErrCancelled; other keys, and pastes, edit the answer.
func (m *Model) handleQuestionKey(msg tea.Msg) tea.Cmd {
	switch res := m.question.dialog.Update(msg).(type) {
	case dialog.CancelMsg:
		return m.answerQuestion(askReply{err: ErrCancelled})
	case dialog.ConfirmedMsg:
		return m.answerQuestion(askReply{yes: res.Yes})
	case dialog.SubmitMsg:
		if r, ok := askAnswer(m.question.dialog.(*inputDialog), res.Value); ok {
			return m.answerQuestion(r)
		}
	}
	return nil
}

// answerQuestion sends r to the Asker of the question on screen, closes
// its dialog and shows the next.
func (m *Model) answerQuestion(r askReply) tea.Cmd {
	m.dropQuestion(r)
	return m.nextQuestion()
}

// dropQuestion answers the question on screen with r and closes it.
func (m *Model) dropQuestion(r askReply) {
	q := m.question
	if q == nil {
		return
	}
	m.question = nil
	m.answerAsk(q.req, r)
	close(q.answered)
}

// handleQuestionGone closes the dialog of a question nobody waits for
// any more and shows the next.
func (m *Model) handleQuestionGone(msg questionGoneMsg) tea.Cmd {
	if m.question == nil || m.question.id != msg.id {
		return nil
	}
	m.dropQuestion(askReply{err: ErrCancelled})
	return m.nextQuestion()
}

// cancelQuestions answers every background question, on screen and
// queued, with ErrCancelled (when the program quits).
func (m *Model) cancelQuestions() {
	m.dropQuestion(askReply{err: ErrCancelled})
	for i := range m.queued {
		m.answerAsk(&m.queued[i], askReply{err: ErrCancelled})
	}
	m.queued = nil
}
