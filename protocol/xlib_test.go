package protocol

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os/exec"
	"reflect"
	"testing"

	"netdisplay/internal/peer"
)

// An xlibCase is one message, in Go and as python-xlib's keyword
// arguments (JSON; {"$b": hex} is bytes, {"$t": [...]} a tuple).
type xlibCase struct {
	kind, name string // request, reply or event; python-xlib's class name
	args       string
	msg        func(o ByteOrder) message
	// lsbOnly marks value lists with fields narrower than 32 bits:
	// python-xlib writes those in the first bytes of the 4-byte slot, which
	// is only right LSB first (the protocol uses the least significant
	// bytes).
	lsbOnly bool
}

func u16s(o ByteOrder, v ...uint16) []byte {
	var b []byte
	for _, x := range v {
		b = o.AppendU16(b, x)
	}
	return b
}

func u32s(o ByteOrder, v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = o.AppendU32(b, x)
	}
	return b
}

var charinfo = Charinfo{LeftSideBearing: -1, RightSideBearing: 7, CharacterWidth: 8, Ascent: 11, Descent: 2, Attributes: 0x8001}

const charinfoJSON = `{"left_side_bearing":-1,"right_side_bearing":7,"character_width":8,"ascent":11,"descent":2,"attributes":32769}`

var xlibCases = []xlibCase{
	// Requests.
	{kind: "request", name: "CreateWindow",
		args: `{"depth":24,"wid":4194305,"parent":291,"x":-2,"y":3,"width":640,"height":480,"border_width":1,"window_class":1,"visual":33,
			"attrs":{"background_pixel":16711680,"border_pixel":65280,"event_mask":32769,"colormap":32}}`,
		msg: func(o ByteOrder) message {
			return &CreateWindow{Depth: 24, Wid: 0x400001, Parent: 0x123, X: -2, Y: 3, Width: 640, Height: 480, BorderWidth: 1,
				Class: WindowClassInputOutput, Visual: 0x21, ValueMask: CWBackPixel | CWBorderPixel | CWEventMask | CWColormap,
				ValueList: []uint32{0xff0000, 0xff00, EventMaskKeyPress | EventMaskExposure, 0x20}}
		}},
	{kind: "request", name: "ChangeWindowAttributes", lsbOnly: true,
		args: `{"window":5,"attrs":{"win_gravity":10,"override_redirect":1,"cursor":7}}`,
		msg: func(o ByteOrder) message {
			return &ChangeWindowAttributes{Window: 5, ValueMask: CWWinGravity | CWOverrideRedirect | CWCursor, ValueList: []uint32{10, 1, 7}}
		}},
	{kind: "request", name: "ConfigureWindow", lsbOnly: true,
		args: `{"window":9,"attrs":{"x":5,"y":7,"width":100,"sibling":12,"stack_mode":1}}`,
		msg: func(o ByteOrder) message {
			return &ConfigureWindow{Window: 9, ValueMask: ConfigWindowX | ConfigWindowY | ConfigWindowWidth | ConfigWindowSibling | ConfigWindowStackMode,
				ValueList: []uint32{5, 7, 100, 12, StackModeBelow}}
		}},
	{kind: "request", name: "InternAtom", args: `{"only_if_exists":1,"name":"WM_PROTOCOLS"}`,
		msg: func(o ByteOrder) message {
			return &InternAtom{OnlyIfExists: true, NameLen: 12, Name: []byte("WM_PROTOCOLS")}
		}},
	{kind: "request", name: "InternAtom", args: `{"only_if_exists":0,"name":"FOO"}`,
		msg: func(o ByteOrder) message { return &InternAtom{NameLen: 3, Name: []byte("FOO")} }},
	{kind: "request", name: "ChangeProperty", args: `{"mode":2,"window":5,"property":39,"type":31,"data":{"$t":[8,{"$b":"68656c6c6f"}]}}`,
		msg: func(o ByteOrder) message {
			return &ChangeProperty{Mode: PropModeAppend, Window: 5, Property: AtomWmName, Type: AtomString, Format: 8, DataLen: 5, Data: []byte("hello")}
		}},
	{kind: "request", name: "ChangeProperty", args: `{"mode":0,"window":5,"property":1,"type":6,"data":{"$t":[16,[1,2,65535]]}}`,
		msg: func(o ByteOrder) message {
			return &ChangeProperty{Window: 5, Property: 1, Type: AtomCardinal, Format: 16, DataLen: 3, Data: u16s(o, 1, 2, 0xffff)}
		}},
	{kind: "request", name: "ChangeProperty", args: `{"mode":0,"window":5,"property":1,"type":6,"data":{"$t":[32,[1,3735928559]]}}`,
		msg: func(o ByteOrder) message {
			return &ChangeProperty{Window: 5, Property: 1, Type: AtomCardinal, Format: 32, DataLen: 2, Data: u32s(o, 1, 0xdeadbeef)}
		}},
	{kind: "request", name: "GetProperty", args: `{"delete":1,"window":5,"property":39,"type":0,"long_offset":2,"long_length":100}`,
		msg: func(o ByteOrder) message {
			return &GetProperty{Delete: true, Window: 5, Property: AtomWmName, LongOffset: 2, LongLength: 100}
		}},
	{kind: "request", name: "PolyFillRectangle",
		args: `{"drawable":2,"gc":3,"rectangles":[{"x":-1,"y":2,"width":3,"height":4},{"x":5,"y":-6,"width":65535,"height":8}]}`,
		msg: func(o ByteOrder) message {
			return &PolyFillRectangle{Drawable: 2, Gc: 3, Rectangles: []Rectangle{{-1, 2, 3, 4}, {5, -6, 0xffff, 8}}}
		}},
	{kind: "request", name: "PolyLine", args: `{"coord_mode":1,"drawable":2,"gc":3,"points":[{"x":1,"y":2},{"x":-3,"y":4},{"x":5,"y":6}]}`,
		msg: func(o ByteOrder) message {
			return &PolyLine{CoordinateMode: CoordModePrevious, Drawable: 2, Gc: 3, Points: []Point{{1, 2}, {-3, 4}, {5, 6}}}
		}},
	{kind: "request", name: "PolySegment", args: `{"drawable":2,"gc":3,"segments":[{"x1":1,"y1":2,"x2":3,"y2":-4}]}`,
		msg: func(o ByteOrder) message { return &PolySegment{Drawable: 2, Gc: 3, Segments: []Segment{{1, 2, 3, -4}}} }},
	{kind: "request", name: "PolyArc", args: `{"drawable":2,"gc":3,"arcs":[{"x":1,"y":2,"width":3,"height":4,"angle1":0,"angle2":-23040}]}`,
		msg: func(o ByteOrder) message { return &PolyArc{Drawable: 2, Gc: 3, Arcs: []Arc{{1, 2, 3, 4, 0, -23040}}} }},
	{kind: "request", name: "FillPoly", args: `{"drawable":2,"gc":3,"shape":2,"coord_mode":0,"points":[{"x":1,"y":2},{"x":3,"y":4},{"x":5,"y":0}]}`,
		msg: func(o ByteOrder) message {
			return &FillPoly{Drawable: 2, Gc: 3, Shape: PolyShapeConvex, CoordinateMode: CoordModeOrigin, Points: []Point{{1, 2}, {3, 4}, {5, 0}}}
		}},
	{kind: "request", name: "PutImage",
		args: `{"format":2,"drawable":2,"gc":3,"width":3,"height":1,"dst_x":-4,"dst_y":5,"left_pad":0,"depth":24,"data":{"$b":"0102030405060708090a0b0c"}}`,
		msg: func(o ByteOrder) message {
			return &PutImage{Format: ImageFormatZPixmap, Drawable: 2, Gc: 3, Width: 3, Height: 1, DstX: -4, DstY: 5, Depth: 24,
				Data: []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}}
		}},
	{kind: "request", name: "GetImage", args: `{"format":2,"drawable":2,"x":-1,"y":2,"width":30,"height":40,"plane_mask":4294967295}`,
		msg: func(o ByteOrder) message {
			return &GetImage{Format: ImageFormatZPixmap, Drawable: 2, X: -1, Y: 2, Width: 30, Height: 40, PlaneMask: 0xffffffff}
		}},
	{kind: "request", name: "ImageText8", args: `{"drawable":2,"gc":3,"x":10,"y":-20,"string":"hello"}`,
		msg: func(o ByteOrder) message {
			return &ImageText8{StringLen: 5, Drawable: 2, Gc: 3, X: 10, Y: -20, String: []byte("hello")}
		}},
	{kind: "request", name: "ImageText16", args: `{"drawable":2,"gc":3,"x":10,"y":20,"string":[104,105,257]}`,
		msg: func(o ByteOrder) message {
			return &ImageText16{StringLen: 3, Drawable: 2, Gc: 3, X: 10, Y: 20, String: []Char2b{{0, 'h'}, {0, 'i'}, {1, 1}}}
		}},
	{kind: "request", name: "QueryTextExtents", args: `{"font":7,"string":[97,98,99]}`,
		msg: func(o ByteOrder) message {
			return &QueryTextExtents{OddLength: true, Font: 7, String: []Char2b{{0, 'a'}, {0, 'b'}, {0, 'c'}}}
		}},
	{kind: "request", name: "QueryTextExtents", args: `{"font":7,"string":[97,98]}`,
		msg: func(o ByteOrder) message { return &QueryTextExtents{Font: 7, String: []Char2b{{0, 'a'}, {0, 'b'}}} }},
	{kind: "request", name: "SetClipRectangles", args: `{"ordering":1,"gc":3,"x_origin":-5,"y_origin":6,"rectangles":[{"x":0,"y":0,"width":10,"height":10}]}`,
		msg: func(o ByteOrder) message {
			return &SetClipRectangles{Ordering: ClipOrderingYSorted, Gc: 3, ClipXOrigin: -5, ClipYOrigin: 6, Rectangles: []Rectangle{{0, 0, 10, 10}}}
		}},
	{kind: "request", name: "CreateGC", args: `{"cid":8,"drawable":2,"attrs":{"plane_mask":255,"foreground":1193046,"background":0,"font":9,"clip_mask":0}}`,
		msg: func(o ByteOrder) message {
			var vs ValueSet
			vs.Set(GCClipMask, 0)
			vs.Set(GCFont, 9)
			vs.Set(GCBackground, 0)
			vs.Set(GCForeground, 0x123456)
			vs.Set(GCPlaneMask, 0xff)
			return &CreateGC{Cid: 8, Drawable: 2, ValueMask: vs.Mask, ValueList: vs.List}
		}},
	{kind: "request", name: "ChangeGC", lsbOnly: true,
		args: `{"gc":8,"attrs":{"function":6,"line_width":3,"line_style":1,"dash_offset":4,"dashes":5,"graphics_exposures":0}}`,
		msg: func(o ByteOrder) message {
			var vs ValueSet
			vs.Set(GCFunction, GXxor)
			vs.Set(GCLineWidth, 3)
			vs.Set(GCLineStyle, LineStyleOnOffDash)
			vs.Set(GCDashOffset, 4)
			vs.Set(GCDashList, 5)
			vs.Set(GCGraphicsExposures, 0)
			return &ChangeGC{Gc: 8, ValueMask: vs.Mask, ValueList: vs.List}
		}},
	{kind: "request", name: "SetDashes", args: `{"gc":8,"dash_offset":3,"dashes":[4,2,1]}`,
		msg: func(o ByteOrder) message {
			return &SetDashes{Gc: 8, DashOffset: 3, DashesLen: 3, Dashes: []byte{4, 2, 1}}
		}},
	{kind: "request", name: "CopyArea",
		args: `{"src_drawable":1,"dst_drawable":2,"gc":3,"src_x":-4,"src_y":5,"dst_x":6,"dst_y":7,"width":8,"height":9}`,
		msg: func(o ByteOrder) message {
			return &CopyArea{SrcDrawable: 1, DstDrawable: 2, Gc: 3, SrcX: -4, SrcY: 5, DstX: 6, DstY: 7, Width: 8, Height: 9}
		}},
	{kind: "request", name: "GrabPointer",
		args: `{"owner_events":1,"grab_window":5,"event_mask":12,"pointer_mode":1,"keyboard_mode":0,"confine_to":0,"cursor":6,"time":1234}`,
		msg: func(o ByteOrder) message {
			return &GrabPointer{OwnerEvents: true, GrabWindow: 5, EventMask: EventMaskButtonPress | EventMaskButtonRelease,
				PointerMode: GrabModeAsync, KeyboardMode: GrabModeSync, Cursor: 6, Time: 1234}
		}},
	{kind: "request", name: "OpenFont", args: `{"fid":10,"name":"fixed"}`,
		msg: func(o ByteOrder) message { return &OpenFont{Fid: 10, NameLen: 5, Name: []byte("fixed")} }},
	{kind: "request", name: "ListFonts", args: `{"max_names":100,"pattern":"*-iso8859-1"}`,
		msg: func(o ByteOrder) message {
			return &ListFonts{MaxNames: 100, PatternLen: 11, Pattern: []byte("*-iso8859-1")}
		}},
	{kind: "request", name: "ListFontsWithInfo", args: `{"max_names":1,"pattern":"fixed"}`,
		msg: func(o ByteOrder) message {
			return &ListFontsWithInfo{MaxNames: 1, PatternLen: 5, Pattern: []byte("fixed")}
		}},
	{kind: "request", name: "SetFontPath", args: `{"path":["built-ins","/usr/share/fonts/X11/misc"]}`,
		msg: func(o ByteOrder) message {
			return &SetFontPath{FontQty: 2, Font: []Str{{9, []byte("built-ins")}, {25, []byte("/usr/share/fonts/X11/misc")}}}
		}},
	{kind: "request", name: "AllocColor", args: `{"cmap":32,"red":65535,"green":32768,"blue":1}`,
		msg: func(o ByteOrder) message { return &AllocColor{Cmap: 32, Red: 0xffff, Green: 0x8000, Blue: 1} }},
	{kind: "request", name: "StoreColors", args: `{"cmap":32,"items":[{"pixel":5,"red":1,"green":2,"blue":3,"flags":7}]}`,
		msg: func(o ByteOrder) message {
			return &StoreColors{Cmap: 32, Items: []Coloritem{{Pixel: 5, Red: 1, Green: 2, Blue: 3, Flags: ColorFlagRed | ColorFlagGreen | ColorFlagBlue}}}
		}},
	{kind: "request", name: "QueryColors", args: `{"cmap":32,"pixels":[0,16777215,4660]}`,
		msg: func(o ByteOrder) message { return &QueryColors{Cmap: 32, Pixels: []uint32{0, 0xffffff, 0x1234}} }},
	{kind: "request", name: "ChangeKeyboardMapping", args: `{"first_keycode":38,"keysyms":[[97,65],[98,66],[99,67]]}`,
		msg: func(o ByteOrder) message {
			return &ChangeKeyboardMapping{KeycodeCount: 3, FirstKeycode: 38, KeysymsPerKeycode: 2, Keysyms: []Keysym{'a', 'A', 'b', 'B', 'c', 'C'}}
		}},
	{kind: "request", name: "SetModifierMapping", args: `{"keycodes":[[50,62],[66,0],[37,105],[64,108],[77,0],[0,0],[133,134],[92,0]]}`,
		msg: func(o ByteOrder) message {
			return &SetModifierMapping{KeycodesPerModifier: 2, Keycodes: []Keycode{50, 62, 66, 0, 37, 105, 64, 108, 77, 0, 0, 0, 133, 134, 92, 0}}
		}},
	{kind: "request", name: "ChangeHosts", args: `{"mode":0,"host_family":0,"host":[127,0,0,1]}`,
		msg: func(o ByteOrder) message {
			return &ChangeHosts{Mode: HostModeInsert, Family: FamilyInternet, AddressLen: 4, Address: []byte{127, 0, 0, 1}}
		}},
	{kind: "request", name: "ChangeKeyboardControl", lsbOnly: true, args: `{"attrs":{"bell_percent":50,"bell_pitch":400,"led_mode":1,"auto_repeat_mode":0}}`,
		msg: func(o ByteOrder) message {
			return &ChangeKeyboardControl{ValueMask: KBBellPercent | KBBellPitch | KBLedMode | KBAutoRepeatMode, ValueList: []uint32{50, 400, 1, 0}}
		}},
	{kind: "request", name: "WarpPointer",
		args: `{"src_window":0,"dst_window":5,"src_x":0,"src_y":0,"src_width":0,"src_height":0,"dst_x":-10,"dst_y":20}`,
		msg:  func(o ByteOrder) message { return &WarpPointer{DstWindow: 5, DstX: -10, DstY: 20} }},
	{kind: "request", name: "QueryExtension", args: `{"name":"BIG-REQUESTS"}`,
		msg: func(o ByteOrder) message { return &QueryExtension{NameLen: 12, Name: []byte(BigReqName)} }},
	{kind: "request", name: "GetKeyboardMapping", args: `{"first_keycode":8,"count":248}`,
		msg: func(o ByteOrder) message { return &GetKeyboardMapping{FirstKeycode: 8, Count: 248} }},

	// Replies.
	{kind: "reply", name: "GetGeometry", args: `{"sequence_number":7,"depth":24,"root":256,"x":-1,"y":2,"width":3,"height":4,"border_width":5}`,
		msg: func(o ByteOrder) message {
			return &GetGeometryReply{Sequence: 7, Depth: 24, Root: 0x100, X: -1, Y: 2, Width: 3, Height: 4, BorderWidth: 5}
		}},
	{kind: "reply", name: "GetWindowAttributes",
		args: `{"sequence_number":65535,"backing_store":1,"visual":33,"win_class":1,"bit_gravity":1,"win_gravity":7,"backing_bit_planes":4294967295,
			"backing_pixel":5,"save_under":1,"map_is_installed":1,"map_state":2,"override_redirect":0,"colormap":32,"all_event_masks":98304,
			"your_event_mask":32768,"do_not_propagate_mask":4}`,
		msg: func(o ByteOrder) message {
			return &GetWindowAttributesReply{Sequence: 0xffff, BackingStore: BackingStoreWhenMapped, Visual: 33, Class: 1, BitGravity: 1,
				WinGravity: GravitySouthWest, BackingPlanes: 0xffffffff, BackingPixel: 5, SaveUnder: true, MapIsInstalled: true,
				MapState: MapStateViewable, Colormap: 32, AllEventMasks: 98304, YourEventMask: EventMaskExposure, DoNotPropagateMask: 4}
		}},
	{kind: "reply", name: "QueryTree", args: `{"sequence_number":3,"root":256,"parent":0,"children":[1,2,4194305]}`,
		msg: func(o ByteOrder) message {
			return &QueryTreeReply{Sequence: 3, Root: 0x100, ChildrenLen: 3, Children: []Window{1, 2, 0x400001}}
		}},
	{kind: "reply", name: "InternAtom", args: `{"sequence_number":4,"atom":300}`,
		msg: func(o ByteOrder) message { return &InternAtomReply{Sequence: 4, Atom: 300} }},
	{kind: "reply", name: "GetProperty", args: `{"sequence_number":5,"property_type":31,"bytes_after":9,"value":{"$t":[8,{"$b":"616263"}]}}`,
		msg: func(o ByteOrder) message {
			return &GetPropertyReply{Sequence: 5, Format: 8, Type: AtomString, BytesAfter: 9, ValueLen: 3, Value: []byte("abc")}
		}},
	{kind: "reply", name: "GetProperty", args: `{"sequence_number":5,"property_type":6,"bytes_after":0,"value":{"$t":[32,[1,2,4294967295]]}}`,
		msg: func(o ByteOrder) message {
			return &GetPropertyReply{Sequence: 5, Format: 32, Type: AtomCardinal, ValueLen: 3, Value: u32s(o, 1, 2, 0xffffffff)}
		}},
	{kind: "reply", name: "GetProperty", args: `{"sequence_number":5,"property_type":6,"bytes_after":0,"value":{"$t":[16,[1,2,65535]]}}`,
		msg: func(o ByteOrder) message {
			return &GetPropertyReply{Sequence: 5, Format: 16, Type: AtomCardinal, ValueLen: 3, Value: u16s(o, 1, 2, 0xffff)}
		}},
	{kind: "reply", name: "GetImage", args: `{"sequence_number":6,"depth":24,"visual":33,"data":{"$b":"0102030405060708"}}`,
		msg: func(o ByteOrder) message {
			return &GetImageReply{Sequence: 6, Depth: 24, Visual: 33, Data: []byte{1, 2, 3, 4, 5, 6, 7, 8}}
		}},
	{kind: "reply", name: "QueryFont",
		args: `{"sequence_number":8,"min_bounds":` + charinfoJSON + `,"max_bounds":` + charinfoJSON + `,"min_char_or_byte2":32,"max_char_or_byte2":126,
			"default_char":32,"draw_direction":0,"min_byte1":0,"max_byte1":0,"all_chars_exist":1,"font_ascent":11,"font_descent":2,
			"properties":[{"name":18,"value":42}],"char_infos":[` + charinfoJSON + `,` + charinfoJSON + `]}`,
		msg: func(o ByteOrder) message {
			return &QueryFontReply{Sequence: 8, MinBounds: charinfo, MaxBounds: charinfo, MinCharOrByte2: 32, MaxCharOrByte2: 126,
				DefaultChar: 32, PropertiesLen: 1, AllCharsExist: true, FontAscent: 11, FontDescent: 2, CharInfosLen: 2,
				Properties: []Fontprop{{Name: 18, Value: 42}}, CharInfos: []Charinfo{charinfo, charinfo}}
		}},
	{kind: "reply", name: "ListFontsWithInfo",
		args: `{"sequence_number":8,"min_bounds":` + charinfoJSON + `,"max_bounds":` + charinfoJSON + `,"min_char_or_byte2":32,"max_char_or_byte2":126,
			"default_char":32,"draw_direction":1,"min_byte1":0,"max_byte1":0,"all_chars_exist":0,"font_ascent":11,"font_descent":2,
			"replies_hint":3,"properties":[{"name":18,"value":42}],"name":"fixed"}`,
		msg: func(o ByteOrder) message {
			return &ListFontsWithInfoReply{Sequence: 8, NameLen: 5, MinBounds: charinfo, MaxBounds: charinfo, MinCharOrByte2: 32, MaxCharOrByte2: 126,
				DefaultChar: 32, PropertiesLen: 1, DrawDirection: FontDrawRightToLeft, FontAscent: 11, FontDescent: 2, RepliesHint: 3,
				Properties: []Fontprop{{Name: 18, Value: 42}}, Name: []byte("fixed")}
		}},
	{kind: "reply", name: "ListFonts", args: `{"sequence_number":9,"fonts":["fixed","cursor","-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1"]}`,
		msg: func(o ByteOrder) message {
			long := "-misc-fixed-medium-r-normal--13-120-75-75-c-70-iso8859-1"
			return &ListFontsReply{Sequence: 9, NamesLen: 3, Names: []Str{{5, []byte("fixed")}, {6, []byte("cursor")}, {uint8(len(long)), []byte(long)}}}
		}},
	{kind: "reply", name: "ListExtensions", args: `{"sequence_number":9,"names":["BIG-REQUESTS","XTEST"]}`,
		msg: func(o ByteOrder) message {
			return &ListExtensionsReply{Sequence: 9, NamesLen: 2, Names: []Str{{12, []byte("BIG-REQUESTS")}, {5, []byte("XTEST")}}}
		}},
	{kind: "reply", name: "GetKeyboardMapping", args: `{"sequence_number":10,"keysyms":[[97,65,0],[98,66,0]]}`,
		msg: func(o ByteOrder) message {
			return &GetKeyboardMappingReply{Sequence: 10, KeysymsPerKeycode: 3, Keysyms: []Keysym{'a', 'A', 0, 'b', 'B', 0}}
		}},
	{kind: "reply", name: "GetModifierMapping", args: `{"sequence_number":11,"keycodes":[[50,62],[66,0],[37,105],[64,108],[77,0],[0,0],[133,134],[92,0]]}`,
		msg: func(o ByteOrder) message {
			return &GetModifierMappingReply{Sequence: 11, KeycodesPerModifier: 2, Keycodes: []Keycode{50, 62, 66, 0, 37, 105, 64, 108, 77, 0, 0, 0, 133, 134, 92, 0}}
		}},
	{kind: "reply", name: "ListHosts", args: `{"sequence_number":12,"mode":1,"hosts":[{"family":0,"name":[127,0,0,1]},{"family":0,"name":[10,0,0,2]}]}`,
		msg: func(o ByteOrder) message {
			return &ListHostsReply{Sequence: 12, Mode: AccessControlEnable, HostsLen: 2,
				Hosts: []Host{{Family: FamilyInternet, AddressLen: 4, Address: []byte{127, 0, 0, 1}}, {AddressLen: 4, Address: []byte{10, 0, 0, 2}}}}
		}},
	{kind: "reply", name: "QueryPointer", args: `{"sequence_number":13,"same_screen":1,"root":256,"child":0,"root_x":100,"root_y":-200,"win_x":3,"win_y":4,"mask":256}`,
		msg: func(o ByteOrder) message {
			return &QueryPointerReply{Sequence: 13, SameScreen: true, Root: 0x100, RootX: 100, RootY: -200, WinX: 3, WinY: 4, Mask: KeyButMaskButton1}
		}},
	{kind: "reply", name: "QueryExtension", args: `{"sequence_number":14,"present":1,"major_opcode":130,"first_event":0,"first_error":0}`,
		msg: func(o ByteOrder) message { return &QueryExtensionReply{Sequence: 14, Present: true, MajorOpcode: 130} }},
	{kind: "reply", name: "GetInputFocus", args: `{"sequence_number":15,"revert_to":2,"focus":1}`,
		msg: func(o ByteOrder) message {
			return &GetInputFocusReply{Sequence: 15, RevertTo: InputFocusParent, Focus: 1}
		}},
	{kind: "reply", name: "AllocColor", args: `{"sequence_number":16,"red":65535,"green":0,"blue":256,"pixel":16711681}`,
		msg: func(o ByteOrder) message {
			return &AllocColorReply{Sequence: 16, Red: 0xffff, Blue: 256, Pixel: 0xff0001}
		}},
	{kind: "reply", name: "AllocNamedColor",
		args: `{"sequence_number":16,"pixel":5,"exact_red":1,"exact_green":2,"exact_blue":3,"screen_red":4,"screen_green":5,"screen_blue":6}`,
		msg: func(o ByteOrder) message {
			return &AllocNamedColorReply{Sequence: 16, Pixel: 5, ExactRed: 1, ExactGreen: 2, ExactBlue: 3, VisualRed: 4, VisualGreen: 5, VisualBlue: 6}
		}},
	{kind: "reply", name: "QueryColors", args: `{"sequence_number":17,"colors":[{"red":1,"green":2,"blue":3},{"red":65535,"green":0,"blue":0}]}`,
		msg: func(o ByteOrder) message {
			return &QueryColorsReply{Sequence: 17, ColorsLen: 2, Colors: []Rgb{{Red: 1, Green: 2, Blue: 3}, {Red: 0xffff}}}
		}},
	{kind: "reply", name: "QueryTextExtents",
		args: `{"sequence_number":18,"draw_direction":0,"font_ascent":11,"font_descent":2,"overall_ascent":10,"overall_descent":1,"overall_width":-40,"overall_left":-1,"overall_right":41}`,
		msg: func(o ByteOrder) message {
			return &QueryTextExtentsReply{Sequence: 18, FontAscent: 11, FontDescent: 2, OverallAscent: 10, OverallDescent: 1,
				OverallWidth: -40, OverallLeft: -1, OverallRight: 41}
		}},
	{kind: "reply", name: "GetKeyboardControl",
		args: `{"sequence_number":19,"global_auto_repeat":1,"led_mask":3,"key_click_percent":0,"bell_percent":50,"bell_pitch":400,"bell_duration":100,
			"auto_repeats":[255,255,255,255,0,0,0,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24]}`,
		msg: func(o ByteOrder) message {
			r := &GetKeyboardControlReply{Sequence: 19, GlobalAutoRepeat: AutoRepeatModeOn, LedMask: 3, BellPercent: 50, BellPitch: 400, BellDuration: 100}
			r.AutoRepeats = [32]uint8{255, 255, 255, 255, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}
			return r
		}},
	{kind: "reply", name: "GetMotionEvents", args: `{"sequence_number":20,"events":[{"time":1000,"x":1,"y":-2},{"time":1010,"x":3,"y":4}]}`,
		msg: func(o ByteOrder) message {
			return &GetMotionEventsReply{Sequence: 20, EventsLen: 2, Events: []Timecoord{{Time: 1000, X: 1, Y: -2}, {Time: 1010, X: 3, Y: 4}}}
		}},
	{kind: "reply", name: "GrabPointer", args: `{"sequence_number":21,"status":3}`,
		msg: func(o ByteOrder) message { return &GrabPointerReply{Sequence: 21, Status: GrabStatusNotViewable} }},
	{kind: "reply", name: "SetModifierMapping", args: `{"sequence_number":22,"status":1}`,
		msg: func(o ByteOrder) message { return &SetModifierMappingReply{Sequence: 22, Status: MappingStatusBusy} }},

	// Events (python-xlib writes sequence 0 when it packs an event).
	{kind: "event", name: "KeyPress",
		args: `{"detail":38,"time":123456,"root":256,"window":5,"child":0,"root_x":10,"root_y":-20,"event_x":1,"event_y":2,"state":5,"same_screen":1}`,
		msg: func(o ByteOrder) message {
			return &KeyPressEvent{Detail: 38, Time: 123456, Root: 0x100, Event: 5, RootX: 10, RootY: -20, EventX: 1, EventY: 2,
				State: KeyButMaskShift | KeyButMaskControl, SameScreen: true}
		}},
	{kind: "event", name: "ButtonRelease",
		args: `{"detail":3,"time":1,"root":256,"window":5,"child":6,"root_x":0,"root_y":0,"event_x":-1,"event_y":-2,"state":1024,"same_screen":0}`,
		msg: func(o ByteOrder) message {
			return &ButtonReleaseEvent{Detail: 3, Time: 1, Root: 0x100, Event: 5, Child: 6, EventX: -1, EventY: -2, State: KeyButMaskButton3}
		}},
	{kind: "event", name: "MotionNotify",
		args: `{"detail":1,"time":7,"root":256,"window":5,"child":0,"root_x":640,"root_y":480,"event_x":40,"event_y":80,"state":0,"same_screen":1}`,
		msg: func(o ByteOrder) message {
			return &MotionNotifyEvent{Detail: MotionHint, Time: 7, Root: 0x100, Event: 5, RootX: 640, RootY: 480, EventX: 40, EventY: 80, SameScreen: true}
		}},
	{kind: "event", name: "EnterNotify",
		args: `{"detail":3,"time":7,"root":256,"window":5,"child":0,"root_x":1,"root_y":2,"event_x":3,"event_y":4,"state":0,"mode":1,"flags":3}`,
		msg: func(o ByteOrder) message {
			return &EnterNotifyEvent{Detail: NotifyDetailNonlinear, Time: 7, Root: 0x100, Event: 5, RootX: 1, RootY: 2, EventX: 3, EventY: 4,
				Mode: NotifyModeGrab, SameScreenFocus: 3}
		}},
	{kind: "event", name: "FocusIn", args: `{"detail":1,"window":5,"mode":3}`,
		msg: func(o ByteOrder) message {
			return &FocusInEvent{Detail: NotifyDetailVirtual, Event: 5, Mode: NotifyModeWhileGrabbed}
		}},
	{kind: "event", name: "Expose", args: `{"window":4194305,"x":1,"y":2,"width":3,"height":4,"count":5}`,
		msg: func(o ByteOrder) message {
			return &ExposeEvent{Window: 0x400001, X: 1, Y: 2, Width: 3, Height: 4, Count: 5}
		}},
	{kind: "event", name: "GraphicsExpose",
		args: `{"drawable":7,"x":1,"y":2,"width":3,"height":4,"minor_event":0,"count":1,"major_event":62}`,
		msg: func(o ByteOrder) message {
			return &GraphicsExposureEvent{Drawable: 7, X: 1, Y: 2, Width: 3, Height: 4, Count: 1, MajorOpcode: OpCopyArea}
		}},
	{kind: "event", name: "CreateNotify", args: `{"parent":1,"window":2,"x":-3,"y":4,"width":5,"height":6,"border_width":7,"override":1}`,
		msg: func(o ByteOrder) message {
			return &CreateNotifyEvent{Parent: 1, Window: 2, X: -3, Y: 4, Width: 5, Height: 6, BorderWidth: 7, OverrideRedirect: true}
		}},
	{kind: "event", name: "ConfigureNotify",
		args: `{"event":1,"window":2,"above_sibling":3,"x":-4,"y":5,"width":6,"height":7,"border_width":8,"override":0}`,
		msg: func(o ByteOrder) message {
			return &ConfigureNotifyEvent{Event: 1, Window: 2, AboveSibling: 3, X: -4, Y: 5, Width: 6, Height: 7, BorderWidth: 8}
		}},
	{kind: "event", name: "ConfigureRequest",
		args: `{"stack_mode":4,"parent":1,"window":2,"sibling":3,"x":4,"y":-5,"width":6,"height":7,"border_width":8,"value_mask":127}`,
		msg: func(o ByteOrder) message {
			return &ConfigureRequestEvent{StackMode: StackModeOpposite, Parent: 1, Window: 2, Sibling: 3, X: 4, Y: -5, Width: 6, Height: 7,
				BorderWidth: 8, ValueMask: 127}
		}},
	{kind: "event", name: "PropertyNotify", args: `{"window":5,"atom":39,"time":99,"state":1}`,
		msg: func(o ByteOrder) message {
			return &PropertyNotifyEvent{Window: 5, Atom: AtomWmName, Time: 99, State: PropertyDelete}
		}},
	{kind: "event", name: "SelectionNotify", args: `{"time":1,"requestor":2,"selection":1,"target":31,"property":0}`,
		msg: func(o ByteOrder) message {
			return &SelectionNotifyEvent{Time: 1, Requestor: 2, Selection: AtomPrimary, Target: AtomString}
		}},
	{kind: "event", name: "MappingNotify", args: `{"request":1,"first_keycode":8,"count":248}`,
		msg: func(o ByteOrder) message {
			return &MappingNotifyEvent{Request: MappingKeyboard, FirstKeycode: 8, Count: 248}
		}},
	{kind: "event", name: "KeymapNotify",
		args: `{"data":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31]}`,
		msg: func(o ByteOrder) message {
			var e KeymapNotifyEvent
			for i := range e.Keys {
				e.Keys[i] = uint8(i + 1)
			}
			return &e
		}},
	{kind: "event", name: "ClientMessage", args: `{"window":5,"client_type":300,"data":{"$t":[32,[301,1234,0,0,4294967295]]}}`,
		msg: func(o ByteOrder) message {
			return &ClientMessageEvent{Format: 32, Window: 5, Type: 300, Data: ClientMessageData{Data32: [5]uint32{301, 1234, 0, 0, 0xffffffff}}}
		}},
	{kind: "event", name: "ClientMessage", args: `{"window":5,"client_type":300,"data":{"$t":[16,[1,2,3,4,5,6,7,8,9,65535]]}}`,
		msg: func(o ByteOrder) message {
			return &ClientMessageEvent{Format: 16, Window: 5, Type: 300, Data: ClientMessageData{Data16: [10]uint16{1, 2, 3, 4, 5, 6, 7, 8, 9, 0xffff}}}
		}},
	{kind: "event", name: "ClientMessage", args: `{"window":5,"client_type":300,"data":{"$t":[8,{"$b":"000102030405060708090a0b0c0d0e0f10111213"}]}}`,
		msg: func(o ByteOrder) message {
			var d ClientMessageData
			for i := range d.Data8 {
				d.Data8[i] = uint8(i)
			}
			return &ClientMessageEvent{Format: 8, Window: 5, Type: 300, Data: d}
		}},
}

