package bench

import (
	"fmt"
	"strings"
)

// HTML is index.html: the report as a page, with its charts. The web
// viewer serves it (netdisplay bench --serve).
func HTML(r *Report) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>netdisplay bench</title>
<style>
body { font: 14px/1.45 sans-serif; margin: 2em auto; max-width: 1200px; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 12px; }
th, td { border: 1px solid #ccc; padding: 2px 6px; }
th { background: #f3f3f3; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figcaption { color: #666; font-size: 12px; }
code { background: #f3f3f3; padding: 0 3px; }
nav a { margin-right: 1em; }
</style></head><body>
`)
	fmt.Fprintf(&b, "<nav><a href=\"%s\">report.md</a><a href=\"%s\">results.csv</a><a href=\"%s\">results.json</a></nav>\n", ReportMarkdown, ReportCSV, ReportJSON)
	for _, s := range sections(r) {
		if s.title != "" {
			fmt.Fprintf(&b, "<h2>%s</h2>\n", htmlEscape(s.title))
		}
		for _, p := range s.parts {
			b.WriteString(p.html())
		}
	}
	b.WriteString("</body></html>\n")
	return b.String()
}
