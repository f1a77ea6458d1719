package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"time"

	"netdisplay/internal/soak"
)

func init() {
	register("soak", "load a display with X clients and viewers, and check it gives everything back", runSoak)
}

func runSoak(args []string) error {
	fs := flag.NewFlagSet("soak", flag.ExitOnError)
	var cfg soak.Config
	fs.IntVar(&cfg.Clients, "clients", 100, "X clients drawing at once")
	fs.IntVar(&cfg.Viewers, "viewers", 20, "viewers watching at once, half over RFB, half over the browser's WebSocket")
	fs.DurationVar(&cfg.Duration, "duration", 60*time.Second, "how long the load lasts")
	fs.Parse(args)
	cfg.Logf = log.Printf
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := soak.Run(ctx, cfg)
	if err != nil {
		return err
	}
	fmt.Println(rep)
	bad := len(rep.ClientErrors) + len(rep.ViewerErrors)
	for _, e := range append(rep.ClientErrors, rep.ViewerErrors...) {
		fmt.Println("error:", e)
	}
	if rep.GoroutinesAfter > rep.GoroutinesBefore || rep.HeapAfter > rep.HeapBefore+8<<20 || bad > 0 {
		return fmt.Errorf("the display did not give back what it took, or something failed")
	}
	return nil
}