type xlibResult struct {
	Packed string `json:"packed"`
	Parsed any    `json:"parsed"`
	Error  string `json:"error"`
}

// TestPythonXlib packs each case with python-xlib and compares the bytes
// with Marshal's, and has python-xlib parse Marshal's bytes and compares
// the values with the case's, in both byte orders.
func TestPythonXlib(t *testing.T) {
	peer.Need(t, "python3")
	for _, o := range orders {
		t.Run(o.String(), func(t *testing.T) {
			var cases []xlibCase
			var in []map[string]any
			for _, c := range xlibCases {
				if c.lsbOnly && o != LSBFirst {
					continue
				}
				var args any
				if err := json.Unmarshal([]byte(c.args), &args); err != nil {
					t.Fatalf("%s %s: bad args: %v", c.kind, c.name, err)
				}
				wire := c.msg(o).Marshal(o, nil)
				cases = append(cases, c)
				in = append(in, map[string]any{"kind": c.kind, "name": c.name, "args": args, "wire": hex.EncodeToString(wire)})
			}
			results := runXlibCheck(t, o, in)
			for i, c := range cases {
				r := results[i]
				what := fmt.Sprintf("%s %s %s", c.kind, c.name, c.args)
				if r.Error != "" {
					t.Errorf("%s: python-xlib: %s", what, r.Error)
					continue
				}
				msg := c.msg(o)
				wire := msg.Marshal(o, nil)
				if got := hex.EncodeToString(wire); got != r.Packed {
					t.Errorf("%s:\n Go     %s\n python %s", what, got, r.Packed)
				}
				// Go decodes python-xlib's bytes to the same value.
				packed, _ := hex.DecodeString(r.Packed)
				back := reflect.New(reflect.TypeOf(msg).Elem()).Interface().(message)
				if err := back.Unmarshal(o, packed); err != nil {
					t.Errorf("%s: Unmarshal of python-xlib's bytes: %v", what, err)
				} else if canon := canonical(o, msg); !reflect.DeepEqual(back, canon) {
					t.Errorf("%s: Unmarshal of python-xlib's bytes:\n got %+v\nwant %+v", what, back, canon)
				}
				// python-xlib reads Go's bytes as the arguments.
				var args any
				json.Unmarshal([]byte(c.args), &args)
				if err := sameJSON(args, r.Parsed); err != nil {
					t.Errorf("%s: python-xlib parsed %v: %v", what, r.Parsed, err)
				}
			}
		})
	}
}

