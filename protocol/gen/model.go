// Command gen writes the X11 wire format code of package protocol from the
// XCB protocol descriptions (xproto.xml, bigreq.xml, xtest.xml).
//
// It reads the XML as a generic element tree, resolves it into a small
// model of types and containers (structs, requests, replies, events), and
// prints Go source: one file per XML file, plus a test helper file that
// builds consistent random values of every type for round-trip tests.
package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"strconv"
	"strings"
	"unicode"
)

// node is a generic XML element; the XCB descriptions mix element kinds in
// an order that matters, so a tree is easier than typed decoding.
type node struct {
	XMLName xml.Name
	Attrs   []xml.Attr `xml:",any,attr"`
	Nodes   []*node    `xml:",any"`
	Text    string     `xml:",chardata"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *node) tag() string { return n.XMLName.Local }

func (n *node) text() string { return strings.TrimSpace(n.Text) }

func parseFile(path string) (*node, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var root node
	if err := xml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return &root, nil
}

// A kind says how a type is represented and encoded.
type kind int

const (
	kPrim   kind = iota // integer: CARDn, INTn, BYTE, char, void, typedefs, XIDs
	kBool               // BOOL: one byte on the wire, Go bool
	kStruct             // struct
	kUnion              // union (ClientMessageData)
)

// A typ is a wire type.
type typ struct {
	xml   string // XML name
	name  string // Go name
	kind  kind
	size  int    // wire size in bytes; 0 when variable
	base  string // Go basic type of a kPrim: uint8, int16, ...
	named bool   // a named Go type (xidtype, xidunion, typedef) rather than a basic one
	cont  *container
	min   int // minimum wire size (== size when fixed)
	doc   string
}

func (t *typ) fixed() bool { return t.size > 0 }

// byteLike reports whether a list of t is a Go []byte.
func (t *typ) byteLike() bool {
	return t.kind == kPrim && !t.named && t.size == 1 && t.base == "uint8"
}

// A ckind says what a container is.
type ckind int

const (
	cStruct ckind = iota
	cUnion
	cRequest
	cReply
	cEvent
	cError
)

type container struct {
	xml    string
	name   string // Go type name
	kind   ckind
	fields []*field
	mod    *module

	opcode int        // request
	reply  *container // request
	req    *container // reply: its request
	number int        // event, error
	noSeq  bool       // event without sequence number (KeymapNotify)
	xge    bool       // generic event
	copyOf string     // eventcopy/errorcopy: the Go name of the original
	setup  bool       // Setup* message: Marshal patches the length field
	doc    string
}

// An fkind says what a field is.
type fkind int

const (
	fPlain fkind = iota
	fPad
	fAlign
	fList
	fExpr
	fSwitch
)

type field struct {
	kind  fkind
	xml   string
	name  string
	typ   *typ
	bytes int   // fPad
	align int   // fAlign
	len   *expr // fList: nil when implicit (rest of the request)
	array int   // fList: constant length (Go array), else 0
	expr  *expr // fExpr
	mask  *field
	lenOf *field // fPlain: the list whose length Marshal writes here
	enum  string // XML enum/mask/altenum name, for documentation
}

type expr struct {
	op    string // "", "+", "-", "*", "/", "&", ...
	kids  []*expr
	field string // fieldref (XML name)
	value int    // value
	isVal bool
}

// refs returns the field names e refers to.
func (e *expr) refs() []string {
	if e == nil {
		return nil
	}
	if e.field != "" {
		return []string{e.field}
	}
	var r []string
	for _, k := range e.kids {
		r = append(r, k.refs()...)
	}
	return r
}

type enum struct {
	name  string // Go prefix
	xml   string
	items []enumItem
	doc   string
}

type enumItem struct {
	name  string // Go constant name
	xml   string
	value uint32
	bit   bool
}

type module struct {
	header   string // "xproto", "bigreq", "xtest"
	prefix   string // Go name prefix for extension names: "", "BigReq", "XTest"
	xname    string // extension-xname
	major    string
	minor    string
	file     string // output file
	types    map[string]*typ
	order    []*typ // named types in file order
	enums    []*enum
	structs  []*container // structs and unions
	requests []*container
	events   []*container
	errors   []*container
}

var (
	modules []*module
	core    *module
)

var prims = map[string]*typ{
	"CARD8":  {xml: "CARD8", name: "uint8", kind: kPrim, size: 1, base: "uint8"},
	"CARD16": {xml: "CARD16", name: "uint16", kind: kPrim, size: 2, base: "uint16"},
	"CARD32": {xml: "CARD32", name: "uint32", kind: kPrim, size: 4, base: "uint32"},
	"INT8":   {xml: "INT8", name: "int8", kind: kPrim, size: 1, base: "int8"},
	"INT16":  {xml: "INT16", name: "int16", kind: kPrim, size: 2, base: "int16"},
	"INT32":  {xml: "INT32", name: "int32", kind: kPrim, size: 4, base: "int32"},
	"BYTE":   {xml: "BYTE", name: "uint8", kind: kPrim, size: 1, base: "uint8"},
	"char":   {xml: "char", name: "byte", kind: kPrim, size: 1, base: "uint8"},
	"void":   {xml: "void", name: "byte", kind: kPrim, size: 1, base: "uint8"},
	"BOOL":   {xml: "BOOL", name: "bool", kind: kBool, size: 1, base: "bool"},
}

func init() {
	for _, t := range prims {
		t.min = t.size
	}
}

// lookup finds an XML type name, first in m, then in the core protocol.
func (m *module) lookup(name string) *typ {
	if t := prims[name]; t != nil {
		return t
	}
	if i := strings.IndexByte(name, ':'); i >= 0 {
		name = name[i+1:]
	}
	if t := m.types[name]; t != nil {
		return t
	}
	if core != nil {
		if t := core.types[name]; t != nil {
			return t
		}
	}
	fail("unknown type %q", name)
	return nil
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "gen: "+format+"\n", args...)
	os.Exit(1)
}

// typeName converts an XML type name to Go: all-capital names become
// capitalized words (WINDOW → Window, CHAR2B → Char2b); mixed-case names
// keep their case (SetupRequest, ClientMessageData).
func typeName(s string) string {
	if s == strings.ToUpper(s) {
		var b strings.Builder
		for _, part := range strings.Split(s, "_") {
			b.WriteString(title(part))
		}
		return b.String()
	}
	return upperFirst(s)
}

func title(s string) string {
	if s == "" {
		return s
	}
	return string(unicode.ToUpper(rune(s[0]))) + strings.ToLower(s[1:])
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return string(unicode.ToUpper(rune(s[0]))) + s[1:]
}

// fieldName converts an XML field name to Go: border_width → BorderWidth,
// rootX → RootX.
func fieldName(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		b.WriteString(upperFirst(part))
	}
	return b.String()
}

// itemName converts an enum item name: parts in capitals become words
// (WM_NAME → WmName, PRIMARY → Primary); other parts keep their case, so
// that GX's "copy" gives GXcopy as in Xlib and ZPixmap stays ZPixmap.
func itemName(s string) string {
	var b strings.Builder
	for _, part := range strings.Split(s, "_") {
		if len(part) > 1 && part == strings.ToUpper(part) {
			b.WriteString(title(part))
		} else {
			b.WriteString(part)
		}
	}
	return b.String()
}

func docOf(n *node) string {
	for _, k := range n.Nodes {
		if k.tag() == "doc" {
			for _, d := range k.Nodes {
				if d.tag() == "brief" {
					return strings.Join(strings.Fields(d.text()), " ")
				}
			}
		}
	}
	return ""
}

func load(path, file string) *module {
	root, err := parseFile(path)
	if err != nil {
		fail("%v", err)
	}
	m := &module{
		header: root.attr("header"),
		xname:  root.attr("extension-xname"),
		major:  root.attr("major-version"),
		minor:  root.attr("minor-version"),
		file:   file,
		types:  map[string]*typ{},
	}
	switch m.header {
	case "xproto":
	case "bigreq":
		m.prefix = "BigReq"
	case "xtest":
		m.prefix = "XTest"
	default:
		m.prefix = typeName(root.attr("extension-name"))
	}
	if m.header == "xproto" {
		core = m
	}
	for _, n := range root.Nodes {
		switch n.tag() {
		case "import", "doc":
		case "xidtype", "xidunion":
			t := &typ{xml: n.attr("name"), name: m.prefix + typeName(n.attr("name")), kind: kPrim, size: 4, min: 4, base: "uint32", named: true}
			t.doc = fmt.Sprintf("%s is a resource ID (%s).", t.name, t.xml)
			if t.xml == "ATOM" {
				t.doc = "Atom is the server's number for an interned name (ATOM)."
			}
			if n.tag() == "xidunion" {
				var alts []string
				for _, k := range n.Nodes {
					if k.tag() == "type" {
						alts = append(alts, typeName(k.text()))
					}
				}
				t.doc = fmt.Sprintf("%s is a resource ID (%s) naming a %s.", t.name, t.xml, strings.Join(alts, " or a "))
			}
			m.types[t.xml] = t
			m.order = append(m.order, t)
		case "typedef":
			old := m.lookup(n.attr("oldname"))
			t := &typ{xml: n.attr("newname"), name: m.prefix + typeName(n.attr("newname")), kind: old.kind, size: old.size, min: old.min, base: old.base, named: true}
			t.doc = fmt.Sprintf("%s is %s, a %s on the wire.", t.name, t.xml, old.xml)
			if old.kind != kPrim {
				fail("typedef of non-integer %s", old.xml)
			}
			m.types[t.xml] = t
			m.order = append(m.order, t)
		case "enum":
			m.enums = append(m.enums, m.loadEnum(n))
		case "struct", "union":
			c := &container{xml: n.attr("name"), name: m.prefix + typeName(n.attr("name")), kind: cStruct, mod: m, doc: docOf(n)}
			if n.tag() == "union" {
				c.kind = cUnion
			}
			c.fields = m.loadFields(c, n.Nodes)
			t := &typ{xml: c.xml, name: c.name, kind: kStruct, cont: c}
			if c.kind == cUnion {
				t.kind = kUnion
			}
			t.size, t.min = c.sizes()
			m.types[t.xml] = t
			m.order = append(m.order, t)
			m.structs = append(m.structs, c)
			if strings.HasPrefix(c.xml, "Setup") && m.header == "xproto" && c.xml != "SetupRequest" {
				c.setup = true
			}
		case "request":
			m.requests = append(m.requests, m.loadRequest(n))
		case "event":
			c := &container{xml: n.attr("name"), name: m.prefix + n.attr("name") + "Event", kind: cEvent, mod: m, doc: docOf(n)}
			c.number = atoi(n.attr("number"))
			c.noSeq = n.attr("no-sequence-number") == "true"
			c.xge = n.attr("xge") == "true"
			c.fields = m.loadFields(c, n.Nodes)
			m.events = append(m.events, c)
		case "eventcopy":
			c := &container{xml: n.attr("name"), name: m.prefix + n.attr("name") + "Event", kind: cEvent, mod: m}
			c.number = atoi(n.attr("number"))
			var orig *container
			for _, e := range m.events {
				if e.xml == n.attr("ref") {
					orig = e
				}
			}
			if orig == nil {
				fail("eventcopy of unknown %s", n.attr("ref"))
			}
			c.fields, c.noSeq, c.xge, c.copyOf, c.doc = orig.fields, orig.noSeq, orig.xge, orig.name, orig.doc
			m.events = append(m.events, c)
		case "error", "errorcopy":
			c := &container{xml: n.attr("name"), name: m.prefix + n.attr("name"), kind: cError, mod: m}
			c.number = atoi(n.attr("number"))
			m.errors = append(m.errors, c)
		default:
			fail("%s: unhandled top-level element <%s>", path, n.tag())
		}
	}
	return m
}

func atoi(s string) int {
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		fail("bad number %q", s)
	}
	return v
}

func (m *module) loadEnum(n *node) *enum {
	e := &enum{xml: n.attr("name"), name: m.prefix + n.attr("name"), doc: docOf(n)}
	for _, it := range n.Nodes {
		if it.tag() != "item" {
			continue
		}
		item := enumItem{xml: it.attr("name"), name: e.name + itemName(it.attr("name"))}
		for _, v := range it.Nodes {
			switch v.tag() {
			case "value":
				item.value = uint32(atoi(v.text()))
			case "bit":
				item.value = 1 << atoi(v.text())
				item.bit = true
			}
		}
		e.items = append(e.items, item)
	}
	return e
}

func (m *module) loadRequest(n *node) *container {
	c := &container{xml: n.attr("name"), name: m.prefix + n.attr("name"), kind: cRequest, mod: m, doc: docOf(n)}
	c.opcode = atoi(n.attr("opcode"))
	var body []*node
	for _, k := range n.Nodes {
		if k.tag() == "reply" {
			r := &container{xml: c.xml, name: c.name + "Reply", kind: cReply, mod: m, req: c, doc: docOf(k)}
			r.fields = m.loadFields(r, k.Nodes)
			c.reply = r
			continue
		}
		body = append(body, k)
	}
	c.fields = m.loadFields(c, body)
	return c
}

func (m *module) loadFields(c *container, nodes []*node) []*field {
	var fs []*field
	for _, n := range nodes {
		var f *field
		switch n.tag() {
		case "doc":
			continue
		case "field":
			f = &field{kind: fPlain, xml: n.attr("name"), typ: m.lookup(n.attr("type"))}
			f.enum = n.attr("enum") + n.attr("mask") + n.attr("altenum")
		case "pad":
			if a := n.attr("align"); a != "" {
				f = &field{kind: fAlign, align: atoi(a)}
			} else {
				f = &field{kind: fPad, bytes: atoi(n.attr("bytes"))}
			}
		case "list":
			f = &field{kind: fList, xml: n.attr("name"), typ: m.lookup(n.attr("type"))}
			for _, k := range n.Nodes {
				if e := parseExpr(k); e != nil {
					f.len = e
				}
			}
			if f.len != nil && f.len.isVal {
				f.array = f.len.value
			}
		case "exprfield":
			f = &field{kind: fExpr, xml: n.attr("name"), typ: m.lookup(n.attr("type"))}
			for _, k := range n.Nodes {
				if e := parseExpr(k); e != nil {
					f.expr = e
				}
			}
		case "switch":
			f = &field{kind: fSwitch, xml: n.attr("name"), typ: prims["CARD32"]}
			for _, k := range n.Nodes {
				if k.tag() == "fieldref" {
					for _, g := range fs {
						if g.xml == k.text() {
							f.mask = g
						}
					}
				}
				if k.tag() == "bitcase" {
					for _, b := range k.Nodes {
						if b.tag() == "field" {
							if t := m.lookup(b.attr("type")); t.size != 4 {
								fail("%s: value list entry %s is not 4 bytes", c.xml, b.attr("name"))
							}
						}
					}
				}
			}
			if f.mask == nil {
				fail("%s: switch without mask field", c.xml)
			}
		default:
			fail("%s: unhandled element <%s>", c.xml, n.tag())
		}
		if f.xml != "" {
			f.name = fieldName(f.xml)
		}
		fs = append(fs, f)
	}
	// A plain field that is exactly the length of one list is written from
	// that list's length.
	for _, l := range fs {
		if l.kind != fList || l.len == nil || l.len.field == "" {
			continue
		}
		for _, g := range fs {
			if g.kind == fPlain && g.xml == l.len.field {
				g.lenOf = l
			}
		}
	}
	return fs
}

func parseExpr(n *node) *expr {
	switch n.tag() {
	case "fieldref":
		return &expr{field: n.text()}
	case "value":
		return &expr{value: atoi(n.text()), isVal: true}
	case "op":
		e := &expr{op: n.attr("op")}
		for _, k := range n.Nodes {
			if s := parseExpr(k); s != nil {
				e.kids = append(e.kids, s)
			}
		}
		if len(e.kids) != 2 {
			fail("op %s with %d operands", e.op, len(e.kids))
		}
		return e
	case "doc":
		return nil
	}
	fail("unhandled expression <%s>", n.tag())
	return nil
}

// sizes returns the fixed wire size of a struct (0 if variable) and its
// minimum size.
func (c *container) sizes() (size, min int) {
	fixed := true
	for _, f := range c.fields {
		switch f.kind {
		case fPlain, fExpr:
			size += f.typ.size
			min += f.typ.min
			if !f.typ.fixed() {
				fixed = false
			}
		case fPad:
			size += f.bytes
			min += f.bytes
		case fAlign:
			fixed = false
		case fList:
			if f.array > 0 && f.typ.fixed() {
				size += f.array * f.typ.size
				min += f.array * f.typ.size
			} else {
				fixed = false
			}
		case fSwitch:
			fixed = false
		}
	}
	if c.kind == cUnion {
		// Every member of the union occupies the same bytes.
		size = 0
		for _, f := range c.fields {
			if s := f.array * f.typ.size; s > size {
				size = s
			}
		}
		return size, size
	}
	if !fixed {
		return 0, min
	}
	return size, size
}
