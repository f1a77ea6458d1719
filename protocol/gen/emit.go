package main

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// An item is one piece of a message's wire layout: a field, or one of the
// parts the protocol adds around the fields (opcode, sequence, length).
type item struct {
	kind ikind
	f    *field
	code string // iByte: Go expression of the byte
	size int    // fixed size in bytes; 0 when variable
}

type ikind int

const (
	iByte     ikind = iota // a byte with a known value (opcode, event code)
	iSeq                   // sequence number
	iReqLen                // request length, written by finishRequest
	iReplyLen              // reply length, written by finishReply
	iPad                   // padding bytes
	iField                 // fPlain or fExpr of fixed size
	iArray                 // fList of constant length and fixed element size
	iAlign                 // alignment padding
	iList                  // fList of variable length
	iSwitch                // value list
	iVarField              // fPlain of variable size
)

func fieldItem(f *field) item {
	switch f.kind {
	case fPad:
		return item{kind: iPad, f: f, size: f.bytes}
	case fAlign:
		return item{kind: iAlign, f: f}
	case fSwitch:
		return item{kind: iSwitch, f: f}
	case fList:
		if f.array > 0 && f.typ.fixed() {
			return item{kind: iArray, f: f, size: f.array * f.typ.size}
		}
		return item{kind: iList, f: f}
	}
	if !f.typ.fixed() {
		return item{kind: iVarField, f: f}
	}
	return item{kind: iField, f: f, size: f.typ.size}
}

// headerByte returns the item for byte 1 of a request, reply or event: the
// first field if it is one byte long, else a pad byte; and the fields left.
func headerByte(c *container, fs []*field) (item, []*field) {
	if len(fs) > 0 {
		f := fs[0]
		switch {
		case f.kind == fPad && f.bytes == 1:
			return fieldItem(f), fs[1:]
		case f.kind == fPad:
			fail("%s: first pad of %d bytes", c.name, f.bytes)
		case (f.kind == fPlain || f.kind == fExpr) && f.typ.size == 1:
			return fieldItem(f), fs[1:]
		}
	}
	return item{kind: iPad, size: 1}, fs
}

func (c *container) items() []item {
	var its []item
	fs := c.fields
	switch c.kind {
	case cRequest:
		if c.mod.prefix == "" {
			its = append(its, item{kind: iByte, code: "Op" + c.name, size: 1})
			var h item
			h, fs = headerByte(c, fs)
			its = append(its, h)
		} else {
			its = append(its, item{kind: iByte, code: "r.Major", size: 1}, item{kind: iByte, code: "Op" + c.name, size: 1})
		}
		its = append(its, item{kind: iReqLen, size: 2})
	case cReply:
		its = append(its, item{kind: iByte, code: "1", size: 1})
		var h item
		h, fs = headerByte(c, fs)
		its = append(its, h, item{kind: iSeq, size: 2}, item{kind: iReplyLen, size: 4})
	case cEvent:
		its = append(its, item{kind: iByte, code: c.mod.prefix + c.xml, size: 1})
		switch {
		case c.xge:
			its = append(its,
				fieldItem(&field{kind: fPlain, name: "Extension", typ: prims["CARD8"]}),
				item{kind: iSeq, size: 2},
				fieldItem(&field{kind: fPlain, name: "Length", typ: prims["CARD32"]}),
				fieldItem(&field{kind: fPlain, name: "EventType", typ: prims["CARD16"]}))
		case !c.noSeq:
			var h item
			h, fs = headerByte(c, fs)
			its = append(its, h, item{kind: iSeq, size: 2})
		}
	}
	for _, f := range fs {
		its = append(its, fieldItem(f))
	}
	if c.kind == cEvent {
		n := 0
		for _, it := range its {
			if it.size == 0 {
				fail("%s: variable-size event", c.name)
			}
			n += it.size
		}
		if n > 32 {
			fail("%s: event of %d bytes", c.name, n)
		}
		if n < 32 {
			its = append(its, item{kind: iPad, size: 32 - n})
		}
	}
	return its
}

// segments groups the items into runs of fixed size (one bounds check and
// one append each) and single variable items.
func segments(its []item) [][]item {
	var segs [][]item
	var cur []item
	for _, it := range its {
		if it.size > 0 {
			cur = append(cur, it)
			continue
		}
		if cur != nil {
			segs = append(segs, cur)
			cur = nil
		}
		segs = append(segs, []item{it})
	}
	if cur != nil {
		segs = append(segs, cur)
	}
	return segs
}

func segSize(seg []item) int {
	n := 0
	for _, it := range seg {
		n += it.size
	}
	return n
}

type emitter struct {
	buf bytes.Buffer
}

func (e *emitter) p(format string, args ...any) {
	fmt.Fprintf(&e.buf, format, args...)
	e.buf.WriteByte('\n')
}

// goType returns the Go type of a field.
func goType(c *container, f *field) string {
	switch f.kind {
	case fSwitch:
		return "[]uint32"
	case fList:
		el := f.typ.name
		if f.array > 0 {
			return fmt.Sprintf("[%d]%s", f.array, el)
		}
		return "[]" + el
	}
	if c.xml == "SetupRequest" && f.xml == "byte_order" {
		return "ByteOrder"
	}
	return f.typ.name
}

