package bench

import (
	"encoding/csv"
	"fmt"
	"strings"
)

// csvHeader names the columns of results.csv, one row per run.
var csvHeader = []string{
	"workload", "mode", "link", "rtt_ms", "rate_mbit", "error", "settled", "seconds",
	"to_display_bytes", "from_display_bytes", "raw_to_display_bytes", "raw_from_display_bytes",
	"indep_to_display_bytes", "indep_from_display_bytes", "setup_bytes",
	"messages_to_display", "messages_from_display",
	"x_requests", "x_replies", "x_events", "x_errors", "rfb_updates", "rfb_update_requests", "rfb_input",
	"mean_bytes_per_s", "peak_bytes_per_s",
	"latency_n", "latency_lost", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms", "latency_mean_ms",
	"frames_produced", "frames_shown",
	"cpu_app_s", "cpu_server_s", "cpu_display_s",
	"frame", "frame_diff_pixels", "frame_max_delta", "frame_mean_delta",
}

// CSV is results.csv: every run, every measure.
func CSV(r *Report) string {
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(csvHeader)
	for _, x := range r.Results {
		up, down := x.MsgToDisplay, x.MsgFromDisplay
		all := up.plus(down)
		w.Write([]string{
			x.Workload, x.Mode, x.Link, f(x.RTTms), f(x.RateMbit), x.Error, fmt.Sprint(x.Settled), f(x.Seconds),
			d(x.ToDisplay), d(x.FromDisplay), d(x.RawToDisplay), d(x.RawFromDisplay),
			d(x.IndepToDisplay), d(x.IndepFromDisplay), d(x.SetupBytes),
			d(up.Total()), d(down.Total()),
			d(all.Requests), d(all.Replies), d(all.Events), d(all.Errors), d(all.Updates), d(all.UpdateRequests), d(all.Input),
			f(x.MeanBps), f(x.PeakBps),
			fmt.Sprint(x.Latency.N), fmt.Sprint(x.Latency.Lost), f(x.Latency.P50), f(x.Latency.P95), f(x.Latency.P99), f(x.Latency.Mean),
			fmt.Sprint(x.FramesProduced), fmt.Sprint(x.FramesShown),
			f(x.CPUApp), f(x.CPUServer), f(x.CPUDisplay),
			x.Frame, fmt.Sprint(x.FrameDiff), fmt.Sprint(x.FrameMaxΔ), f(x.FrameMeanΔ),
		})
	}
	w.Flush()
	return b.String()
}

func f(v float64) string { return fmt.Sprintf("%.3f", v) }
func d(v int64) string   { return fmt.Sprint(v) }
