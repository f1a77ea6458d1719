// Slideshow shows pictures with PutImage: see package netdisplay/clients/app/slideshow.
//
//	slideshow [-display :1] [-geometry WxH+X+Y] [--script[=bench]] [--speed N] [--sync] [--seed N]
package main

import (
	"netdisplay/clients/app"
	"netdisplay/clients/app/slideshow"
)

func main() { app.Main(slideshow.App) }