// isMessage reports whether Unmarshal returns only an error (messages) or
// also the bytes consumed (structs used inside messages).
func (c *container) isMessage() bool {
	return c.kind != cStruct && c.kind != cUnion || c.setup || c.xml == "SetupRequest"
}

func (c *container) recv() string {
	if c.kind == cStruct || c.kind == cUnion {
		return "s"
	}
	return "r"
}

// exprCode renders an expression as Go of type int.
func exprCode(c *container, e *expr, marshal bool) string {
	r := c.recv()
	if e.isVal {
		return fmt.Sprint(e.value)
	}
	if e.field != "" {
		for _, f := range c.fields {
			if f.xml == e.field && (f.kind == fPlain || f.kind == fExpr) {
				if f.lenOf != nil && marshal {
					return fmt.Sprintf("len(%s.%s)", r, f.lenOf.name)
				}
				return fmt.Sprintf("int(%s.%s)", r, f.name)
			}
		}
		if strings.HasSuffix(e.field, "_len") {
			for _, f := range c.fields {
				if f.kind == fList && f.xml+"_len" == e.field {
					return fmt.Sprintf("len(%s.%s)", r, f.name)
				}
			}
		}
		if e.field == "length" && c.kind == cReply {
			return "length"
		}
		fail("%s: unresolved fieldref %s", c.name, e.field)
	}
	a, b := exprCode(c, e.kids[0], marshal), exprCode(c, e.kids[1], marshal)
	if e.op == "/" && !e.kids[1].isVal {
		fail("%s: division by a field", c.name)
	}
	return fmt.Sprintf("(%s %s %s)", a, e.op, b)
}

func usesReplyLength(c *container) bool {
	for _, f := range c.fields {
		for _, r := range f.len.refs() {
			if r == "length" {
				return true
			}
		}
	}
	return false
}

// oddList returns the exprfield that says whether the implicit list f has
// one element less than the bytes allow (QueryTextExtents odd_length).
func oddList(c *container, f *field) *field {
	for _, g := range c.fields {
		if g.kind == fExpr && g.expr.op == "&" && g.expr.kids[0].field == f.xml+"_len" {
			return g
		}
	}
	return nil
}

// putCode writes value v of type t at p[k:].
func putCode(t *typ, v string, k string) string {
	switch {
	case t.kind == kBool:
		return fmt.Sprintf("p[%s] = boolByte(%s)", k, v)
	case t.kind == kStruct:
		return fmt.Sprintf("%s.put(o, p[%s:])", v, k)
	case t.size == 1:
		return fmt.Sprintf("p[%s] = %s", k, conv("uint8", t, v))
	case t.size == 2:
		return fmt.Sprintf("o.PutU16(p[%s:], %s)", k, conv("uint16", t, v))
	case t.size == 4:
		return fmt.Sprintf("o.PutU32(p[%s:], %s)", k, conv("uint32", t, v))
	}
	fail("cannot put %s", t.xml)
	return ""
}

// conv converts v, of type t, to the basic type to; values that are
// already of that type (not named types) are left alone.
func conv(to string, t *typ, v string) string {
	if !t.named && (t.name == to || to == "uint8" && t.name == "byte") && !strings.HasPrefix(v, "len(") {
		return v
	}
	return fmt.Sprintf("%s(%s)", to, v)
}

// convTo converts v, of basic type from, to t.
func convTo(t *typ, from, v string) string {
	if !t.named && (t.name == from || from == "uint8" && t.name == "byte") {
		return v
	}
	return fmt.Sprintf("%s(%s)", t.name, v)
}

// getCode reads a value of type t from p[k:] into dst.
func getCode(t *typ, dst string, k string) string {
	switch {
	case t.kind == kBool:
		return fmt.Sprintf("%s = p[%s] != 0", dst, k)
	case t.kind == kStruct:
		return fmt.Sprintf("%s.get(o, p[%s:])", dst, k)
	case t.size == 1:
		return fmt.Sprintf("%s = %s", dst, convTo(t, "uint8", fmt.Sprintf("p[%s]", k)))
	case t.size == 2:
		return fmt.Sprintf("%s = %s", dst, convTo(t, "uint16", fmt.Sprintf("o.U16(p[%s:])", k)))
	case t.size == 4:
		return fmt.Sprintf("%s = %s", dst, convTo(t, "uint32", fmt.Sprintf("o.U32(p[%s:])", k)))
	}
	fail("cannot get %s", t.xml)
	return ""
}

func off(base string, k int) string {
	if base == "" {
		return fmt.Sprint(k)
	}
	if k == 0 {
		return base
	}
	return fmt.Sprintf("%s+%d", base, k)
}

