package link

import (
	"bytes"
	"io"
	"math/rand/v2"
	"net"
	"sort"
	"testing"
	"time"
)

// echoServer answers every byte with itself.
func echoServer(t *testing.T) net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { io.Copy(c, c); c.Close() }()
		}
	}()
	t.Cleanup(func() { l.Close() })
	return l
}

// sinkServer reads and discards, then reports how much it read.
func sinkServer(t *testing.T, got chan<- int64) net.Listener {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		c, err := l.Accept()
		if err != nil {
			return
		}
		n, _ := io.Copy(io.Discard, c)
		got <- n
		c.Close()
	}()
	t.Cleanup(func() { l.Close() })
	return l
}

func proxyTo(t *testing.T, l net.Listener, p Profile) *Proxy {
	x, err := Listen("tcp", l.Addr().String(), p)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// The round trip of a small message through the link takes the profile's
// RTT, plus a little for the machine.
func TestDelay(t *testing.T) {
	for _, rtt := range []time.Duration{20 * time.Millisecond, 80 * time.Millisecond} {
		p := Profile{Name: "test", RTT: rtt, Rate: 100e6}
		x := proxyTo(t, echoServer(t), p)
		c, err := net.Dial("tcp", x.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		var samples []time.Duration
		buf := make([]byte, 32)
		for i := 0; i < 15; i++ {
			start := time.Now()
			c.Write(buf)
			if _, err := io.ReadFull(c, buf); err != nil {
				t.Fatal(err)
			}
			samples = append(samples, time.Since(start))
		}
		c.Close()
		sort.Slice(samples, func(i, j int) bool { return samples[i] < samples[j] })
		median := samples[len(samples)/2]
		if median < rtt || median > rtt+10*time.Millisecond {
			t.Errorf("RTT %v: median round trip %v, want between RTT and RTT+10ms", rtt, median)
		}
		t.Logf("RTT %v: median %v, min %v, max %v", rtt, median, samples[0], samples[len(samples)-1])
	}
}

// A bulk transfer through the link takes as long as its rate says.
func TestRate(t *testing.T) {
	got := make(chan int64, 1)
	p := Profile{Name: "test", RTT: 10 * time.Millisecond, Rate: 8e6} // 1 MB/s
	x := proxyTo(t, sinkServer(t, got), p)
	c, err := net.Dial("tcp", x.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	const size = 1 << 20
	start := time.Now()
	c.Write(make([]byte, size))
	c.Close()
	if n := <-got; n != size {
		t.Fatalf("delivered %d bytes, want %d", n, size)
	}
	elapsed := time.Since(start)
	want := time.Duration(size * 8 * int64(time.Second) / p.Rate)
	if elapsed < want || elapsed > want+want/10+p.RTT {
		t.Errorf("1 MiB at 8 Mbit/s took %v, want %v to %v", elapsed, want, want+want/10+p.RTT)
	}
	if c := x.Counts(); c.UpBytes != size || c.RawUp != size {
		t.Errorf("counted %+v, want %d bytes up", c, size)
	}
}

// Compression shrinks what crosses the wire and delivers the bytes intact.
func TestCompress(t *testing.T) {
	x := proxyTo(t, echoServer(t), Profile{Name: "z", RTT: time.Millisecond, Compress: true})
	c, err := net.Dial("tcp", x.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	var sent []byte
	for i := 0; i < 50; i++ {
		// Compressible: repeated words, with some noise.
		msg := bytes.Repeat([]byte("PolyFillRectangle "), 20+rng.IntN(50))
		msg = append(msg, byte(rng.IntN(256)))
		sent = append(sent, msg...)
		c.Write(msg)
	}
	back := make([]byte, len(sent))
	if _, err := io.ReadFull(c, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(back, sent) {
		t.Fatal("compressed link corrupted the bytes")
	}
	cnt := x.Counts()
	if cnt.RawUp != int64(len(sent)) || cnt.UpBytes*5 > cnt.RawUp {
		t.Errorf("compression: %d raw bytes became %d on the wire; want at least 5x smaller", cnt.RawUp, cnt.UpBytes)
	}
}

func TestParseProfile(t *testing.T) {
	p, err := ParseProfile("sat:rtt=600ms,rate=2mbit,jitter=5ms,queue=512k,compress")
	if err != nil {
		t.Fatal(err)
	}
	want := Profile{Name: "sat", RTT: 600 * time.Millisecond, Rate: 2e6, Jitter: 5 * time.Millisecond, Queue: 512 << 10, Compress: true}
	if p != want {
		t.Errorf("got %+v, want %+v", p, want)
	}
	if p, err := ParseProfile("wan"); err != nil || p != WAN {
		t.Errorf("wan: %+v %v", p, err)
	}
	for _, bad := range []string{"nosuch", "x:rtt=fast", "x:rate=-1", "x:colour=red"} {
		if _, err := ParseProfile(bad); err == nil {
			t.Errorf("ParseProfile(%q) accepted", bad)
		}
	}
}
