package term

import (
	"fmt"
	"strings"

	"github.com/gdamore/tcell/v2"

	"netdisplay/viewer"
)

// helpText lists the viewer's own keys. They all follow the prefix,
// Ctrl-], so that every other key reaches the display.
var helpText = []string{
	"netdisplay term: keys",
	"",
	"Everything typed, clicked, dragged or scrolled goes to the display,",
	"except after Ctrl-], which takes one of these:",
	"",
	"  + or =       zoom in          -       zoom out",
	"  0            fit everything   1       one pixel per half cell",
	"  arrows, hjkl pan a quarter screen",
	"               (zoom and pan keys stay in view mode; Esc leaves)",
	"  f            fit the display to the terminal: resize it to the",
	"               terminal's size at this zoom, and follow the terminal",
	"  s            status line on/off",
	"  w            write the statistics JSON file",
	"  v            send the terminal's clipboard to the display",
	"  r            reconnect        q       quit",
	"  ?            this help        Ctrl-]  send Ctrl-] itself",
	"",
	"Any key closes this help.",
}

// viewHint is the status line in view mode.
const viewHint = "VIEW  +/- zoom  0 fit  1 1:1  arrows/hjkl pan  f fit display  ? help  Esc done"

// statusText is the status line: what is shown, what it costs, and how
// the view maps it.
func statusText(st viewer.Stats, target string, v *view, follow bool) string {
	zoom := fmt.Sprintf("%.3g:1", v.scale)
	if v.fit {
		zoom += " fit"
	}
	if follow {
		zoom += ", display follows"
	}
	f := st.Figures(target)
	return fmt.Sprintf("%s | in %s | out %s | %s | input %s | %s | ^] ? help",
		f.Shown, f.In, f.Out, f.Updates, f.Latency, zoom)
}

var (
	statusStyle = tcell.StyleDefault.Reverse(true)
	boxStyle    = tcell.StyleDefault.Background(tcell.ColorNavy.TrueColor()).Foreground(tcell.ColorWhite.TrueColor())
)

// line writes text across row y from column 0, padded or cut to width w.
func line(s tcell.Screen, y, w int, text string, st tcell.Style) {
	x := 0
	for _, r := range text {
		if x >= w {
			break
		}
		s.SetContent(x, y, r, nil, st)
		x++
	}
	for ; x < w; x++ {
		s.SetContent(x, y, ' ', nil, st)
	}
}

// box draws lines in a framed box in the middle of a w x h screen.
func box(s tcell.Screen, w, h int, lines []string) {
	bw := 0
	for _, l := range lines {
		bw = max(bw, len([]rune(l)))
	}
	bw = min(bw+4, w)
	bh := min(len(lines)+2, h)
	x0, y0 := max((w-bw)/2, 0), max((h-bh)/2, 0)
	for y := 0; y < bh; y++ {
		text := ""
		if y > 0 && y-1 < len(lines) {
			text = lines[y-1]
		}
		row := []rune("  " + text + strings.Repeat(" ", bw))
		for x := 0; x < bw; x++ {
			s.SetContent(x0+x, y0+y, row[x], nil, boxStyle)
		}
	}
}