// emitPuts writes the fixed items of a segment into p.
func (e *emitter) emitPuts(c *container, seg []item) {
	r := c.recv()
	k := 0
	for _, it := range seg {
		f := it.f
		switch it.kind {
		case iByte:
			e.p("p[%d] = %s", k, it.code)
		case iSeq:
			e.p("o.PutU16(p[%d:], %s.Sequence)", k, r)
		case iField:
			switch {
			case c.xml == "SetupRequest" && f.xml == "byte_order":
				e.p("p[%d] = byte(o)", k)
			case f.typ.kind == kUnion:
				format := "8"
				for _, g := range c.fields {
					if g.xml == "format" {
						format = r + ".Format"
					}
				}
				e.p("%s.%s.put(o, p[%d:], %s)", r, f.name, k, format)
			case f.kind == fExpr:
				v := exprCode(c, f.expr, true)
				if f.typ.kind == kBool {
					e.p("p[%d] = boolByte(%s != 0)", k, v)
				} else {
					e.p("%s", putCode(f.typ, v, fmt.Sprint(k)))
				}
			case f.lenOf != nil:
				e.p("%s", putCode(f.typ, fmt.Sprintf("len(%s.%s)", r, f.lenOf.name), fmt.Sprint(k)))
			default:
				e.p("%s", putCode(f.typ, r+"."+f.name, fmt.Sprint(k)))
			}
		case iArray:
			if f.typ.byteLike() {
				e.p("copy(p[%d:%d], %s.%s[:])", k, k+it.size, r, f.name)
			} else {
				e.p("for i := range %s.%s {", r, f.name)
				e.p("%s", putCode(f.typ, fmt.Sprintf("%s.%s[i]", r, f.name), fmt.Sprintf("%d+%d*i", k, f.typ.size)))
				e.p("}")
			}
		}
		k += it.size
	}
}

// emitGets reads the fixed items of a segment from p.
func (e *emitter) emitGets(c *container, seg []item) {
	r := c.recv()
	k := 0
	for _, it := range seg {
		f := it.f
		switch it.kind {
		case iByte:
			if it.code == "r.Major" {
				e.p("r.Major = p[%d]", k)
			}
		case iSeq:
			e.p("%s.Sequence = o.U16(p[%d:])", r, k)
		case iReplyLen:
			if usesReplyLength(c) {
				e.p("length := int(o.U32(p[%d:]))", k)
			}
		case iField:
			switch {
			case c.xml == "SetupRequest" && f.xml == "byte_order":
				e.p("%s.ByteOrder = ByteOrder(p[%d])", r, k)
				e.p("if %s.ByteOrder != o {", r)
				e.p("return errByteOrder(p[%d], o)", k)
				e.p("}")
			case f.typ.kind == kUnion:
				e.p("%s.%s.get(o, p[%d:])", r, f.name, k)
			default:
				e.p("%s", getCode(f.typ, r+"."+f.name, fmt.Sprint(k)))
			}
		case iArray:
			if f.typ.byteLike() {
				e.p("copy(%s.%s[:], p[%d:%d])", r, f.name, k, k+it.size)
			} else {
				e.p("for i := range %s.%s {", r, f.name)
				e.p("%s", getCode(f.typ, fmt.Sprintf("%s.%s[i]", r, f.name), fmt.Sprintf("%d+%d*i", k, f.typ.size)))
				e.p("}")
			}
		}
		k += it.size
	}
}

// failCode returns the statement that reports a length error.
func failCode(c *container, need string) string {
	le := fmt.Sprintf("&LengthError{Type: %q, Len: len(b), Need: %s}", c.name, need)
	if c.isMessage() {
		return "return " + le
	}
	return "return 0, " + le
}

func errReturn(c *container) string {
	if c.isMessage() {
		return "return err"
	}
	return "return 0, err"
}

