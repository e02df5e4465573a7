package report

import (
	"bytes"
	"fmt"
	"html/template"
)

// ganttSVG draws a ganttView. html/template escapes every text and attribute by context (row
// labels and tooltips come from users) and neutralises URLs with unsafe schemes; the drawing
// uses classes only, no style attribute and no script, so the site's strict CSP holds.
var ganttSVG = template.Must(template.New("gantt").Parse(`<svg xmlns="http://www.w3.org/2000/svg" class="gantt" viewBox="0 0 {{.Width}} {{.Height}}" width="100%" role="img" aria-labelledby="{{.ID}}-title{{if .Desc}} {{.ID}}-desc{{end}}" focusable="false">
<title id="{{.ID}}-title">{{.Title}}</title>
{{- if .Desc}}
<desc id="{{.ID}}-desc">{{.Desc}}</desc>
{{- end}}
{{- if .IsEmpty}}
<text class="empty" x="{{.EmptyX}}" y="{{.EmptyY}}" text-anchor="middle" dominant-baseline="central">{{.Empty}}</text>
{{- else}}
{{- range .Rows}}{{if .Stripe}}
<rect class="stripe" x="0" y="{{.Y}}" width="{{$.Width}}" height="{{.H}}"></rect>
{{- end}}{{end}}
<g class="grid">
{{- range .Ticks}}
<line class="{{if .Major}}major{{else}}minor{{end}}" x1="{{.X}}" x2="{{.X}}" y1="{{$.GridTop}}" y2="{{$.GridBottom}}"></line>
{{- if .Label}}
<text class="tick" x="{{.LabelX}}" y="{{$.TickY}}">{{.Label}}</text>
{{- end}}
{{- end}}
{{- range .Bands}}{{if gt .X $.Left}}
<line class="boundary" x1="{{.X}}" x2="{{.X}}" y1="{{$.BandTop}}" y2="{{$.GridBottom}}"></line>
{{- end}}
<text class="band" x="{{.LabelX}}" y="{{$.BandY}}">{{.Label}}</text>
{{- end}}
</g>
{{- range $row := .Rows}}
<g class="{{.Class}}">
{{- if .URL}}<a href="{{.URL}}">{{end}}
<text class="label" x="{{.LabelX}}" y="{{.TextY}}" dominant-baseline="central">{{if .Full}}<title>{{.Full}}</title>{{end}}{{.Label}}</text>
{{- with .Bar}}
<rect class="bar" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}" rx="2"><title>{{$row.Tip}}</title></rect>
{{- if .ProgressW}}
<rect class="progress" x="{{.X}}" y="{{.Y}}" width="{{.ProgressW}}" height="{{.H}}" rx="2"></rect>
{{- end}}
{{- end}}
{{- if .Diamond}}
<polygon class="milestone" points="{{.Diamond}}"><title>{{.Tip}}</title></polygon>
{{- end}}
{{- if .URL}}</a>{{end}}
</g>
{{- end}}
{{- with .Today}}
<line class="today" x1="{{.X}}" x2="{{.X}}" y1="{{.Y1}}" y2="{{.Y2}}"><title>{{.Tip}}</title></line>
<text class="today-label" x="{{.LabelX}}" y="{{.LabelY}}" text-anchor="middle">{{.Label}}</text>
{{- end}}
{{- end}}
</svg>`))

// Gantt draws a timeline as an SVG element to embed in a page: projects, phases and items as
// indented rows, each with a bar from its first to its last day (a diamond for a milestone),
// coloured by state through CSS classes (docs/report.md lists them), a date grid whose unit
// follows the span, and a line at today. Labels, tooltips and links are escaped. The SVG is
// 960 units wide and scales to its container; its height grows with the rows. The same input
// always gives the same output.
func Gantt(c Chart) (template.HTML, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := ganttSVG.Execute(&b, c.layout()); err != nil {
		return "", fmt.Errorf("gantt %q: %w", c.Title, err)
	}
	return template.HTML(b.String()), nil
}
