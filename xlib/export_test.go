package xlib

// SetIncrChunk makes selection owners on c send data longer than n bytes
// by INCR, in chunks of n bytes, so that tests need no huge selections.
func SetIncrChunk(c *Conn, n int) { c.incrChunk.Store(int64(n)) }
