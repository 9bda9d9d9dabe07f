package certificate

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"strconv"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// quietZone is the blank margin a QR code needs around it, in modules: the
// four the standard asks for. Less and phone cameras start to miss it.
const quietZone = 4

// qrCode is an encoded QR code: which of its size×size modules are dark,
// without the quiet zone.
type qrCode struct {
	size int
	dark []bool // row by row
}

// encodeQR encodes url at error correction level Q (a quarter of the code can
// be lost): a printed certificate gets folded, stained and photocopied, and a
// short URL stays a small code even so.
func encodeQR(url string) (qrCode, error) {
	bc, err := qr.Encode(url, qr.Q, qr.Auto)
	if err != nil {
		return qrCode{}, fmt.Errorf("qr code: %w", err)
	}
	// The unscaled barcode has one pixel per module.
	b := bc.Bounds()
	c := qrCode{size: b.Dx(), dark: make([]bool, 0, b.Dx()*b.Dy())}
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c.dark = append(c.dark, color.GrayModel.Convert(bc.At(x, y)).(color.Gray).Y < 128)
		}
	}
	return c, nil
}

// run is a horizontal stretch of dark modules: w modules from (x, y).
type run struct{ x, y, w int }

// runs returns the dark modules as horizontal runs, so that a drawing needs a
// few hundred rectangles rather than one per module.
func (c qrCode) runs() []run {
	var rs []run
	for y := range c.size {
		row := c.dark[y*c.size : (y+1)*c.size]
		for x := 0; x < c.size; {
			if !row[x] {
				x++
				continue
			}
			start := x
			for x < c.size && row[x] {
				x++
			}
			rs = append(rs, run{x: start, y: y, w: x - start})
		}
	}
	return rs
}

// svgTemplate draws the code in module units; html/template escapes the URL
// in the label. One path of unit-high runs keeps the file small, and
// crispEdges keeps a scaled-down code from blurring into grey.
var svgTemplate = template.Must(template.New("qr").Parse(
	`<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="QR code linking to {{.URL}}" viewBox="0 0 {{.Side}} {{.Side}}" shape-rendering="crispEdges">` +
		`<rect width="{{.Side}}" height="{{.Side}}" fill="#fff"/>` +
		`<path fill="#000" d="{{.Path}}"/></svg>`))

// QRSVG returns an inline SVG of a QR code for url, black on white with its
// quiet zone, for the HTML certificate page. It has no width or height of its
// own: CSS sizes it through its viewBox.
func QRSVG(url string) (template.HTML, error) {
	c, err := encodeQR(url)
	if err != nil {
		return "", err
	}
	var path strings.Builder
	for _, r := range c.runs() {
		path.WriteString("M" + strconv.Itoa(r.x+quietZone) + " " + strconv.Itoa(r.y+quietZone) +
			"h" + strconv.Itoa(r.w) + "v1h-" + strconv.Itoa(r.w) + "z")
	}
	var buf bytes.Buffer
	err = svgTemplate.Execute(&buf, struct {
		URL  string
		Side int
		Path string
	}{url, c.size + 2*quietZone, path.String()})
	if err != nil {
		return "", fmt.Errorf("qr svg: %w", err)
	}
	return template.HTML(buf.String()), nil
}
