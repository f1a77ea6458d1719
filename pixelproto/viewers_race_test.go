package pixelproto_test

import (
	"context"
	"net"
	"testing"

	"netdisplay/pixelproto"
)

// Viewers, called while viewers connect, must not race with their
// handshakes (run with -race).
func TestViewersDuringHandshake(t *testing.T) {
	srv := pixelproto.NewServer(pixelproto.NewMemSource(64, 64, "race"), pixelproto.ServerConfig{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Close()
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
				srv.Viewers()
			}
		}
	}()
	for range 20 {
		c, err := pixelproto.Dial(context.Background(), l.Addr().String(), pixelproto.ClientConfig{})
		if err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	close(stop)
	<-done
}