func (e *emitter) emitMarshal(c *container) {
	r := c.recv()
	its := c.items()
	segs := segments(its)
	fixed := len(segs) == 1 && segSize(segs[0]) > 0 && !c.isMessage()

	switch c.kind {
	case cRequest:
		e.p("// Marshal appends the request to b: header, body and padding, in the")
		e.p("// BIG-REQUESTS form when it is longer than 65535 four-byte units.")
	case cReply:
		e.p("// Marshal appends the reply to b, padded to 32 bytes or more.")
	case cEvent:
		e.p("// Marshal appends the 32-byte event to b.")
	default:
		e.p("// Marshal appends the wire form to b.")
	}
	e.p("func (%s %s) Marshal(o ByteOrder, b []byte) []byte {", r, c.name)
	if n, ok := c.fixedMessage(segs); ok {
		e.p("b = append(b, make([]byte, %d)...)", n)
		e.p("p := b[len(b)-%d:]", n)
		e.emitPuts(c, segs[0])
		switch c.kind {
		case cRequest:
			e.p("o.PutU16(p[2:], %d)", n/4)
		case cReply:
			if n > 32 {
				e.p("o.PutU32(p[4:], %d)", (n-32)/4)
			}
		}
		e.p("return b")
		e.p("}")
		e.p("")
		return
	}
	if fixed {
		n := segSize(segs[0])
		e.p("b = append(b, make([]byte, %d)...)", n)
		e.p("%s.put(o, b[len(b)-%d:])", r, n)
		e.p("return b")
		e.p("}")
		e.p("")
		e.p("func (%s *%s) put(o ByteOrder, p []byte) {", r, c.name)
		e.p("_ = p[%d]", n-1)
		e.emitPuts(c, segs[0])
		e.p("}")
		e.p("")
		return
	}
	if c.kind == cRequest || c.kind == cReply || c.setup || c.hasAlign() {
		e.p("start := len(b)")
	}
	for _, seg := range segs {
		if n := segSize(seg); n > 0 {
			var body emitter
			body.emitPuts(c, seg)
			if body.buf.Len() == 0 {
				e.p("b = append(b, make([]byte, %d)...)", n)
				continue
			}
			e.p("{")
			e.p("b = append(b, make([]byte, %d)...)", n)
			e.p("p := b[len(b)-%d:]", n)
			e.buf.Write(body.buf.Bytes())
			e.p("}")
			continue
		}
		it := seg[0]
		f := it.f
		switch it.kind {
		case iAlign:
			e.p("b = align(b, start, %d)", f.align)
		case iSwitch:
			e.p("for _, v := range %s.%s {", r, f.name)
			e.p("b = o.AppendU32(b, v)")
			e.p("}")
		case iVarField:
			e.p("b = %s.%s.Marshal(o, b)", r, f.name)
		case iList:
			t := f.typ
			switch {
			case t.byteLike():
				if f.array > 0 {
					e.p("b = append(b, %s.%s[:]...)", r, f.name)
				} else {
					e.p("b = append(b, %s.%s...)", r, f.name)
				}
			case t.kind == kStruct && t.fixed():
				e.p("{")
				e.p("n := len(%s.%s) * %d", r, f.name, t.size)
				e.p("b = append(b, make([]byte, n)...)")
				e.p("p := b[len(b)-n:]")
				e.p("for i := range %s.%s {", r, f.name)
				e.p("%s.%s[i].put(o, p[%d*i:])", r, f.name, t.size)
				e.p("}")
				e.p("}")
			case t.kind == kStruct:
				e.p("for i := range %s.%s {", r, f.name)
				e.p("b = %s.%s[i].Marshal(o, b)", r, f.name)
				e.p("}")
			case t.kind == kPrim && t.size == 1:
				e.p("for _, v := range %s.%s {", r, f.name)
				e.p("b = append(b, uint8(v))")
				e.p("}")
			case t.kind == kPrim && t.size == 2:
				e.p("for _, v := range %s.%s {", r, f.name)
				e.p("b = o.AppendU16(b, uint16(v))")
				e.p("}")
			case t.kind == kPrim && t.size == 4:
				e.p("for _, v := range %s.%s {", r, f.name)
				e.p("b = o.AppendU32(b, uint32(v))")
				e.p("}")
			default:
				fail("%s: list of %s", c.name, t.xml)
			}
		default:
			fail("%s: variable item %d", c.name, it.kind)
		}
	}
	switch {
	case c.kind == cRequest:
		e.p("return finishRequest(o, b, start)")
	case c.kind == cReply:
		e.p("return finishReply(o, b, start)")
	case c.setup:
		e.p("b = align(b, start, 4)")
		e.p("o.PutU16(b[start+6:], uint16((len(b)-start-8)/4))")
		e.p("return b")
	default:
		e.p("return b")
	}
	e.p("}")
	e.p("")
}

