package xlib

// alwaysDone is a channel that is always closed.
var alwaysDone = func() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}()

// Done returns a channel that is closed once the answer to the request
// has arrived, or the connection has ended, so that a program can wait
// for a reply and for events in one select, and call Reply only when it
// will not wait. Done does not write the request: call Flush first.
func (k Cookie[T]) Done() <-chan struct{} {
	if k.err != nil || k.p == nil {
		return alwaysDone
	}
	return k.p.done
}
