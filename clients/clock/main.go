// Clock is an analog clock with a second hand: see package
// netdisplay/clients/app/clock.
//
//	clock [-display :1] [-geometry 220x250+0+0] [--script[=bench]] [--speed N] [--sync]
package main

import (
	"netdisplay/clients/app"
	"netdisplay/clients/app/clock"
)

func main() { app.Main(clock.App) }