func (e *emitter) emitUnmarshal(c *container) {
	r := c.recv()
	its := c.items()
	segs := segments(its)
	fixed := len(segs) == 1 && segSize(segs[0]) > 0 && !c.isMessage()

	ret := "error"
	if !c.isMessage() {
		ret = "(int, error)"
	}
	switch c.kind {
	case cRequest:
		e.p("// Unmarshal decodes a whole request, header included, reusing r's slices.")
		e.p("// It trusts len(b), not the length field.")
	case cReply:
		e.p("// Unmarshal decodes a whole reply, reusing r's slices.")
	case cEvent:
		e.p("// Unmarshal decodes a 32-byte event.")
	default:
		if c.isMessage() {
			e.p("// Unmarshal decodes the wire form, reusing the slices in the receiver.")
		} else {
			e.p("// Unmarshal decodes the wire form at the start of b, reusing the slices")
			e.p("// in the receiver, and returns the number of bytes it used.")
		}
	}
	e.p("func (%s *%s) Unmarshal(o ByteOrder, b []byte) %s {", r, c.name, ret)
	if _, ok := c.fixedMessage(segs); ok {
		n := segSize(segs[0])
		if c.kind == cRequest {
			e.p("if len(b) < %d || len(b)%%4 != 0 {", n)
		} else {
			e.p("if len(b) < %d {", n)
		}
		e.p("%s", failCode(c, fmt.Sprint(n)))
		e.p("}")
		var body emitter
		body.emitGets(c, segs[0])
		if body.buf.Len() > 0 {
			e.p("p := b[:%d]", n)
			e.buf.Write(body.buf.Bytes())
		}
		if c.kind == cRequest {
			e.p("if len(b)-%d >= 4 {", n)
			e.p("return &LengthError{Type: %q, Len: len(b), Need: %d}", c.name, (n+3)&^3)
			e.p("}")
		}
		e.p("return nil")
		e.p("}")
		e.p("")
		return
	}
	if fixed {
		n := segSize(segs[0])
		e.p("if len(b) < %d {", n)
		e.p("%s", failCode(c, fmt.Sprint(n)))
		e.p("}")
		e.p("%s.get(o, b)", r)
		e.p("return %d, nil", n)
		e.p("}")
		e.p("")
		e.p("func (%s *%s) get(o ByteOrder, p []byte) {", r, c.name)
		e.p("_ = p[%d]", n-1)
		e.emitGets(c, segs[0])
		e.p("}")
		e.p("")
		return
	}
	if c.kind == cRequest {
		e.p("if len(b)%%4 != 0 {")
		e.p("return &LengthError{Type: %q, Len: len(b), Need: (len(b) + 3) &^ 3}", c.name)
		e.p("}")
	}
	e.p("off := 0")
	for si, seg := range segs {
		if n := segSize(seg); n > 0 {
			e.p("if len(b)-off < %d {", n)
			e.p("%s", failCode(c, off("off", n)))
			e.p("}")
			var body emitter
			body.emitGets(c, seg)
			switch {
			case body.buf.Len() == 0:
			case si == 0 && usesReplyLength(c):
				// length is needed after this block.
				e.p("p := b[off : off+%d]", n)
				e.buf.Write(body.buf.Bytes())
			default:
				e.p("{")
				e.p("p := b[off : off+%d]", n)
				e.buf.Write(body.buf.Bytes())
				e.p("}")
			}
			e.p("off += %d", n)
			continue
		}
		it := seg[0]
		f := it.f
		switch it.kind {
		case iAlign:
			e.p("off += (%d - off%%%d) %% %d", f.align, f.align, f.align)
			e.p("if off > len(b) {")
			e.p("%s", failCode(c, "off"))
			e.p("}")
		case iSwitch:
			e.p("{")
			e.p("n := bits.OnesCount32(uint32(%s.%s))", r, f.mask.name)
			e.p("if len(b)-off < 4*n {")
			e.p("%s", failCode(c, "off+4*n"))
			e.p("}")
			e.p("%s.%s = resize(%s.%s, n)", r, f.name, r, f.name)
			e.p("for i := range %s.%s {", r, f.name)
			e.p("%s.%s[i] = o.U32(b[off+4*i:])", r, f.name)
			e.p("}")
			e.p("off += 4 * n")
			e.p("}")
		case iVarField:
			e.p("{")
			e.p("m, err := %s.%s.Unmarshal(o, b[off:])", r, f.name)
			e.p("if err != nil {")
			e.p("%s", errReturn(c))
			e.p("}")
			e.p("off += m")
			e.p("}")
		case iList:
			e.emitListGet(c, f)
		default:
			fail("%s: variable item %d", c.name, it.kind)
		}
	}
	switch {
	case c.kind == cRequest:
		e.p("if len(b)-off >= 4 {")
		e.p("return &LengthError{Type: %q, Len: len(b), Need: (off + 3) &^ 3}", c.name)
		e.p("}")
		e.p("return nil")
	case c.isMessage():
		e.p("return nil")
	default:
		e.p("return off, nil")
	}
	e.p("}")
	e.p("")
}

func (e *emitter) emitListGet(c *container, f *field) {
	r := c.recv()
	t := f.typ
	dst := r + "." + f.name
	e.p("{")
	if f.len == nil {
		if !t.fixed() {
			fail("%s: implicit list of variable %s", c.name, t.xml)
		}
		if c.kind != cRequest {
			fail("%s: implicit list outside a request", c.name)
		}
		e.p("n := (len(b) - off) / %d", t.size)
		if t.size > 4 {
			e.p("if (len(b)-off)%%%d >= 4 {", t.size)
			e.p("%s", failCode(c, fmt.Sprintf("off+%d*n", t.size)))
			e.p("}")
		}
		if odd := oddList(c, f); odd != nil {
			e.p("if %s.%s {", r, odd.name)
			e.p("if n == 0 {")
			e.p("%s", failCode(c, fmt.Sprintf("off+%d", t.size)))
			e.p("}")
			e.p("n--")
			e.p("}")
		}
	} else {
		e.p("n := %s", exprCode(c, f.len, false))
		min := t.min
		if min == 0 {
			fail("%s: list of zero-size %s", c.name, t.xml)
		}
		e.p("if n < 0 || n > (len(b)-off)/%d {", min)
		e.p("%s", failCode(c, fmt.Sprintf("off+%d*n", min)))
		e.p("}")
	}
	switch {
	case f.array > 0:
		// A constant-length list of variable elements: not in these files.
		fail("%s: array of variable %s", c.name, t.xml)
	case t.byteLike():
		e.p("%s = append(%s[:0], b[off:off+n]...)", dst, dst)
		e.p("off += n")
	case t.kind == kStruct && t.fixed():
		e.p("%s = resize(%s, n)", dst, dst)
		e.p("p := b[off : off+%d*n]", t.size)
		e.p("for i := range %s {", dst)
		e.p("%s[i].get(o, p[%d*i:])", dst, t.size)
		e.p("}")
		e.p("off += %d * n", t.size)
	case t.kind == kStruct:
		e.p("%s = resize(%s, n)", dst, dst)
		e.p("for i := range %s {", dst)
		e.p("m, err := %s[i].Unmarshal(o, b[off:])", dst)
		e.p("if err != nil {")
		e.p("%s", errReturn(c))
		e.p("}")
		e.p("off += m")
		e.p("}")
	case t.kind == kPrim:
		e.p("%s = resize(%s, n)", dst, dst)
		e.p("p := b[off : off+%d*n]", t.size)
		e.p("for i := range %s {", dst)
		e.p("%s", getCode(t, dst+"[i]", fmt.Sprintf("%d*i", t.size)))
		e.p("}")
		e.p("off += %d * n", t.size)
	default:
		fail("%s: list of %s", c.name, t.xml)
	}
	e.p("}")
}

