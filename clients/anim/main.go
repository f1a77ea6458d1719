// Anim is a full-window animation: see package netdisplay/clients/app/anim.
//
//	anim [-display :1] [-geometry WxH+X+Y] [--script[=bench]] [--speed N] [--sync] [--seed N]
package main

import (
	"netdisplay/clients/app"
	"netdisplay/clients/app/anim"
)

func main() { app.Main(anim.App) }