// canonical returns m as Unmarshal gives it back: for ClientMessage,
// with every view of the union filled.
func canonical(o ByteOrder, m message) message {
	c := reflect.New(reflect.TypeOf(m).Elem()).Interface().(message)
	if err := c.Unmarshal(o, m.Marshal(o, nil)); err != nil {
		panic(err)
	}
	return c
}

func runXlibCheck(t *testing.T, o ByteOrder, in any) []xlibResult {
	t.Helper()
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(peer.Python, "testdata/xlibcheck.py", string(rune(o)))
	cmd.Stdin = bytes.NewReader(data)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xlibcheck.py: %v\n%s", err, stderr.String())
	}
	var results []xlibResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("xlibcheck.py output: %v\n%s", err, out)
	}
	if len(results) != len(in.([]map[string]any)) {
		t.Fatalf("xlibcheck.py: %d results for %d cases", len(results), len(in.([]map[string]any)))
	}
	return results
}

// sameJSON reports whether python-xlib's parsed value got carries every
// argument in want. Tuples ({"$t": [...]}) compare as lists, booleans as
// 0 and 1, and strings equal their bytes.
func sameJSON(want, got any) error {
	switch w := want.(type) {
	case map[string]any:
		if t, ok := w["$t"]; ok {
			return sameJSON(t, got)
		}
		if b, ok := w["$b"]; ok {
			if g, ok := got.(map[string]any); ok {
				return sameJSON(b, g["$b"])
			}
			return fmt.Errorf("got %v, want bytes %v", got, b)
		}
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Errorf("got %v, want a dict", got)
		}
		for k, v := range w {
			if err := sameJSON(v, g[k]); err != nil {
				return fmt.Errorf("%s: %v", k, err)
			}
		}
		return nil
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Errorf("got %v, want %v", got, w)
		}
		for i := range w {
			if err := sameJSON(w[i], g[i]); err != nil {
				return fmt.Errorf("[%d]: %v", i, err)
			}
		}
		return nil
	case string:
		switch g := got.(type) {
		case string:
			if g == w {
				return nil
			}
		case map[string]any:
			if g["$b"] == hex.EncodeToString([]byte(w)) {
				return nil
			}
		}
		return fmt.Errorf("got %v, want %q", got, w)
	case float64:
		switch g := got.(type) {
		case float64:
			if g == w {
				return nil
			}
		case bool:
			if (w != 0) == g {
				return nil
			}
		}
		return fmt.Errorf("got %v, want %v", got, w)
	}
	if !reflect.DeepEqual(want, got) {
		return fmt.Errorf("got %v, want %v", got, want)
	}
	return nil
}