func (e *emitter) emitUnion(c *container) {
	n := c.sizesOnly()
	e.p("// %s is a union: Unmarshal fills every member from the same bytes;", c.name)
	e.p("// Marshal writes the first member and MarshalFormat the member whose")
	e.p("// element size matches format (8, 16 or 32 bits).")
	e.p("type %s struct {", c.name)
	for _, f := range c.fields {
		e.p("%s %s", f.name, goType(c, f))
	}
	e.p("}")
	e.p("")
	e.p("// Marshal appends the %d bytes of the first member.", n)
	e.p("func (s %s) Marshal(o ByteOrder, b []byte) []byte {", c.name)
	e.p("return s.MarshalFormat(o, b, %d)", c.fields[0].typ.size*8)
	e.p("}")
	e.p("")
	e.p("// MarshalFormat appends the %d bytes of the member whose elements have", n)
	e.p("// format bits; any other format writes the first member.")
	e.p("func (s %s) MarshalFormat(o ByteOrder, b []byte, format uint8) []byte {", c.name)
	e.p("b = append(b, make([]byte, %d)...)", n)
	e.p("s.put(o, b[len(b)-%d:], format)", n)
	e.p("return b")
	e.p("}")
	e.p("")
	e.p("func (s *%s) put(o ByteOrder, p []byte, format uint8) {", c.name)
	e.p("switch format {")
	for i, f := range c.fields {
		if i == 0 {
			continue
		}
		e.p("case %d:", f.typ.size*8)
		e.p("for i, v := range s.%s {", f.name)
		e.p("%s", putCode(f.typ, "v", fmt.Sprintf("%d*i", f.typ.size)))
		e.p("}")
	}
	e.p("default:")
	f := c.fields[0]
	e.p("for i, v := range s.%s {", f.name)
	e.p("%s", putCode(f.typ, "v", fmt.Sprintf("%d*i", f.typ.size)))
	e.p("}")
	e.p("}")
	e.p("}")
	e.p("")
	e.p("// Unmarshal fills every member from the first %d bytes of b.", n)
	e.p("func (s *%s) Unmarshal(o ByteOrder, b []byte) (int, error) {", c.name)
	e.p("if len(b) < %d {", n)
	e.p("return 0, &LengthError{Type: %q, Len: len(b), Need: %d}", c.name, n)
	e.p("}")
	e.p("s.get(o, b)")
	e.p("return %d, nil", n)
	e.p("}")
	e.p("")
	e.p("func (s *%s) get(o ByteOrder, p []byte) {", c.name)
	for _, f := range c.fields {
		e.p("for i := range s.%s {", f.name)
		e.p("%s", getCode(f.typ, "s."+f.name+"[i]", fmt.Sprintf("%d*i", f.typ.size)))
		e.p("}")
	}
	e.p("}")
	e.p("")
}

// fixedMessage reports whether c is a request, reply or event of fixed
// size, and its padded size.
func (c *container) fixedMessage(segs [][]item) (int, bool) {
	if len(segs) != 1 || segSize(segs[0]) == 0 {
		return 0, false
	}
	n := segSize(segs[0])
	switch c.kind {
	case cRequest:
		return (n + 3) &^ 3, true
	case cReply:
		return max(32, (n+3)&^3), true
	case cEvent:
		return n, true
	}
	return 0, false
}

func (c *container) hasAlign() bool {
	for _, f := range c.fields {
		if f.kind == fAlign {
			return true
		}
	}
	return false
}

func (c *container) sizesOnly() int {
	s, _ := c.sizes()
	return s
}

