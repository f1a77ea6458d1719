package pixelproto

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"
)

// Past MaxViewers a viewer is refused with a reason it can show.
func TestMaxViewers(t *testing.T) {
	srv := NewServer(NewMemSource(32, 32, "full"), ServerConfig{MaxViewers: 2})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i := 0; i < 2; i++ {
		c, err := Dial(ctx, l.Addr().String(), ClientConfig{})
		if err != nil {
			t.Fatalf("viewer %d: %v", i+1, err)
		}
		defer c.Close()
	}
	_, err = Dial(ctx, l.Addr().String(), ClientConfig{})
	if err == nil || !strings.Contains(err.Error(), "too many viewers") {
		t.Fatalf("third viewer: %v, want a refusal naming too many viewers", err)
	}
}
