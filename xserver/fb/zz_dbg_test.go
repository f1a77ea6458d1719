package fb

import (
	"encoding/json"
	"testing"
)

func TestDbgOps(t *testing.T) {
	var ops []xop
	s := `[{"op":"PolyLine","gc":{"function":10,"plane_mask":4294967295,"foreground":2025989724,"background":1854587251,"line_width":12,"line_style":1,"cap_style":2,"join_style":1,"fill_style":0,"fill_rule":0,"arc_mode":0,"tile":"tile","stipple":"stipple","ts_origin":[-13,-5],"clip_origin":[0,0],"dashes":[2,9],"dash_offset":12},"args":{"points":[[44,-3],[-15,0],[-41,47],[0,0],[12,-10]],"coord_mode":1}},
{"op":"PolyLine","gc":{"function":10,"plane_mask":821363595,"foreground":1151393172,"background":2490874295,"line_width":18,"line_style":0,"cap_style":2,"join_style":0,"fill_style":0,"fill_rule":1,"arc_mode":1,"tile":"tile","stipple":"stipple","ts_origin":[2,-4],"clip_origin":[5,-1],"clip_rects":[[34,35,13,11],[42,35,44,20],[38,30,32,31]],"dashes":[2],"dash_offset":24},"args":{"points":[[39,23],[39,23],[39,23]]}},
{"op":"PolyLine","gc":{"function":3,"plane_mask":3426839538,"foreground":894364841,"background":2242475632,"line_width":0,"line_style":2,"cap_style":2,"join_style":0,"fill_style":3,"fill_rule":1,"arc_mode":1,"tile":"tile","stipple":"stipple","ts_origin":[0,-15],"clip_origin":[0,0],"dashes":[11,11,6,9],"dash_offset":6},"args":{"points":[[29,8],[-12,42],[-12,42],[3,40],[35,-11],[8,11],[38,43],[28,-3]]}},
{"op":"PolySegment","gc":{"function":7,"plane_mask":4147695555,"foreground":2720567556,"background":133264423,"line_width":0,"line_style":2,"cap_style":2,"join_style":2,"fill_style":3,"fill_rule":1,"arc_mode":1,"tile":"tile","stipple":"stipple","ts_origin":[-7,4],"clip_origin":[0,0],"dashes":[1,8],"dash_offset":9},"args":{"segments":[[-10,8,25,-8],[40,42,-9,-5],[34,4,-2,3],[30,-10,35,4]]}}]`
	if err := json.Unmarshal([]byte(s), &ops); err != nil {
		t.Fatal(err)
	}
	var cases []xcase
	for i, op := range ops {
		c := xcase{Name: "dbg", Width: 48, Height: 40, Depth: 24, Init: make([]uint32, 48*40),
			Pixmaps: map[string]xpixmap{"tile": {Width: 3, Height: 2, Depth: 24, Pixels: []uint32{0x112233, 0x445566, 0x778899, 0xaabbcc, 0xddeeff, 0x102030}},
				"stipple": {Width: 3, Height: 3, Depth: 1, Pixels: []uint32{1, 0, 1, 0, 1, 1, 0, 0, 1}}}}
		_ = i
		c.Ops = []xop{op}
		cases = append(cases, c)
	}
	compareWithXvfb(t, cases)
}
