package font_test

import (
	"fmt"

	"netdisplay/xserver/font"
)

func ExampleOpen() {
	f, err := font.Open("fixed")
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Name)
	fmt.Println(f.Ascent, f.Descent, f.NumChars(), len(f.Props))
	e := f.TextExtents([]uint16{'H', 'i'})
	fmt.Println(e.OverallWidth, e.OverallAscent)
	// Output:
	// -misc-fixed-medium-r-semicondensed--13-120-75-75-c-60-iso8859-1
	// 11 2 256 23
	// 12 9
}

func ExampleList() {
	fmt.Println(font.List("6X1?", 10))
	fmt.Println(font.List("-misc-fixed-bold-r-normal--1?-*-75-75-c-*-iso8859-1", 2))
	// Output:
	// [6x10 6x12 6x13]
	// [-misc-fixed-bold-r-normal--13-120-75-75-c-70-iso8859-1 -misc-fixed-bold-r-normal--13-120-75-75-c-80-iso8859-1]
}