// emitType writes the Go type of a container.
func (e *emitter) emitType(c *container) {
	switch {
	case c.copyOf != "":
		e.p("// %s has the same fields as %s.", c.name, c.copyOf)
		e.p("type %s %s", c.name, c.copyOf)
		e.p("")
		return
	case c.kind == cRequest && c.doc != "":
		e.p("// %s is the %s request: %s.", c.name, c.xml, strings.TrimSuffix(c.doc, "."))
	case c.kind == cEvent && c.doc != "":
		e.p("// %s is the %s event: %s.", c.name, c.xml, strings.TrimSuffix(c.doc, "."))
	case c.doc != "":
		e.p("// %s: %s.", c.name, strings.TrimSuffix(c.doc, "."))
	case c.kind == cRequest:
		e.p("// %s is the %s request.", c.name, c.xml)
	case c.kind == cReply:
		e.p("// %s is the reply to %s.", c.name, c.req.name)
	case c.kind == cEvent:
		e.p("// %s is the %s event.", c.name, c.xml)
	default:
		e.p("// %s is the %s structure.", c.name, c.xml)
	}
	e.p("type %s struct {", c.name)
	switch c.kind {
	case cRequest:
		if c.mod.prefix != "" {
			e.p("Major uint8 // major opcode of the extension")
		}
	case cReply:
		e.p("Sequence uint16")
	case cEvent:
		if c.xge {
			e.p("Extension uint8 // major opcode of the extension")
			e.p("Sequence uint16")
			e.p("Length uint32 // 4-byte units beyond the first 32 bytes")
			e.p("EventType uint16")
		} else if !c.noSeq {
			e.p("Sequence uint16")
		}
	}
	for _, f := range c.fields {
		if f.kind == fPad || f.kind == fAlign {
			continue
		}
		comment := ""
		switch {
		case f.lenOf != nil:
			comment = fmt.Sprintf(" // Marshal writes len(%s)", f.lenOf.name)
		case f.kind == fExpr:
			comment = " // Marshal computes it"
		case c.setup && f.xml == "length":
			comment = " // Marshal computes it"
		case f.kind == fSwitch:
			comment = fmt.Sprintf(" // one value per bit of %s, in bit order", f.mask.name)
		case f.kind == fList && f.len == nil:
			comment = " // the rest of the request"
		case f.enum != "":
			comment = " // " + f.enum
		}
		e.p("%s %s%s", f.name, goType(c, f), comment)
	}
	e.p("}")
	e.p("")
}

func (e *emitter) emitContainer(c *container) {
	if c.kind == cUnion {
		e.emitUnion(c)
		return
	}
	e.emitType(c)
	if c.copyOf != "" {
		// A defined type has no methods of its own; forward to the original.
		e.p("// Marshal appends the 32-byte event to b.")
		e.p("func (r %s) Marshal(o ByteOrder, b []byte) []byte {", c.name)
		e.p("start := len(b)")
		e.p("b = %s(r).Marshal(o, b)", c.copyOf)
		e.p("b[start] = %s%s", c.mod.prefix, c.xml)
		e.p("return b")
		e.p("}")
		e.p("")
		e.p("// Unmarshal decodes a 32-byte event.")
		e.p("func (r *%s) Unmarshal(o ByteOrder, b []byte) error {", c.name)
		e.p("return (*%s)(r).Unmarshal(o, b)", c.copyOf)
		e.p("}")
		e.p("")
		return
	}
	e.emitMarshal(c)
	e.emitUnmarshal(c)
}

func exported(names map[string]string, name, what string) {
	if prev, ok := names[name]; ok {
		fail("name %s used by %s and %s", name, prev, what)
	}
	names[name] = what
}

// emitModule writes one Go file for one XML file.
func emitModule(m *module, names map[string]string) []byte {
	var e emitter
	e.p("// Code generated by go run ./gen from %s.xml; DO NOT EDIT.", m.header)
	e.p("")
	e.p("package protocol")
	e.p("")
	if m.header == "xproto" {
		e.p(`import "math/bits"`)
		e.p("")
	}
	if m.prefix != "" {
		e.p("// Extension %s, version %s.%s.", m.xname, m.major, m.minor)
		e.p("const (")
		e.p("%sName = %q", m.prefix, m.xname)
		e.p("%sMajorVersion = %s", m.prefix, m.major)
		e.p("%sMinorVersion = %s", m.prefix, m.minor)
		e.p(")")
		e.p("")
		exported(names, m.prefix+"Name", "extension name")
	}

	// Named integer types.
	for _, t := range m.order {
		if t.kind == kPrim {
			exported(names, t.name, "type "+t.xml)
			e.p("// %s", t.doc)
			e.p("type %s %s", t.name, t.base)
			e.p("")
		}
	}

	// Enums.
	for _, en := range m.enums {
		if en.doc != "" {
			e.p("// %s: %s", en.name, en.doc)
		} else {
			e.p("// %s values.", en.name)
		}
		e.p("const (")
		for _, it := range en.items {
			exported(names, it.name, "enum "+en.xml)
			if it.bit {
				e.p("%s = 1 << %d", it.name, log2(it.value))
			} else {
				e.p("%s = %d", it.name, it.value)
			}
		}
		e.p(")")
		e.p("")
		if m.header == "xproto" && en.xml == "Atom" {
			e.emitAtoms(en)
			exported(names, "PredefinedAtoms", "atom names")
		}
	}

	// Event codes, error codes, opcodes.
	if len(m.events) > 0 {
		e.p("// Event codes.")
		e.p("const (")
		for _, c := range m.events {
			exported(names, m.prefix+c.xml, "event code")
			e.p("%s%s = %d", m.prefix, c.xml, c.number)
		}
		e.p(")")
		e.p("")
	}
	if len(m.errors) > 0 {
		e.p("// Error codes.")
		e.p("const (")
		for _, c := range m.errors {
			exported(names, m.prefix+"Bad"+c.xml, "error code")
			e.p("%sBad%s = %d", m.prefix, c.xml, c.number)
		}
		e.p(")")
		e.p("")
	}
	if len(m.requests) > 0 {
		if m.prefix == "" {
			e.p("// Request opcodes.")
		} else {
			e.p("// Minor opcodes of %s requests.", m.xname)
		}
		e.p("const (")
		for _, c := range m.requests {
			exported(names, "Op"+c.name, "opcode")
			e.p("Op%s = %d", c.name, c.opcode)
		}
		e.p(")")
		e.p("")
	}
	e.emitTables(m, names)

	for _, c := range m.structs {
		exported(names, c.name, "struct")
		e.emitContainer(c)
	}
	for _, c := range m.requests {
		exported(names, c.name, "request")
		e.emitContainer(c)
		if c.reply != nil {
			exported(names, c.reply.name, "reply")
			e.emitContainer(c.reply)
		}
	}
	for _, c := range m.events {
		exported(names, c.name, "event")
		e.emitContainer(c)
	}
	return e.buf.Bytes()
}

