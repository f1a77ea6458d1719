// Paint is freehand drawing with the mouse: see package netdisplay/clients/app/paint.
//
//	paint [-display :1] [-geometry WxH+X+Y] [--script[=bench]] [--speed N] [--sync] [--seed N]
package main

import (
	"netdisplay/clients/app"
	"netdisplay/clients/app/paint"
)

func main() { app.Main(paint.App) }
