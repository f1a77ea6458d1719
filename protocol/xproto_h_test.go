package protocol

import (
	"os"
	"regexp"
	"strconv"
	"testing"
)

// xprotoSizes reads the sz_x... sizes of /usr/include/X11/Xproto.h
// (Debian package x11proto-dev), the C server's and Xlib's view of the
// fixed part of every message.
func xprotoSizes(t *testing.T) map[string]int {
	t.Helper()
	data, err := os.ReadFile("/usr/include/X11/Xproto.h")
	if err != nil {
		t.Skipf("skipped: needs /usr/include/X11/Xproto.h (Debian package x11proto-dev): %v", err)
	}
	sizes := map[string]int{}
	for _, m := range regexp.MustCompile(`(?m)^#define\s+sz_x(\w+)\s+(\d+)`).FindAllStringSubmatch(string(data), -1) {
		n, _ := strconv.Atoi(m[2])
		sizes[m[1]] = n
	}
	if len(sizes) < 100 {
		t.Fatalf("only %d sizes in Xproto.h", len(sizes))
	}
	return sizes
}

// Xproto.h names some messages differently, and many requests share the
// generic xReq (no body) and xResourceReq (one XID) layouts.
var xprotoNames = map[string]string{
	"TranslateCoordinates":      "TranslateCoordsReq",
	"TranslateCoordinatesReply": "TranslateCoordsReply",
	"SetPointerMappingReply":    "SetMappingReply",
	"SetModifierMappingReply":   "SetMappingReply",
	"KeymapNotifyEvent":         "KeymapEvent",
	"SetupRequest":              "ConnClientPrefix",
	"Host":                      "HostEntry",
	"Screen":                    "WindowRoot",
	"Format":                    "PixmapFormat",
	"Visualtype":                "VisualType",
	"Charinfo":                  "CharInfo",
	"Fontprop":                  "FontProp",
	"Coloritem":                 "ColorItem",
	"Rgb":                       "rgb",
}

var resourceReqs = []string{
	"GetWindowAttributes", "DestroyWindow", "DestroySubwindows", "MapWindow", "MapSubwindows",
	"UnmapWindow", "UnmapSubwindows", "GetGeometry", "QueryTree", "GetAtomName", "ListProperties",
	"GetSelectionOwner", "UngrabPointer", "UngrabKeyboard", "QueryPointer", "CloseFont", "QueryFont",
	"FreePixmap", "FreeGC", "FreeColormap", "InstallColormap", "UninstallColormap",
	"ListInstalledColormaps", "FreeCursor", "KillClient",
}

var bareReqs = []string{
	"GrabServer", "UngrabServer", "GetInputFocus", "QueryKeymap", "GetFontPath", "ListExtensions",
	"GetKeyboardControl", "GetPointerControl", "GetScreenSaver", "GetPointerMapping",
	"GetModifierMapping", "NoOperation",
}

// TestXprotoSizes checks the size of every core request, reply and event
// with empty lists, and of the structures, against Xproto.h.
func TestXprotoSizes(t *testing.T) {
	sizes := xprotoSizes(t)
	for _, n := range resourceReqs {
		xprotoNames[n] = "ResourceReq"
	}
	for _, n := range bareReqs {
		xprotoNames[n] = "Req"
	}
	checked := map[string]bool{}
	for _, m := range randomMessages {
		if m.name[0] == 'X' && m.name[1] == 'T' || m.name[0] == 'B' && m.name[1] == 'i' {
			continue // extensions: not in Xproto.h
		}
		name := xprotoNames[m.name]
		if name == "" {
			switch m.kind {
			case "request":
				name = m.name + "Req"
			case "reply":
				name = m.name
			case "event":
				name = "Event"
			case "setup":
				name = map[string]string{"Setup": "ConnSetup"}[m.name]
			}
		}
		want, ok := sizes[name]
		if !ok && m.kind == "reply" {
			want, ok = sizes["GenericReply"], true
		}
		if !ok {
			if m.kind == "setup" {
				continue // SetupFailed, SetupAuthenticate: only the 8-byte prefix
			}
			t.Errorf("%s: no sz_x%s in Xproto.h", m.name, name)
			continue
		}
		if m.name == "Setup" {
			want += sizes["ConnSetupPrefix"]
		}
		got := len(minimalMessages[m.name]().Marshal(LSBFirst, nil))
		if got != want {
			t.Errorf("%s: %d bytes, sz_x%s is %d", m.name, got, name, want)
		}
		if m.kind == "request" {
			checked[m.name] = true
		}
	}
	for name := range fixedRequests {
		if !checked[name] {
			t.Errorf("fixed-size request %s not checked", name)
		}
	}
	for _, s := range randomStructs {
		name := xprotoNames[s.name]
		if name == "" {
			name = s.name
		}
		want, ok := sizes[name]
		if !ok {
			continue // Char2b, Str, ClientMessageData: no sz_x define
		}
		v, _ := s.new(seed(s.name, LSBFirst, 0), LSBFirst)
		b := v.Marshal(LSBFirst, nil)
		// Variable structures: compare the fixed part only.
		got := len(b)
		switch s.name {
		case "Depth":
			got -= 24 * len(v.(*Depth).Visuals)
		case "Screen":
			got = len(Screen{}.Marshal(LSBFirst, nil))
		case "Host":
			got = len(Host{}.Marshal(LSBFirst, nil))
		}
		if got != want {
			t.Errorf("%s: %d bytes, sz_x%s is %d", s.name, got, name, want)
		}
	}
	if sizes["Segment"] != 8 || sizes["Point"] != 4 {
		t.Errorf("Xproto.h sizes misread")
	}
}
