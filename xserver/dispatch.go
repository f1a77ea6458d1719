package xserver

import (
	"errors"
	"fmt"

	"netdisplay/protocol"
)

// Major opcodes of the extensions. X servers number extensions from 128 in
// the order they initialise them; these are ours.
const (
	bigReqMajor = 128
	xtestMajor  = 129
	xkbMajor    = 130
)

// An extension's numbers, as QueryExtension reports them.
type extension struct {
	name       string
	major      uint8
	firstEvent uint8
	firstError uint8
}

// extensions are what QueryExtension and ListExtensions report; they must
// agree (python3-xlib fails when they do not).
var extensions = []extension{
	{name: protocol.BigReqName, major: bigReqMajor},
	{name: protocol.XTestName, major: xtestMajor},
}

// maxRequestWords is the longest request BIG-REQUESTS allows, in 4-byte
// units: Limits.RequestBytes.
func (s *Server) maxRequestWords() uint32 { return uint32(s.cfg.Limits.RequestBytes / 4) }

type handler func(c *client, b []byte) error

// handlers maps core major opcodes to their requests.
var handlers [128]handler

func init() {
	h := map[uint8]handler{
		protocol.OpCreateWindow:            (*client).createWindow,
		protocol.OpChangeWindowAttributes:  (*client).changeWindowAttributes,
		protocol.OpGetWindowAttributes:     (*client).getWindowAttributes,
		protocol.OpDestroyWindow:           (*client).destroyWindow,
		protocol.OpDestroySubwindows:       (*client).destroySubwindows,
		protocol.OpChangeSaveSet:           (*client).changeSaveSet,
		protocol.OpReparentWindow:          (*client).reparentWindow,
		protocol.OpMapWindow:               (*client).mapWindow,
		protocol.OpMapSubwindows:           (*client).mapSubwindows,
		protocol.OpUnmapWindow:             (*client).unmapWindow,
		protocol.OpUnmapSubwindows:         (*client).unmapSubwindows,
		protocol.OpConfigureWindow:         (*client).configureWindow,
		protocol.OpCirculateWindow:         (*client).circulateWindow,
		protocol.OpGetGeometry:             (*client).getGeometry,
		protocol.OpQueryTree:               (*client).queryTree,
		protocol.OpInternAtom:              (*client).internAtom,
		protocol.OpGetAtomName:             (*client).getAtomName,
		protocol.OpChangeProperty:          (*client).changeProperty,
		protocol.OpDeleteProperty:          (*client).deleteProperty,
		protocol.OpGetProperty:             (*client).getProperty,
		protocol.OpListProperties:          (*client).listProperties,
		protocol.OpSetSelectionOwner:       (*client).setSelectionOwner,
		protocol.OpGetSelectionOwner:       (*client).getSelectionOwner,
		protocol.OpConvertSelection:        (*client).convertSelection,
		protocol.OpSendEvent:               (*client).sendEvent,
		protocol.OpGrabPointer:             (*client).grabPointer,
		protocol.OpUngrabPointer:           (*client).ungrabPointer,
		protocol.OpGrabButton:              (*client).grabButton,
		protocol.OpUngrabButton:            (*client).ungrabButton,
		protocol.OpChangeActivePointerGrab: (*client).changeActivePointerGrab,
		protocol.OpGrabKeyboard:            (*client).grabKeyboard,
		protocol.OpUngrabKeyboard:          (*client).ungrabKeyboard,
		protocol.OpGrabKey:                 (*client).grabKey,
		protocol.OpUngrabKey:               (*client).ungrabKey,
		protocol.OpAllowEvents:             (*client).allowEvents,
		protocol.OpGrabServer:              (*client).grabServer,
		protocol.OpUngrabServer:            (*client).ungrabServer,
		protocol.OpQueryPointer:            (*client).queryPointer,
		protocol.OpGetMotionEvents:         (*client).getMotionEvents,
		protocol.OpTranslateCoordinates:    (*client).translateCoordinates,
		protocol.OpWarpPointer:             (*client).warpPointer,
		protocol.OpSetInputFocus:           (*client).setInputFocus,
		protocol.OpGetInputFocus:           (*client).getInputFocus,
		protocol.OpQueryKeymap:             (*client).queryKeymap,
		protocol.OpOpenFont:                (*client).openFont,
		protocol.OpCloseFont:               (*client).closeFont,
		protocol.OpQueryFont:               (*client).queryFont,
		protocol.OpQueryTextExtents:        (*client).queryTextExtents,
		protocol.OpListFonts:               (*client).listFonts,
		protocol.OpListFontsWithInfo:       (*client).listFontsWithInfo,
		protocol.OpSetFontPath:             (*client).setFontPath,
		protocol.OpGetFontPath:             (*client).getFontPath,
		protocol.OpCreatePixmap:            (*client).createPixmap,
		protocol.OpFreePixmap:              (*client).freePixmap,
		protocol.OpCreateGC:                (*client).createGC,
		protocol.OpChangeGC:                (*client).changeGC,
		protocol.OpCopyGC:                  (*client).copyGC,
		protocol.OpSetDashes:               (*client).setDashes,
		protocol.OpSetClipRectangles:       (*client).setClipRectangles,
		protocol.OpFreeGC:                  (*client).freeGC,
		protocol.OpClearArea:               (*client).clearArea,
		protocol.OpCopyArea:                (*client).copyArea,
		protocol.OpCopyPlane:               (*client).copyPlane,
		protocol.OpPolyPoint:               (*client).polyPoint,
		protocol.OpPolyLine:                (*client).polyLine,
		protocol.OpPolySegment:             (*client).polySegment,
		protocol.OpPolyRectangle:           (*client).polyRectangle,
		protocol.OpPolyArc:                 (*client).polyArc,
		protocol.OpFillPoly:                (*client).fillPoly,
		protocol.OpPolyFillRectangle:       (*client).polyFillRectangle,
		protocol.OpPolyFillArc:             (*client).polyFillArc,
		protocol.OpPutImage:                (*client).putImage,
		protocol.OpGetImage:                (*client).getImage,
		protocol.OpPolyText8:               (*client).polyText8,
		protocol.OpPolyText16:              (*client).polyText16,
		protocol.OpImageText8:              (*client).imageText8,
		protocol.OpImageText16:             (*client).imageText16,
		protocol.OpCreateColormap:          (*client).createColormap,
		protocol.OpFreeColormap:            (*client).freeColormap,
		protocol.OpCopyColormapAndFree:     (*client).copyColormapAndFree,
		protocol.OpInstallColormap:         (*client).installColormap,
		protocol.OpUninstallColormap:       (*client).uninstallColormap,
		protocol.OpListInstalledColormaps:  (*client).listInstalledColormaps,
		protocol.OpAllocColor:              (*client).allocColor,
		protocol.OpAllocNamedColor:         (*client).allocNamedColor,
		protocol.OpAllocColorCells:         func(c *client, b []byte) error { return c.writeColormap(b, 4, errAlloc) },
		protocol.OpAllocColorPlanes:        func(c *client, b []byte) error { return c.writeColormap(b, 4, errAlloc) },
		protocol.OpFreeColors:              (*client).freeColors,
		protocol.OpStoreColors:             func(c *client, b []byte) error { return c.writeColormap(b, 4, errAccess) },
		protocol.OpStoreNamedColor:         func(c *client, b []byte) error { return c.writeColormap(b, 4, errAccess) },
		protocol.OpQueryColors:             (*client).queryColors,
		protocol.OpLookupColor:             (*client).lookupColor,
		protocol.OpCreateCursor:            (*client).createCursor,
		protocol.OpCreateGlyphCursor:       (*client).createGlyphCursor,
		protocol.OpFreeCursor:              (*client).freeCursor,
		protocol.OpRecolorCursor:           (*client).recolorCursor,
		protocol.OpQueryBestSize:           (*client).queryBestSize,
		protocol.OpQueryExtension:          (*client).queryExtension,
		protocol.OpListExtensions:          (*client).listExtensions,
		protocol.OpChangeKeyboardMapping:   (*client).changeKeyboardMapping,
		protocol.OpGetKeyboardMapping:      (*client).getKeyboardMapping,
		protocol.OpChangeKeyboardControl:   (*client).changeKeyboardControl,
		protocol.OpGetKeyboardControl:      (*client).getKeyboardControl,
		protocol.OpBell:                    (*client).bell,
		protocol.OpChangePointerControl:    (*client).changePointerControl,
		protocol.OpGetPointerControl:       (*client).getPointerControl,
		protocol.OpSetScreenSaver:          (*client).setScreenSaver,
		protocol.OpGetScreenSaver:          (*client).getScreenSaver,
		protocol.OpChangeHosts:             (*client).changeHosts,
		protocol.OpListHosts:               (*client).listHosts,
		protocol.OpSetAccessControl:        (*client).setAccessControl,
		protocol.OpSetCloseDownMode:        (*client).setCloseDownMode,
		protocol.OpKillClient:              (*client).killClient,
		protocol.OpRotateProperties:        (*client).rotateProperties,
		protocol.OpForceScreenSaver:        (*client).forceScreenSaver,
		protocol.OpSetPointerMapping:       (*client).setPointerMapping,
		protocol.OpGetPointerMapping:       (*client).getPointerMapping,
		protocol.OpSetModifierMapping:      (*client).setModifierMapping,
		protocol.OpGetModifierMapping:      (*client).getModifierMapping,
		protocol.OpNoOperation:             func(*client, []byte) error { return nil },
	}
	for op, f := range h {
		handlers[op] = f
	}
}

