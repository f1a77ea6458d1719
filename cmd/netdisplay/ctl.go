package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// The control socket: one point from which to see and stop a running
// display. `serve` listens on it; `netdisplay ctl` talks to it, one JSON
// request and one JSON answer per line. It is a Unix socket that only its
// owner may use (mode 0600, in a directory only the owner can enter).

func init() {
	register("ctl", "list, disconnect and stop what a running display serves", runCtl)
}

// ctlDir is where control sockets live.
func ctlDir() string {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" {
		return filepath.Join(d, "netdisplay")
	}
	return filepath.Join(os.TempDir(), fmt.Sprintf("netdisplay-%d", os.Getuid()))
}

func ctlPath(display int) string { return filepath.Join(ctlDir(), fmt.Sprintf("%d.ctl", display)) }

type ctlRequest struct {
	Op   string `json:"op"`             // "list", "kill", "shutdown"
	Kind string `json:"kind,omitempty"` // for kill: "x11" or "rfb"
	ID   int    `json:"id,omitempty"`
}

type ctlPeer struct {
	Kind     string `json:"kind"` // "x11" client or "rfb" viewer
	ID       int    `json:"id"`
	Remote   string `json:"remote"`
	BytesIn  int64  `json:"bytes_in"`
	BytesOut int64  `json:"bytes_out"`
	Detail   string `json:"detail,omitempty"`
}

type ctlAnswer struct {
	OK      bool      `json:"ok"`
	Error   string    `json:"error,omitempty"`
	Display int       `json:"display,omitempty"`
	Peers   []ctlPeer `json:"peers,omitempty"`
}

// serveControl listens on the display's control socket until the display
// closes. stop is called for "shutdown".
func (d *display) serveControl(stop func()) error {
	dir := ctlDir()
	if err := os.MkdirAll(dir, 0700); err != nil {
		return err
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm()&0077 != 0 {
		return fmt.Errorf("control directory %s must be private (mode 0700)", dir)
	}
	p := ctlPath(d.d.Number)
	os.Remove(p)
	l, err := net.Listen("unix", p)
	if err != nil {
		return err
	}
	os.Chmod(p, 0600)
	d.ctl = l
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go d.answerControl(c, stop)
		}
	}()
	return nil
}

func (d *display) answerControl(c net.Conn, stop func()) {
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	var req ctlRequest
	if err := json.NewDecoder(bufio.NewReader(c)).Decode(&req); err != nil {
		return
	}
	ans := ctlAnswer{OK: true, Display: d.d.Number}
	switch req.Op {
	case "list":
		ans.Peers = d.peers()
	case "kill":
		var err error
		switch req.Kind {
		case "x11":
			err = d.x.KillClient(req.ID)
		case "rfb":
			if d.rfb == nil || !d.rfb.Disconnect(req.ID) {
				err = fmt.Errorf("no viewer %d", req.ID)
			}
		default:
			err = fmt.Errorf("kill what? kind %q (want x11 or rfb)", req.Kind)
		}
		if err != nil {
			ans = ctlAnswer{Error: err.Error()}
		}
	case "shutdown":
		go stop()
	default:
		ans = ctlAnswer{Error: fmt.Sprintf("unknown op %q", req.Op)}
	}
	json.NewEncoder(c).Encode(ans)
}

func (d *display) peers() []ctlPeer {
	var ps []ctlPeer
	for _, c := range d.x.Clients() {
		ps = append(ps, ctlPeer{Kind: "x11", ID: c.Index, Remote: c.Remote, BytesIn: int64(c.BytesIn), BytesOut: int64(c.BytesOut),
			Detail: fmt.Sprintf("%d requests", c.Requests)})
	}
	if d.rfb != nil {
		for _, v := range d.rfb.Viewers() {
			ps = append(ps, ctlPeer{Kind: "rfb", ID: v.ID, Remote: v.Addr, BytesIn: v.BytesIn, BytesOut: v.BytesOut,
				Detail: fmt.Sprintf("RFB %s, %d updates", v.Version, v.Updates)})
		}
	}
	return ps
}

func runCtl(args []string) error {
	fs := flag.NewFlagSet("ctl", flag.ExitOnError)
	disp := fs.String("display", os.Getenv("DISPLAY"), "the display `:N` to control (default $DISPLAY)")
	asJSON := fs.Bool("json", false, "print the answer as JSON")
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: netdisplay ctl [--display :N] list | kill x11|rfb ID | shutdown\n")
		fs.PrintDefaults()
	}
	fs.Parse(args)
	n, err := strconv.Atoi(strings.TrimPrefix(strings.SplitN(*disp, ".", 2)[0], ":"))
	if err != nil {
		return fmt.Errorf("display %q: want :N", *disp)
	}
	var req ctlRequest
	switch {
	case fs.NArg() == 1 && (fs.Arg(0) == "list" || fs.Arg(0) == "shutdown"):
		req.Op = fs.Arg(0)
	case fs.NArg() == 3 && fs.Arg(0) == "kill":
		req.Op, req.Kind = "kill", fs.Arg(1)
		if req.ID, err = strconv.Atoi(fs.Arg(2)); err != nil {
			return fmt.Errorf("kill: id %q is not a number", fs.Arg(2))
		}
	default:
		fs.Usage()
		os.Exit(2)
	}
	ans, err := ctlCall(n, req)
	if err != nil {
		return err
	}
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(ans)
	}
	switch req.Op {
	case "list":
		sort.Slice(ans.Peers, func(i, j int) bool {
			a, b := ans.Peers[i], ans.Peers[j]
			return a.Kind < b.Kind || a.Kind == b.Kind && a.ID < b.ID
		})
		w := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', 0)
		fmt.Fprintf(w, "KIND\tID\tREMOTE\tIN\tOUT\t\n")
		for _, p := range ans.Peers {
			fmt.Fprintf(w, "%s\t%d\t%s\t%d\t%d\t%s\n", p.Kind, p.ID, p.Remote, p.BytesIn, p.BytesOut, p.Detail)
		}
		w.Flush()
	case "kill":
		fmt.Printf("disconnected %s %d\n", req.Kind, req.ID)
	case "shutdown":
		fmt.Printf("display :%d is shutting down\n", n)
	}
	return nil
}

// ctlCall sends one request to display n's control socket.
func ctlCall(n int, req ctlRequest) (*ctlAnswer, error) {
	c, err := net.Dial("unix", ctlPath(n))
	if err != nil {
		return nil, fmt.Errorf("no netdisplay serves display :%d here (%v)", n, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if err := json.NewEncoder(c).Encode(req); err != nil {
		return nil, err
	}
	var ans ctlAnswer
	if err := json.NewDecoder(c).Decode(&ans); err != nil {
		return nil, err
	}
	if !ans.OK {
		return nil, errors.New(ans.Error)
	}
	return &ans, nil
}
