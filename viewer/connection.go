package viewer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// openTimeout bounds one attempt to open a session, so that a target
// that never answers ends in a message the user can act on (reconnect)
// rather than in an endless "connecting".
const openTimeout = 15 * time.Second

// A Connection is a viewer's hold on its session as sessions come and
// go: opening in the background, live, or lost, and why nothing live is
// shown. Every viewer must stay responsive while a slow connection comes
// (Q quits), reconnect on a key, and say the same things about it, so
// that state machine lives here once; each viewer resets its own input
// and picture around it.
//
// A Connection belongs to its viewer's goroutine.
type Connection struct {
	target string // what is shown, for messages before a session opens
	open   func(ctx context.Context) (Session, error)

	sess    Session // nil before the first session opens
	live    bool    // sess is open
	opening bool
	problem string // why nothing live is shown
	opened  chan Attempt
}

// An Attempt is what opening a session came to: a session, or why there
// is none.
type Attempt struct {
	Session Session
	Err     error
}

// NewConnection returns a connection that opens sessions with open and
// names them target until one has opened.
func NewConnection(target string, open func(ctx context.Context) (Session, error)) *Connection {
	return &Connection{target: target, open: open, opened: make(chan Attempt, 1)}
}

// Open starts opening a session, without waiting, and closes the one
// there was. Opened delivers the attempt, for Attach. Open reports
// whether it started: it does nothing while a session is opening.
func (c *Connection) Open(ctx context.Context) bool {
	if c.opening {
		return false
	}
	if c.sess != nil {
		c.sess.Close()
		c.sess, c.live = nil, false
	}
	c.opening = true
	c.problem = "connecting to " + c.target + " ..."
	go func() {
		ctx, cancel := context.WithTimeout(ctx, openTimeout)
		defer cancel()
		s, err := c.open(ctx)
		if err == nil && s == nil {
			err = errors.New("no session")
		}
		c.opened <- Attempt{s, err}
	}()
	return true
}

// Opened delivers what Open started, once it has opened or failed.
func (c *Connection) Opened() <-chan Attempt { return c.opened }

// Attach takes an attempt that Opened delivered and reports whether its
// session is now live.
func (c *Connection) Attach(a Attempt) bool {
	c.opening = false
	if a.Err != nil {
		c.problem = fmt.Sprintf("cannot connect to %s: %v", c.target, a.Err)
		return false
	}
	c.sess, c.live, c.problem = a.Session, true, ""
	return true
}

// Lost notes that the live session ended, its Done closed. The session
// stays, for what it showed last.
func (c *Connection) Lost() {
	c.live = false
	why := "closed"
	switch err := c.sess.Err(); {
	case errors.Is(err, io.EOF):
		why = "the other side closed it"
	case err != nil:
		why = err.Error()
	}
	c.problem = fmt.Sprintf("connection to %s lost: %s", c.Target(), why)
}

// Close closes the session as the viewer ends. Live, Problem and Err
// still say what they said, for the viewer's last statistics and its
// error.
func (c *Connection) Close() {
	if c.sess != nil {
		c.sess.Close()
	}
}

// Session returns the session, live or lost; nil before one has opened.
func (c *Connection) Session() Session { return c.sess }

// Live reports whether the session is open.
func (c *Connection) Live() bool { return c.live }

// Opening reports whether a session is being opened.
func (c *Connection) Opening() bool { return c.opening }

// Problem says why nothing live is shown: "connecting to ...", "cannot
// connect to ...", "connection to ... lost: ...". It is empty while a
// session is live, and before the first Open.
func (c *Connection) Problem() string { return c.problem }

// Target names what is shown: the session's own name for it once one has
// opened (X mode's display number), the name given before.
func (c *Connection) Target() string {
	if c.sess != nil {
		return c.sess.Target()
	}
	return c.target
}

// Err is why the viewer showed nothing at its end, or nil if it showed a
// live session or never tried.
func (c *Connection) Err() error {
	if !c.live && c.problem != "" {
		return errors.New(c.problem)
	}
	return nil
}