func log2(v uint32) int {
	n := 0
	for v > 1 {
		v >>= 1
		n++
	}
	return n
}

func (e *emitter) emitAtoms(en *enum) {
	top := uint32(0)
	for _, it := range en.items {
		top = max(it.value, top)
	}
	e.p("// PredefinedAtoms holds the names of the predefined atoms, indexed by atom;")
	e.p("// index 0 (None) is empty.")
	e.p("var PredefinedAtoms = [%d]string{", top+1)
	for _, it := range en.items {
		if it.value != 0 {
			e.p("%d: %q,", it.value, it.xml)
		}
	}
	e.p("}")
	e.p("")
}

func (e *emitter) emitTables(m *module, names map[string]string) {
	if len(m.requests) > 0 {
		size := 0
		for _, c := range m.requests {
			size = max(size, c.opcode+1)
		}
		name := m.prefix + "RequestNames"
		if m.prefix == "" {
			size = 128
			e.p("// RequestNames holds the names of the core requests, indexed by opcode.")
		} else {
			e.p("// %s holds the names of the %s requests, indexed by minor opcode.", name, m.xname)
		}
		exported(names, name, "table")
		e.p("var %s = [%d]string{", name, size)
		for _, c := range m.requests {
			e.p("%d: %q,", c.opcode, c.xml)
		}
		e.p("}")
		e.p("")
		if m.prefix == "" {
			e.p("// NewRequest returns a new request of the given core opcode, or nil.")
			e.p("func NewRequest(opcode uint8) Request {")
			e.p("switch opcode {")
			for _, c := range m.requests {
				e.p("case Op%s:", c.name)
				e.p("return new(%s)", c.name)
			}
			e.p("}")
			e.p("return nil")
			e.p("}")
			e.p("")
		} else {
			e.p("// New%sRequest returns a new %s request of the given minor opcode, or nil.", m.prefix, m.xname)
			exported(names, "New"+m.prefix+"Request", "func")
			e.p("func New%sRequest(minor uint8) Request {", m.prefix)
			e.p("switch minor {")
			for _, c := range m.requests {
				e.p("case Op%s:", c.name)
				e.p("return new(%s)", c.name)
			}
			e.p("}")
			e.p("return nil")
			e.p("}")
			e.p("")
		}
	}
	if m.prefix == "" && len(m.events) > 0 {
		size := 0
		for _, c := range m.events {
			size = max(size, c.number+1)
		}
		e.p("// EventNames holds the names of the core events, indexed by code.")
		e.p("var EventNames = [%d]string{", size)
		for _, c := range m.events {
			e.p("%d: %q,", c.number, c.xml)
		}
		e.p("}")
		e.p("")
		e.p("// NewEvent returns a new event of the given code (the send-event bit")
		e.p("// cleared), or nil.")
		e.p("func NewEvent(code uint8) Event {")
		e.p("switch code {")
		for _, c := range m.events {
			e.p("case %s:", c.xml)
			e.p("return new(%s)", c.name)
		}
		e.p("}")
		e.p("return nil")
		e.p("}")
		e.p("")
	}
	if m.prefix == "" && len(m.errors) > 0 {
		size := 0
		for _, c := range m.errors {
			size = max(size, c.number+1)
		}
		e.p("// ErrorNames holds the names of the core errors, indexed by code.")
		e.p("var ErrorNames = [%d]string{", size)
		sort.Slice(m.errors, func(i, j int) bool { return m.errors[i].number < m.errors[j].number })
		for _, c := range m.errors {
			e.p("%d: %q,", c.number, "Bad"+c.xml)
		}
		e.p("}")
		e.p("")
	}
}
