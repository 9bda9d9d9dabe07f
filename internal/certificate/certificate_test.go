package certificate_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"northstar/internal/certificate"
)

const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// TestNewCode: codes are CodeLen base32 characters, never repeat, and every
// position takes every character, so all 60 bits are really random.
func TestNewCode(t *testing.T) {
	const n = 10000
	seen := make(map[string]bool, n)
	var used [certificate.CodeLen]map[rune]bool
	for i := range used {
		used[i] = make(map[rune]bool)
	}
	for range n {
		code, err := certificate.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != certificate.CodeLen {
			t.Fatalf("NewCode() = %q, %d characters, want %d", code, len(code), certificate.CodeLen)
		}
		for i, r := range code {
			if !strings.ContainsRune(alphabet, r) {
				t.Fatalf("NewCode() = %q: %q is not base32", code, r)
			}
			used[i][r] = true
		}
		if seen[code] {
			t.Fatalf("NewCode() returned %q twice in %d codes", code, n)
		}
		seen[code] = true
	}
	// Each character is expected about 312 times in each position: one
	// missing means a position carries fewer than 5 random bits.
	for i, chars := range used {
		if len(chars) != len(alphabet) {
			t.Errorf("position %d took %d of the %d characters in %d codes", i, len(chars), len(alphabet), n)
		}
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		wantOK bool
	}{
		{"ABCDEFGHJKLM", "ABCDEFGHJKLM", true},
		{"ABCD-EFGH-JKLM", "ABCDEFGHJKLM", true},
		{"abcd-efgh-jklm", "ABCDEFGHJKLM", true},
		{"  AbCd EfGh JkLm\n", "ABCDEFGHJKLM", true},
		{"ab cd-ef gh--jk lm", "ABCDEFGHJKLM", true},
		{"QRST-UVWX-2345", "QRSTUVWX2345", true},
		{"ZZZZ\tYYYY 6677", "ZZZZYYYY6677", true},
		{"", "", false},
		{"----", "", false},
		{"ABCDEFGHJKL", "", false},   // 11
		{"ABCDEFGHJKLMN", "", false}, // 13
		{"ABCD-EFGH-JKL", "", false},
		{"ABCDEFGHJKL0", "", false}, // 0, 1, 8, 9 are not base32
		{"ABCDEFGHJKL1", "", false},
		{"ABCDEFGHJKL8", "", false},
		{"ABCDEFGHJKL9", "", false},
		{"ABCDEFGHJKL=", "", false},
		{"ABCD_EFGH_JKLM", "", false},
		{"ABCD.EFGH.JKLM", "", false},
		{"ABCDEFGHJKLſ", "", false}, // long s: strings.ToUpper makes it "S"
		{"ABCDEFGHJKLı", "", false}, // dotless i: strings.ToUpper makes it "I"
		{"ABCDEFGHJKLÉ", "", false},
	}
	for _, tt := range tests {
		got, ok := certificate.ParseCode(tt.in)
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("ParseCode(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ABCDEFGHJKLM", "ABCD-EFGH-JKLM"},
		{"QRSTUVWX2345", "QRST-UVWX-2345"},
		// Not codes: left alone rather than dressed up as one.
		{"", ""},
		{"ABCDEFGHJKL", "ABCDEFGHJKL"},
		{"abcdefghjklm", "abcdefghjklm"},
		{"ABCD-EFGH-JKLM", "ABCD-EFGH-JKLM"},
	}
	for _, tt := range tests {
		if got := certificate.Format(tt.in); got != tt.want {
			t.Errorf("Format(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	for range 100 {
		code, err := certificate.NewCode()
		if err != nil {
			t.Fatal(err)
		}
		shown := certificate.Format(code)
		if !regexp.MustCompile(`^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$`).MatchString(shown) {
			t.Fatalf("Format(%q) = %q, want 4-4-4", code, shown)
		}
		for _, typed := range []string{shown, strings.ToLower(shown), strings.ReplaceAll(shown, "-", " ")} {
			if got, ok := certificate.ParseCode(typed); !ok || got != code {
				t.Errorf("ParseCode(%q) = %q, %v; want %q, true", typed, got, ok, code)
			}
		}
	}
}

// needTool returns the path of a command-line tool the test runs. Without it
// the test skips on a workstation but fails in CI, where it must run.
func needTool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is needed in CI (Debian package poppler-utils): %v", name, err)
	}
	t.Skipf("%s not found; install poppler-utils to run this test: %v", name, err)
	return ""
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(needTool(t, name), args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return string(out)
}

func sampleData(name string) certificate.Data {
	return certificate.Data{
		Name:       name,
		Module:     "Recognizing labor trafficking in hospitality work",
		Passed:     time.Date(2025, time.March, 4, 15, 30, 0, 0, time.UTC),
		ValidUntil: time.Date(2026, time.March, 4, 15, 30, 0, 0, time.UTC),
		Code:       "QRSTUVWX2345",
		URL:        "https://example.gov/certificates/QRSTUVWX2345",
		Issuer:     "City of Minneapolis — Northstar staff training",
	}
}

// writePDF writes d's certificate into a temporary directory.
func writePDF(t *testing.T, d certificate.Data) string {
	t.Helper()
	var buf bytes.Buffer
	if err := certificate.WritePDF(&buf, d); err != nil {
		t.Fatalf("WritePDF: %v", err)
	}
	path := filepath.Join(t.TempDir(), "certificate.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestWritePDFText reads the certificate back with poppler's pdftotext: the
// name comes back exactly, so the font is embedded with a working ToUnicode
// map, and the page is one landscape Letter page.
func TestWritePDFText(t *testing.T) {
	names := []struct{ typed, shown string }{
		{"Nguyễn Thị Hoa", "Nguyễn Thị Hoa"},
		{"Xiong Pa Nhia", "Xiong Pa Nhia"},
		{"Cabdi Maxamed", "Cabdi Maxamed"},
		{"José Núñez", "José Núñez"},
		{"Łucja Żółć-O'Brien", "Łucja Żółć-O'Brien"},
		{"Ольга Смирнова", "Ольга Смирнова"},
		// Ge'ez script (Amharic, Tigrinya): set in Noto Sans Ethiopic.
		{"አበበ ቢቂላ", "አበበ ቢቂላ"},
		{"ለተብርሃን ገብረ-ሥላሴ", "ለተብርሃን ገብረ-ሥላሴ"},
		// Typed with combining accents, shown precomposed.
		{"Jose\u0301 Nu\u0301n\u0303ez", "José Núñez"},
		// A long name is set smaller rather than run off the page.
		{"María de los Ángeles Guadalupe Fernández-Castellanos y Rodríguez", "María de los Ángeles Guadalupe Fernández-Castellanos y Rodríguez"},
	}
	for _, name := range names {
		t.Run(name.shown, func(t *testing.T) {
			d := sampleData(name.typed)
			path := writePDF(t, d)
			text := run(t, "pdftotext", "-enc", "UTF-8", path, "-")
			for _, want := range []string{
				"Certificate of completion",
				name.shown,
				d.Module,
				"Passed March 4, 2025",
				"Valid until March 4, 2026",
				"QRST-UVWX-2345",
				d.URL,
				d.Issuer,
			} {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext output lacks %q:\n%s", want, text)
				}
			}
			info := run(t, "pdfinfo", path)
			for _, want := range []string{"Pages:           1\n", "Page size:       792 x 612 pts (letter)\n"} {
				if !strings.Contains(info, want) {
					t.Errorf("pdfinfo output lacks %q:\n%s", want, info)
				}
			}
		})
	}
}

func TestWritePDFNoValidUntil(t *testing.T) {
	d := sampleData("Cabdi Maxamed")
	d.ValidUntil = time.Time{}
	text := run(t, "pdftotext", "-enc", "UTF-8", writePDF(t, d), "-")
	if strings.Contains(text, "Valid until") {
		t.Errorf("a certificate without expiry shows %q:\n%s", "Valid until", text)
	}
}

func TestWritePDFRefuses(t *testing.T) {
	tests := []struct {
		name   string
		change func(*certificate.Data)
	}{
		{"no name", func(d *certificate.Data) { d.Name = "" }},
		{"no module", func(d *certificate.Data) { d.Module = "" }},
		{"no pass date", func(d *certificate.Data) { d.Passed = time.Time{} }},
		{"no url", func(d *certificate.Data) { d.URL = "" }},
		{"formatted code", func(d *certificate.Data) { d.Code = "QRST-UVWX-2345" }},
		{"short code", func(d *certificate.Data) { d.Code = "QRSTUVWX234" }},
	}
	for _, tt := range tests {
		d := sampleData("Xiong Pa Nhia")
		tt.change(&d)
		var buf bytes.Buffer
		if err := certificate.WritePDF(&buf, d); err == nil {
			t.Errorf("%s: WritePDF succeeded", tt.name)
		}
	}
}

// TestWritePDFMissingGlyphs: a name the font cannot draw is refused, rather
// than printed as empty boxes that pdftotext would still read back.
func TestWritePDFMissingGlyphs(t *testing.T) {
	// Chinese; Latin and Ge'ez in one name (no embedded font has both); a
	// line break.
	for _, name := range []string{"王秀英", "Abebe አበበ", "Hoa\nNguyễn", "Zoë 😀 Example", "😀"} {
		var buf bytes.Buffer
		err := certificate.WritePDF(&buf, sampleData(name))
		if !errors.Is(err, certificate.ErrMissingGlyphs) {
			t.Errorf("WritePDF for %q: %v, want ErrMissingGlyphs", name, err)
		}
	}
}

// TestWritePDFLongName: the longest name an account may have (100 of the
// widest letters) wraps onto lines of its own, every letter is there, and
// nothing it takes reaches the verification code and QR code below; a name
// and module that would is refused (ErrTooLong), not drawn over them.
func TestWritePDFLongName(t *testing.T) {
	name := strings.TrimSpace(strings.Repeat("WMWMW ", 17))[:100]
	path := writePDF(t, sampleData(name))
	html := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", path, "-")
	word := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	var nameBottom, codeTop float64
	codeTop = 1e9
	letters := 0
	for _, m := range word.FindAllStringSubmatch(html, -1) {
		yMin, _ := strconv.ParseFloat(m[2], 64)
		yMax, _ := strconv.ParseFloat(m[4], 64)
		switch {
		case strings.Trim(m[5], "WM") == "":
			letters += len(m[5])
			nameBottom = max(nameBottom, yMax)
		case m[5] == "Verification":
			codeTop = min(codeTop, yMin)
		}
	}
	if letters != len(strings.ReplaceAll(name, " ", "")) {
		t.Errorf("%d letters of the name on the page, want %d", letters, len(strings.ReplaceAll(name, " ", "")))
	}
	if nameBottom == 0 || nameBottom >= codeTop {
		t.Errorf("the name ends at %.1f pt, the code block starts at %.1f pt", nameBottom, codeTop)
	}
	d := sampleData(name)
	d.Module = strings.Repeat("A module title that goes on and on ", 30)
	var buf bytes.Buffer
	if err := certificate.WritePDF(&buf, d); !errors.Is(err, certificate.ErrTooLong) {
		t.Errorf("a name and module that cannot fit: %v, want ErrTooLong", err)
	}
}

// TestWritePDFQRCode prints the page as poppler would for a screen or printer
// and scans the QR code off the picture, as a phone would.
func TestWritePDFQRCode(t *testing.T) {
	const dpi = 150
	d := sampleData("Nguyễn Thị Hoa")
	path := writePDF(t, d)
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-png", "-singlefile", path, prefix)
	img := readPNG(t, prefix+".png")

	result := decodeQR(t, img)
	if got := result.GetText(); got != d.URL {
		t.Fatalf("QR code on the page reads %q, want %q", got, d.URL)
	}

	// The finder patterns' centres sit 3.5 modules in from the code's edges:
	// from them and the module size, the code's extent on the page.
	pts := result.GetResultPoints()
	if len(pts) < 3 {
		t.Fatalf("decoder returned %d points, want the 3 finder patterns", len(pts))
	}
	bottomLeft, topLeft, topRight := pts[0], pts[1], pts[2]
	finder, ok := topLeft.(interface{ GetEstimatedModuleSize() float64 })
	if !ok {
		t.Fatalf("decoder point is a %T, not a finder pattern", topLeft)
	}
	module := finder.GetEstimatedModuleSize()
	side := math.Hypot(topRight.GetX()-topLeft.GetX(), topRight.GetY()-topLeft.GetY()) + 7*module
	if mm := side / dpi * 25.4; mm < 35 {
		t.Errorf("QR code is %.1f mm wide, want at least 35", mm)
	}
	if math.Abs(bottomLeft.GetX()-topLeft.GetX()) > module || topRight.GetY()-topLeft.GetY() > module {
		t.Errorf("QR code is not upright: finder patterns at %v %v %v", bottomLeft, topLeft, topRight)
	}

	// The quiet zone, four modules round the code, is blank paper.
	x0, y0 := topLeft.GetX()-3.5*module, topLeft.GetY()-3.5*module
	quiet := 4 * module
	inner := image.Rect(int(x0)-1, int(y0)-1, int(x0+side)+2, int(y0+side)+2)
	outer := image.Rect(int(x0-quiet)+1, int(y0-quiet)+1, int(x0+side+quiet)-1, int(y0+side+quiet)-1)
	if !outer.In(img.Bounds()) {
		t.Fatalf("quiet zone %v runs off the page %v", outer, img.Bounds())
	}
	for y := outer.Min.Y; y < outer.Max.Y; y++ {
		for x := outer.Min.X; x < outer.Max.X; x++ {
			if image.Pt(x, y).In(inner) {
				continue
			}
			if g := color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y; g < 200 {
				t.Fatalf("quiet zone is marked at (%d, %d): grey %d", x, y, g)
			}
		}
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func decodeQR(t *testing.T, img image.Image) *gozxing.Result {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	result, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code found: %v", err)
	}
	return result
}

// svgRoot is the part of QRSVG's output the test reads, parsed as XML.
type svgRoot struct {
	XMLName        xml.Name
	Role           string `xml:"role,attr"`
	Label          string `xml:"aria-label,attr"`
	ViewBox        string `xml:"viewBox,attr"`
	ShapeRendering string `xml:"shape-rendering,attr"`
	Width          string `xml:"width,attr"`
	Rects          []struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
		Fill   string `xml:"fill,attr"`
	} `xml:"rect"`
	Paths []struct {
		D    string `xml:"d,attr"`
		Fill string `xml:"fill,attr"`
	} `xml:"path"`
	Any []struct{ XMLName xml.Name } `xml:",any"`
}

// TestQRSVG parses the SVG as XML, checks what assistive technology and CSS
// rely on, then draws its path and scans the code back.
func TestQRSVG(t *testing.T) {
	urls := []string{
		"https://example.gov/certificates/QRSTUVWX2345",
		`https://example.gov/certificates/X?a="><script>alert(1)</script>&b='c'`,
	}
	for _, url := range urls {
		svg, err := certificate.QRSVG(url)
		if err != nil {
			t.Fatalf("QRSVG(%q): %v", url, err)
		}
		if strings.Contains(string(svg), "<script") {
			t.Errorf("QRSVG(%q) lets markup through:\n%s", url, svg)
		}
		var root svgRoot
		dec := xml.NewDecoder(strings.NewReader(string(svg)))
		if err := dec.Decode(&root); err != nil {
			t.Fatalf("QRSVG(%q) is not well-formed XML: %v\n%s", url, err, svg)
		}
		if _, err := dec.Token(); err != io.EOF {
			t.Errorf("QRSVG(%q) has something after </svg>: %v", url, err)
		}
		if root.XMLName.Local != "svg" || root.XMLName.Space != "http://www.w3.org/2000/svg" {
			t.Errorf("root element is %v, want svg in the SVG namespace", root.XMLName)
		}
		if root.Role != "img" {
			t.Errorf("role = %q, want img", root.Role)
		}
		if want := "QR code linking to " + url; root.Label != want {
			t.Errorf("aria-label = %q, want %q", root.Label, want)
		}
		if root.ShapeRendering != "crispEdges" {
			t.Errorf("shape-rendering = %q, want crispEdges", root.ShapeRendering)
		}
		if root.Width != "" {
			t.Errorf("width = %q: CSS should size the code", root.Width)
		}
		if len(root.Any) != 0 {
			t.Errorf("unexpected elements %v", root.Any)
		}
		side, err := parseViewBox(root.ViewBox)
		if err != nil {
			t.Fatalf("viewBox = %q: %v", root.ViewBox, err)
		}
		if len(root.Rects) != 1 || root.Rects[0].Fill != "#fff" ||
			root.Rects[0].Width != strconv.Itoa(side) || root.Rects[0].Height != strconv.Itoa(side) {
			t.Errorf("want one white background over the whole viewBox, got %+v", root.Rects)
		}
		if len(root.Paths) != 1 || root.Paths[0].Fill != "#000" {
			t.Fatalf("want one black path, got %+v", root.Paths)
		}

		img := drawPath(t, root.Paths[0].D, side, 8)
		if got := decodeQR(t, img).GetText(); got != url {
			t.Errorf("QRSVG(%q) scans as %q", url, got)
		}
	}
}

// parseViewBox returns the side of a square viewBox "0 0 N N".
func parseViewBox(viewBox string) (int, error) {
	f := strings.Fields(viewBox)
	if len(f) != 4 || f[0] != "0" || f[1] != "0" || f[2] != f[3] {
		return 0, errors.New("not a square viewBox at the origin")
	}
	return strconv.Atoi(f[2])
}

// drawPath paints a path of the shape QRSVG writes, "Mx yhWv1h-Wz" runs, at
// scale pixels per unit, and checks it keeps a four-unit quiet zone clear.
func drawPath(t *testing.T, d string, side, scale int) image.Image {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, side*scale, side*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	runRE := regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	if rest := runRE.ReplaceAllString(d, ""); rest != "" || d == "" {
		t.Fatalf("path has parts other than runs: %q", rest)
	}
	for _, m := range runRE.FindAllStringSubmatch(d, -1) {
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if m[3] != m[4] {
			t.Fatalf("run %q does not close on itself", m[0])
		}
		if x < 4 || y < 4 || x+w > side-4 || y+1 > side-4 {
			t.Fatalf("run %q is in the quiet zone of a %d-unit code", m[0], side)
		}
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	return img
}