// dispatch runs one request. b is the whole request, header first.
func (c *client) dispatch(b []byte) {
	major := b[0]
	var minor uint8
	var err error
	switch {
	case major < 128 && handlers[major] != nil:
		err = handlers[major](c, b)
	case major == bigReqMajor:
		minor = b[1]
		err = c.bigReqRequest(b)
	case major == xtestMajor:
		minor = b[1]
		err = c.xtestRequest(b)
	case major == xkbMajor && xkbEnabled:
		minor = b[1]
		err = c.xkbRequest(b)
	case major < 128 && protocol.RequestNames[major] != "":
		err = errImplementation // a core request this server lacks
	default:
		err = xerr(protocol.BadRequest, 0)
	}
	if err == nil {
		return
	}
	var xe *protocol.Error
	if !errors.As(err, &xe) {
		xe = &protocol.Error{Code: protocol.BadImplementation}
	}
	e := *xe
	e.MajorOpcode = major
	e.MinorOpcode = uint16(minor)
	c.sendError(&e)
}

// sendError queues an error for the current request.
func (c *client) sendError(e *protocol.Error) {
	e.Sequence = c.seq
	c.markDirty()
	c.out = e.Marshal(c.order, c.out)
}

// reply queues a reply to the current request.
func (c *client) reply(r protocol.Reply) {
	c.markDirty()
	c.out = r.Marshal(c.order, c.out)
}

