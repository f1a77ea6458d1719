// Edit is a text editor: see package netdisplay/clients/app/edit.
//
//	edit [-display :1] [-geometry WxH+X+Y] [--script[=bench]] [--speed N] [--sync] [--seed N]
package main

import (
	"netdisplay/clients/app"
	"netdisplay/clients/app/edit"
)

func main() { app.Main(edit.App) }
