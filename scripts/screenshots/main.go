// Command screenshots makes the README's pictures of each viewer: it runs
// a display with sample applications on it, watches it with the terminal
// viewer (in tmux), the desktop viewer (under Xvfb) and the browser viewer
// (in headless Chromium), and saves what each shows.
//
//	go run ./scripts/screenshots [-out docs/images]
//
// It needs the Debian packages the tests use: tmux, xvfb, x11-apps,
// chromium, and Mesa's GL (libgl1-mesa-dri) for the desktop viewer.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"netdisplay/internal/peer"
	"netdisplay/xserver/font"
)

func main() {
	out := flag.String("out", "docs/images", "directory for the PNGs")
	flag.Parse()
	tmp, err := os.MkdirTemp("", "netdisplay-shots")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	bin := filepath.Join(tmp, "netdisplay")
	run("go", "build", "-o", bin, "./cmd/netdisplay")
	for _, app := range []string{"clock", "eyes", "anim", "edit"} {
		run("go", "build", "-o", filepath.Join(tmp, app), "./clients/"+app)
	}

	// The display: an X server with the sample applications, served over
	// RFB and to browsers.
	serve := exec.Command(bin, "serve", "--geometry", "1024x640", "--web", "127.0.0.1:0", "--web-x11", "none")
	stdout, _ := serve.StdoutPipe()
	serve.Stderr = os.Stderr
	must(serve.Start())
	defer serve.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	must(err)
	display := field(line, `display=(:\d+)`)
	rfb := field(line, `rfb=(vnc://\S+)`)
	web := field(line, `web=(\S+)`)
	log.Printf("display %s, %s, %s", display, rfb, web)
	apps := []struct {
		name, geometry string
		args           []string
	}{
		{"clock", "220x220+20+20", nil},
		{"eyes", "240x160+260+20", nil},
		{"anim", "480x300+20+280", []string{"--fps", "10"}},
		{"edit", "480x240+520+20", nil},
	}
	for _, a := range apps {
		cmd := exec.Command(filepath.Join(tmp, a.name), append([]string{"-display", display, "-geometry", a.geometry, "--script"}, a.args...)...)
		must(cmd.Start())
		defer cmd.Process.Kill()
	}
	time.Sleep(4 * time.Second) // the scripts finish within 3 s

	// The terminal viewer, in tmux.
	sock := "netdisplay-shots"
	run("tmux", "-L", sock, "new-session", "-d", "-s", "v", "-x", "160", "-y", "50", "-e", "COLORTERM=truecolor", bin+" term "+rfb)
	time.Sleep(3 * time.Second)
	ansi := output("tmux", "-L", sock, "capture-pane", "-t", "v", "-p", "-e")
	run("tmux", "-L", sock, "kill-server")
	save(filepath.Join(*out, "viewer-term.png"), renderANSI(ansi))

	// The desktop viewer, under Xvfb.
	xvfb := startXvfb(1600, 1000) // room for the window wherever ebiten puts it
	defer xvfb.stop()
	desk := exec.Command(bin, "desktop", "--scale", "1", rfb)
	desk.Env = append(os.Environ(), "DISPLAY="+xvfb.display)
	must(desk.Start())
	defer desk.Process.Kill()
	time.Sleep(5 * time.Second)
	// The viewer's window, wherever ebiten put it.
	win := strings.Fields(outputEnv(xvfb.display, "xdotool", "search", "--name", "netdisplay"))
	if len(win) == 0 {
		log.Fatal("the desktop viewer's window is not there")
	}
	xwd := output("xwd", "-silent", "-display", xvfb.display, "-id", win[0])
	img, err := peer.DecodeXWD([]byte(xwd))
	must(err)
	save(filepath.Join(*out, "viewer-desktop.png"), img)

	// The browser viewer, in headless Chromium.
	shot := filepath.Join(tmp, "page.png")
	run("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(tmp, "chromium"), "--window-size=1100,760",
		"--virtual-time-budget=8000", "--screenshot="+shot, web)
	data, err := os.ReadFile(shot)
	must(err)
	must(os.WriteFile(filepath.Join(*out, "viewer-browser.png"), data, 0644))
	log.Printf("wrote %s/viewer-{term,desktop,browser}.png", *out)
}