func (c *client) queryExtension(b []byte) error {
	var r protocol.QueryExtension
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	rep := &protocol.QueryExtensionReply{Sequence: c.seq}
	for _, e := range extensions {
		if string(r.Name) == e.name {
			rep.Present, rep.MajorOpcode = true, e.major
			rep.FirstEvent, rep.FirstError = e.firstEvent, e.firstError
		}
	}
	c.reply(rep)
	return nil
}

func (c *client) listExtensions(b []byte) error {
	names := make([]protocol.Str, len(extensions))
	for i, e := range extensions {
		names[i] = protocol.Str{Name: []byte(e.name)}
	}
	c.reply(&protocol.ListExtensionsReply{Sequence: c.seq, Names: names})
	return nil
}

func (c *client) bigReqRequest(b []byte) error {
	if b[1] != protocol.OpBigReqEnable {
		return xerr(protocol.BadRequest, 0)
	}
	var r protocol.BigReqEnable
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	c.bigRequests = true
	c.reply(&protocol.BigReqEnableReply{Sequence: c.seq, MaximumRequestLength: c.s.maxRequestWords()})
	return nil
}

// xtestRequest runs the XTEST extension's requests, which let clients
// such as xdotool inject input.
func (c *client) xtestRequest(b []byte) error {
	s := c.s
	switch b[1] {
	case protocol.OpXTestGetVersion:
		var r protocol.XTestGetVersion
		if err := r.Unmarshal(c.order, b); err != nil {
			return errLength
		}
		c.reply(&protocol.XTestGetVersionReply{Sequence: c.seq, MajorVersion: 2, MinorVersion: 2})
	case protocol.OpXTestCompareCursor:
		var r protocol.XTestCompareCursor
		if err := r.Unmarshal(c.order, b); err != nil {
			return errLength
		}
		w, err := c.window(uint32(r.Window))
		if err != nil {
			return err
		}
		var want *cursor
		switch uint32(r.Cursor) {
		case 0: // None: the window has no cursor of its own
		case 1: // CurrentCursor
			want = s.input.cursor
		default:
			if want, err = c.cursor(uint32(r.Cursor)); err != nil {
				return err
			}
		}
		c.reply(&protocol.XTestCompareCursorReply{Sequence: c.seq, Same: w.cursor == want})
	case protocol.OpXTestFakeInput:
		var r protocol.XTestFakeInput
		if err := r.Unmarshal(c.order, b); err != nil {
			return errLength
		}
		in := &s.input
		switch r.Type {
		case protocol.KeyPress, protocol.KeyRelease:
			if r.Detail < minKeycode {
				return badValue(uint32(r.Detail))
			}
			in.key(r.Detail, r.Type == protocol.KeyPress)
		case protocol.ButtonPress, protocol.ButtonRelease:
			if r.Detail == 0 {
				return badValue(0)
			}
			in.button(int(r.Detail), r.Type == protocol.ButtonPress)
		case protocol.MotionNotify:
			x, y := int(r.RootX), int(r.RootY)
			if r.Detail != 0 { // relative
				x, y = in.pos.X+x, in.pos.Y+y
			} else if r.Root != 0 && uint32(r.Root) != rootID {
				if _, err := c.window(uint32(r.Root)); err != nil {
					return err
				}
			}
			in.motion(x, y)
		default:
			return badValue(uint32(r.Type))
		}
	case protocol.OpXTestGrabControl:
		var r protocol.XTestGrabControl
		if err := r.Unmarshal(c.order, b); err != nil {
			return errLength
		}
		// Server grabs never block XTEST clients here: the injected
		// input is processed by the grabbing client's rules anyway.
	default:
		return xerr(protocol.BadRequest, 0)
	}
	return nil
}

