package xserver

// The XKB wire messages, for the tests in package xserver_test that talk
// to netdisplay and to Xvfb over real connections.

type (
	XkbUseExtension           = xkbUseExtension
	XkbUseExtensionReply      = xkbUseExtensionReply
	XkbSelectEvents           = xkbSelectEvents
	XkbEventDetails           = xkbEventDetails
	XkbBell                   = xkbBell
	XkbDeviceRequest          = xkbDeviceRequest
	XkbWhichRequest           = xkbWhichRequest
	XkbLatchLockState         = xkbLatchLockState
	XkbSetControls            = xkbSetControls
	XkbGetMap                 = xkbGetMap
	XkbGetCompatMap           = xkbGetCompatMap
	XkbGetNamedIndicator      = xkbGetNamedIndicator
	XkbPerClientFlags         = xkbPerClientFlags
	XkbGetDeviceInfo          = xkbGetDeviceInfo
	XkbGetStateReply          = xkbGetStateReply
	XkbGetControlsReply       = xkbGetControlsReply
	XkbGetMapReply            = xkbGetMapReply
	XkbGetCompatMapReply      = xkbGetCompatMapReply
	XkbGetIndicatorStateReply = xkbGetIndicatorStateReply
	XkbGetIndicatorMapReply   = xkbGetIndicatorMapReply
	XkbGetNamedIndicatorReply = xkbGetNamedIndicatorReply
	XkbGetNamesReply          = xkbGetNamesReply
	XkbPerClientFlagsReply    = xkbPerClientFlagsReply
	XkbGetDeviceInfoReply     = xkbGetDeviceInfoReply
	XkbMapNotifyEvent         = xkbMapNotifyEvent
	XkbStateNotifyEvent       = xkbStateNotifyEvent
	XkbControlsNotifyEvent    = xkbControlsNotifyEvent
	XkbIndicatorNotifyEvent   = xkbIndicatorNotifyEvent
	XkbBellNotifyEvent        = xkbBellNotifyEvent
	XkbGetGeometry            = xkbGetGeometry
	XkbGetGeometryReply       = xkbGetGeometryReply
	XkbListComponents         = xkbListComponents
	XkbListComponentsReply    = xkbListComponentsReply
	XkbIndicatorMap           = xkbIndicatorMap
	XkbAction                 = xkbAction
	XkbSetNamedIndicator      = xkbSetNamedIndicator
	XkbSetIndicatorMap        = xkbSetIndicatorMap
	XkbNamesNotifyEvent       = xkbNamesNotifyEvent
)

const (
	XkbMajor               = xkbMajor
	XkbEventBase           = xkbEventBase
	XkbErrorBase           = xkbErrorBase
	XkbUseCoreKbd          = xkbUseCoreKbd
	XkbGetStateOp          = xkbGetStateOp
	XkbGetControlsOp       = xkbGetControlsOp
	XkbGetIndicatorStateOp = xkbGetIndicatorStateOp
	XkbGetIndicatorMapOp   = xkbGetIndicatorMapOp
	XkbGetNamesOp          = xkbGetNamesOp
	XkbSetMapOp            = xkbSetMapOp

	XkbMapNotify            = xkbMapNotify
	XkbStateNotify          = xkbStateNotify
	XkbControlsNotify       = xkbControlsNotify
	XkbIndicatorStateNotify = xkbIndicatorStateNotify
	XkbBellNotify           = xkbBellNotify
	XkbIndicatorMapNotify   = xkbIndicatorMapNotify
	XkbNamesNotify          = xkbNamesNotify

	XkbKeyTypes        = xkbKeyTypes
	XkbKeySyms         = xkbKeySyms
	XkbModifierMap     = xkbModifierMap
	XkbVirtualMods     = xkbVirtualMods
	XkbVirtualModMap   = xkbVirtualModMap
	XkbAllMapParts     = xkbAllMapParts
	XkbModifierLock    = xkbModifierLock
	XkbModifierLatch   = xkbModifierLatch
	XkbRepeatKeys      = xkbRepeatKeys
	XkbSlowKeys        = xkbSlowKeys
	XkbAllNames        = xkbAllNames
	XkbKeyTypeNames    = xkbKeyTypeNames
	XkbKTLevelNames    = xkbKTLevelNames
	XkbIndicatorNames  = xkbIndicatorNames
	XkbKeyNames        = xkbKeyNames
	XkbVirtualModNames = xkbVirtualModNames
	XkbGroupNames      = xkbGroupNames
)
