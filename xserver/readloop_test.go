package xserver_test

import (
	"encoding/binary"
	"io"
	"math/rand"
	"net"
	"testing"
	"time"

	"netdisplay/protocol"
	"netdisplay/xserver"
)

// Requests arrive in pieces of any size: images larger than the read
// buffer, split anywhere, must come out whole, and those after them too.
func TestRequestsSplitAnywhere(t *testing.T) {
	s := xserver.New(xserver.Config{Width: 320, Height: 240, Logf: t.Logf})
	defer s.Close()
	a, z := net.Pipe()
	defer a.Close()
	go s.ServeConn(z, true)
	o := protocol.LSBFirst
	a.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := a.Write(protocol.SetupRequest{ByteOrder: o, ProtocolMajorVersion: 11}.Marshal(o, nil)); err != nil {
		t.Fatal(err)
	}
	head := make([]byte, 8)
	if _, err := io.ReadFull(a, head); err != nil {
		t.Fatal(err)
	}
	rest := make([]byte, 4*int(o.U16(head[6:])))
	if _, err := io.ReadFull(a, rest); err != nil {
		t.Fatal(err)
	}
	var setup protocol.Setup
	if err := setup.Unmarshal(o, append(head, rest...)); err != nil {
		t.Fatal(err)
	}
	pix, gc := setup.ResourceIdBase|1, setup.ResourceIdBase|2
	stream := protocol.CreatePixmap{Depth: 24, Pid: protocol.Pixmap(pix), Drawable: protocol.Drawable(setup.Roots[0].Root), Width: 300, Height: 200}.Marshal(o, nil)
	stream = protocol.CreateGC{Cid: protocol.Gcontext(gc), Drawable: protocol.Drawable(pix)}.Marshal(o, stream)
	// Images of 40 to 160 KB, each a colour of its own, over each other,
	// with small requests between them.
	const n = 30
	rng := rand.New(rand.NewSource(1))
	for i := range n {
		w, h := 100+rng.Intn(200), 100+rng.Intn(100)
		data := make([]byte, 4*w*h)
		for j := 0; j < len(data); j += 4 {
			binary.LittleEndian.PutUint32(data[j:], uint32(i+1))
		}
		stream = protocol.PutImage{Format: protocol.ImageFormatZPixmap, Drawable: protocol.Drawable(pix), Gc: protocol.Gcontext(gc),
			Width: uint16(w), Height: uint16(h), Depth: 24, Data: data}.Marshal(o, stream)
		stream = protocol.NoOperation{}.Marshal(o, stream)
	}
	stream = protocol.GetImage{Format: protocol.ImageFormatZPixmap, Drawable: protocol.Drawable(pix), Width: 1, Height: 1, PlaneMask: ^uint32(0)}.Marshal(o, stream)
	go func() {
		for len(stream) > 0 {
			k := min(len(stream), 1+rng.Intn(70000))
			if _, err := a.Write(stream[:k]); err != nil {
				return
			}
			stream = stream[k:]
		}
	}()
	reply := make([]byte, 36)
	if _, err := io.ReadFull(a, reply); err != nil {
		t.Fatal(err)
	}
	if reply[0] != 1 {
		t.Fatalf("got %v, want a reply", reply[:4])
	}
	if got := binary.LittleEndian.Uint32(reply[32:]); got != n {
		t.Errorf("pixel (0, 0) = %d, want %d: the last image", got, n)
	}
}