// --- requests about the server and its clients ---------------------------

func (c *client) setScreenSaver(b []byte) error {
	var r protocol.SetScreenSaver
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if r.Timeout < -1 || r.Interval < -1 || r.PreferBlanking > 2 || r.AllowExposures > 2 {
		return badValue(0)
	}
	ss := &c.s.saver
	if r.Timeout == -1 {
		ss.timeout = 600
	} else {
		ss.timeout = int(r.Timeout)
	}
	if r.Interval == -1 {
		ss.interval = 600
	} else {
		ss.interval = int(r.Interval)
	}
	if r.PreferBlanking != 2 {
		ss.blanking = r.PreferBlanking
	}
	if r.AllowExposures != 2 {
		ss.exposures = r.AllowExposures
	}
	return nil
}

func (c *client) getScreenSaver(b []byte) error {
	ss := c.s.saver
	c.reply(&protocol.GetScreenSaverReply{Sequence: c.seq, Timeout: uint16(ss.timeout), Interval: uint16(ss.interval), PreferBlanking: ss.blanking, AllowExposures: ss.exposures})
	return nil
}

func (c *client) forceScreenSaver(b []byte) error {
	var r protocol.ForceScreenSaver
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if r.Mode > 1 {
		return badValue(uint32(r.Mode))
	}
	return nil // a virtual screen has nothing to save
}

func (c *client) changeHosts(b []byte) error {
	// Access is by socket and cookie; the host list cannot be changed.
	return errAccess
}

func (c *client) listHosts(b []byte) error {
	c.reply(&protocol.ListHostsReply{Sequence: c.seq, Mode: 1})
	return nil
}

func (c *client) setAccessControl(b []byte) error {
	return errAccess
}

func (c *client) setCloseDownMode(b []byte) error {
	var r protocol.SetCloseDownMode
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	if r.Mode > 2 {
		return badValue(uint32(r.Mode))
	}
	c.closeDown = r.Mode
	return nil
}

func (c *client) killClient(b []byte) error {
	var r protocol.KillClient
	if err := r.Unmarshal(c.order, b); err != nil {
		return errLength
	}
	s := c.s
	id := r.Resource
	if id == 0 { // AllTemporary: free what clients left behind
		s.freeRetained()
		return nil
	}
	if _, ok := s.resources[id]; !ok || owner(id) == 0 {
		return badValue(id)
	}
	i := owner(id)
	if k := s.clients[i]; k != nil {
		k.conn.Close()
		if k == c {
			c.gone = true
		}
		return nil
	}
	s.freeClientResources(i)
	return nil
}

// requestName names a major opcode, for logs.
func requestName(op uint8) string {
	if op < 128 && protocol.RequestNames[op] != "" {
		return protocol.RequestNames[op]
	}
	for _, e := range extensions {
		if e.major == op {
			return e.name
		}
	}
	return fmt.Sprintf("opcode %d", op)
}
