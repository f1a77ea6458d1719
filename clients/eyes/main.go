// Eyes draws eyes that follow the pointer: see package netdisplay/clients/app/eyes.
//
//	eyes [-display :1] [-geometry WxH+X+Y] [--script[=bench]] [--speed N] [--sync] [--seed N]
package main

import (
	"netdisplay/clients/app"
	"netdisplay/clients/app/eyes"
)

func main() { app.Main(eyes.App) }