func field(line, re string) string {
	m := regexp.MustCompile(re).FindStringSubmatch(line)
	if m == nil {
		log.Fatalf("the ready line %q has no %s", line, re)
	}
	return m[1]
}

func run(name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		log.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
}

func output(name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

func outputEnv(display, name string, args ...string) string {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+display)
	out, err := cmd.Output()
	if err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	return string(out)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func save(path string, img image.Image) {
	var b bytes.Buffer
	must(png.Encode(&b, img))
	must(os.WriteFile(path, b.Bytes(), 0644))
}

type xvfbRun struct {
	display string
	cmd     *exec.Cmd
}

func (x *xvfbRun) stop() { x.cmd.Process.Kill(); x.cmd.Wait() }

func startXvfb(w, h int) *xvfbRun {
	r, wr, err := os.Pipe()
	must(err)
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", fmt.Sprintf("%dx%dx24", w, h), "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{wr}
	must(cmd.Start())
	wr.Close()
	n, err := bufio.NewReader(r).ReadString('\n')
	must(err)
	return &xvfbRun{display: ":" + strings.TrimSpace(n), cmd: cmd}
}

// renderANSI draws a terminal capture, colours and half blocks and text,
// as a terminal with a 6x13 font would show it.
func renderANSI(s string) *image.RGBA {
	f, err := font.Open("6x13")
	must(err)
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	const cw, ch = 6, 13
	cols := 0
	for _, l := range lines {
		cols = max(cols, len([]rune(stripANSI(l))))
	}
	img := image.NewRGBA(image.Rect(0, 0, cols*cw, len(lines)*ch))
	for i := range img.Pix {
		img.Pix[i] = 0xFF
	}
	sgr := regexp.MustCompile(`\x1b\[([0-9;]*)m`)
	for row, l := range lines {
		fg, bg := color.RGBA{0xE0, 0xE0, 0xE0, 0xFF}, color.RGBA{0x10, 0x10, 0x10, 0xFF}
		col := 0
		for len(l) > 0 {
			if loc := sgr.FindStringSubmatchIndex(l); loc != nil && loc[0] == 0 {
				fg, bg = applySGR(l[loc[2]:loc[3]], fg, bg)
				l = l[loc[1]:]
				continue
			}
			r, size := []rune(l)[0], len(string([]rune(l)[0]))
			l = l[size:]
			x0, y0 := col*cw, row*ch
			for y := 0; y < ch; y++ {
				for x := 0; x < cw; x++ {
					c := bg
					switch {
					case r == '▀' && y < ch/2+1, r == '▄' && y >= ch/2+1, r == '█':
						c = fg
					case r != ' ' && r != '▀' && r != '▄' && r != '█':
						if g := f.Glyph(uint16(r)); g != nil && g.At(x-g.Left, y-(int(f.Ascent)-g.Ascent)) {
							c = fg
						}
					}
					img.SetRGBA(x0+x, y0+y, c)
				}
			}
			col++
		}
	}
	return img
}

func stripANSI(s string) string {
	return regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(s, "")
}

// applySGR applies a Select Graphic Rendition sequence's colours.
func applySGR(params string, fg, bg color.RGBA) (color.RGBA, color.RGBA) {
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		n, _ := strconv.Atoi(ps[i])
		switch {
		case n == 0 || ps[i] == "":
			fg, bg = color.RGBA{0xE0, 0xE0, 0xE0, 0xFF}, color.RGBA{0x10, 0x10, 0x10, 0xFF}
		case (n == 38 || n == 48) && i+4 < len(ps) && ps[i+1] == "2":
			r, _ := strconv.Atoi(ps[i+2])
			g, _ := strconv.Atoi(ps[i+3])
			b, _ := strconv.Atoi(ps[i+4])
			c := color.RGBA{uint8(r), uint8(g), uint8(b), 0xFF}
			if n == 38 {
				fg = c
			} else {
				bg = c
			}
			i += 4
		case n == 7:
			fg, bg = bg, fg
		}
	}
	return fg, bg
}
