package certificate

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/unicode/norm"
)

// ErrMissingGlyphs means a name, module or issuer uses characters the
// embedded fonts cannot draw (Chinese or Burmese, for example, or a name
// mixing Latin and Ethiopic letters). fpdf would print empty boxes in their
// place, so WritePDF refuses instead; the HTML certificate, drawn with the
// browser's fonts, still works.
var ErrMissingGlyphs = errors.New("characters the certificate font cannot draw")

// ErrTooLong means the name and module take so many lines that they would
// cover the code and the QR code; the HTML certificate still works.
var ErrTooLong = errors.New("name and module too long for the page")

// Data is what a certificate shows.
type Data struct {
	Name       string    // the person's name, in any script the font covers
	Module     string    // the module's title
	Passed     time.Time // shown as a date, in Passed's own location
	ValidUntil time.Time // the zero time leaves the line out
	Code       string    // as NewCode or ParseCode return it; shown formatted
	URL        string    // absolute verification URL, printed and in the QR code
	Issuer     string    // e.g. "City of Minneapolis — Northstar staff training"
}

// DateLayout is how certificates write dates: "January 2, 2006".
const DateLayout = "January 2, 2006"

// The core PDF fonts only know cp1252, so names like "Nguyễn Thị Hoa" need an
// embedded Unicode font: DejaVu Sans covers Latin, Greek and Cyrillic
// scripts; Noto Sans Ethiopic covers names written in Ge'ez script (Amharic,
// Tigrinya), common among the City's staff and residents, but no Latin
// letters. fpdf writes a subset of each with a ToUnicode map, so the text can
// be searched and copied. See fonts/LICENSE.
var (
	//go:embed fonts/DejaVuSans.ttf
	sansRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	sansBold []byte
	//go:embed fonts/NotoSansEthiopic-Regular.ttf
	ethiopicRegular []byte
	//go:embed fonts/NotoSansEthiopic-Bold.ttf
	ethiopicBold []byte
)

// face is one embedded font family, regular and bold.
type face struct {
	family        string
	regular, bold []byte
}

const fontFamily = "DejaVuSans"

// faces are tried in order for the name; everything else is set in the first.
var faces = []face{
	{fontFamily, sansRegular, sansBold},
	{"NotoSansEthiopic", ethiopicRegular, ethiopicBold},
}

// parsedFaces reads the embedded fonts' character maps, once: for each
// face, its regular and its bold.
var parsedFaces = sync.OnceValues(func() ([][]*sfnt.Font, error) {
	var out [][]*sfnt.Font
	for _, fc := range faces {
		var fonts []*sfnt.Font
		for _, b := range [][]byte{fc.regular, fc.bold} {
			f, err := sfnt.Parse(b)
			if err != nil {
				return nil, fmt.Errorf("embedded font %s: %w", fc.family, err)
			}
			fonts = append(fonts, f)
		}
		out = append(out, fonts)
	}
	return out, nil
})

// faceFor returns the first of the faces allowed (the first n) that draws
// every character of s in both weights, or ErrMissingGlyphs naming the
// characters the first face lacks.
func faceFor(what, s string, n int) (face, error) {
	parsed, err := parsedFaces()
	if err != nil {
		return face{}, err
	}
	var buf sfnt.Buffer
	var firstMissing []rune
	for i := range min(n, len(faces)) {
		var missing []rune
		for _, r := range s {
			if r > 0xFFFF { // fpdf's fonts stop at the Basic Multilingual Plane: no emoji
				missing = append(missing, r)
				continue
			}
			for _, f := range parsed[i] {
				if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
					missing = append(missing, r)
					break
				}
			}
		}
		if len(missing) == 0 {
			return faces[i], nil
		}
		if i == 0 {
			firstMissing = missing
		}
	}
	// Only the characters, not the whole name: errors end up in logs.
	return face{}, fmt.Errorf("certificate pdf: %s has %w: %q", what, ErrMissingGlyphs, string(firstMissing))
}

// Page geometry, in millimetres, of a landscape US Letter page.
const (
	pageW   = 279.4
	pageH   = 215.9
	textX   = 25.0            // left edge of the text
	textW   = pageW - 2*textX // width of centred text
	qrSide  = 38.0            // the modules alone, without the quiet zone
	qrInset = 16.0            // from the page edge to the quiet zone's edge
)

// WritePDF writes a one-page landscape Letter certificate for d to w. It is
// black on white so it prints and photocopies, and needs nothing beyond this
// package at run time.
func WritePDF(w io.Writer, d Data) error {
	if err := d.check(); err != nil {
		return err
	}
	qrc, err := encodeQR(d.URL)
	if err != nil {
		return err
	}
	// fpdf does no text shaping: a name typed with combining accents gets
	// them side by side over the letter. The font's precomposed glyphs
	// ("ễ", not "e" + "̂" + "̃") look right.
	name, module, issuer := norm.NFC.String(d.Name), norm.NFC.String(d.Module), norm.NFC.String(d.Issuer)
	nameFace, err := faceFor("name", name, len(faces))
	if err != nil {
		return err
	}
	for _, field := range []struct{ what, s string }{{"module", module}, {"issuer", issuer}} {
		if _, err := faceFor(field.what, field.s, 1); err != nil {
			return err
		}
	}

	pdf := fpdf.New("L", "mm", "Letter", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCellMargin(0)
	addFace(pdf, faces[0])
	if nameFace.family != faces[0].family {
		addFace(pdf, nameFace)
	}
	pdf.SetTitle("Certificate of completion", true)
	pdf.SetSubject(module, true)
	pdf.SetAuthor(issuer, true)
	pdf.SetLang("en-US")
	pdf.AddPage()
	pdf.SetTextColor(0, 0, 0)
	pdf.SetDrawColor(0, 0, 0)

	// A double frame.
	pdf.SetLineWidth(1)
	pdf.Rect(10, 10, pageW-20, pageH-20, "D")
	pdf.SetLineWidth(0.3)
	pdf.Rect(13, 13, pageW-26, pageH-26, "D")

	pdf.SetY(24)
	if issuer != "" {
		centred(pdf, "", 12, 9, issuer)
		pdf.Ln(4)
	}
	centred(pdf, "B", 30, 30, "Certificate of completion")
	pdf.Ln(8)
	centred(pdf, "", 13, 13, "This certifies that")
	pdf.Ln(4)
	centredIn(pdf, nameFace.family, "B", 32, 16, name)
	pdf.Ln(4)
	centred(pdf, "", 13, 13, "passed the training module")
	pdf.Ln(3)
	centred(pdf, "B", 20, 12, module)
	pdf.Ln(8)
	centred(pdf, "", 13, 13, "Passed "+d.Passed.Format(DateLayout))
	if !d.ValidUntil.IsZero() {
		centred(pdf, "", 13, 13, "Valid until "+d.ValidUntil.Format(DateLayout))
	}

	// The QR code in the bottom right corner. Nothing else is drawn within
	// its quiet zone; the tests check the printed page.
	unit := qrSide / float64(qrc.size)
	quiet := quietZone * unit
	qrX, qrY := pageW-qrInset-quiet-qrSide, pageH-qrInset-quiet-qrSide
	// A name or module long enough to wrap onto many lines must not run
	// into the code and the QR code below.
	if pdf.GetY() > qrY-quiet-2 {
		return fmt.Errorf("certificate pdf: %w", ErrTooLong)
	}
	pdf.SetFillColor(0, 0, 0)
	// One path for all runs: a rasteriser then fills their union, without
	// the hairline seams separate rectangles can leave between rows.
	for _, r := range qrc.runs() {
		x, y, w := qrX+float64(r.x)*unit, qrY+float64(r.y)*unit, float64(r.w)*unit
		pdf.MoveTo(x, y)
		pdf.LineTo(x+w, y)
		pdf.LineTo(x+w, y+unit)
		pdf.LineTo(x, y+unit)
		pdf.ClosePath()
	}
	pdf.DrawPath("f")

	// The code and URL to the left of the QR code, for those who type them.
	blockW := qrX - quiet - 8 - textX
	pdf.SetXY(textX, qrY-quiet+2)
	left(pdf, "", 11, 11, blockW, "Verification code")
	left(pdf, "B", 18, 18, blockW, Format(d.Code))
	pdf.Ln(4)
	left(pdf, "", 11, 11, blockW, "To check this certificate, scan the QR code or go to")
	urlY := pdf.GetY()
	left(pdf, "", 12, 7, blockW, d.URL)
	pdf.LinkString(textX, urlY, min(pdf.GetStringWidth(d.URL), blockW), pdf.GetY()-urlY, d.URL)

	if err := pdf.Error(); err != nil {
		return fmt.Errorf("certificate pdf: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("certificate pdf: %w", err)
	}
	return nil
}

// check refuses a certificate that would be missing something a reader
// relies on.
func (d Data) check() error {
	var missing []error
	if d.Name == "" {
		missing = append(missing, errors.New("no name"))
	}
	if d.Module == "" {
		missing = append(missing, errors.New("no module"))
	}
	if d.Passed.IsZero() {
		missing = append(missing, errors.New("no pass date"))
	}
	if c, ok := ParseCode(d.Code); !ok || c != d.Code {
		missing = append(missing, fmt.Errorf("code %q is not a verification code", d.Code))
	}
	if d.URL == "" {
		missing = append(missing, errors.New("no verification url"))
	}
	if err := errors.Join(missing...); err != nil {
		return fmt.Errorf("certificate pdf: %w", err)
	}
	return nil
}

// addFace embeds both weights of fc.
func addFace(pdf *fpdf.Fpdf, fc face) {
	pdf.AddUTF8FontFromBytes(fc.family, "", fc.regular)
	pdf.AddUTF8FontFromBytes(fc.family, "B", fc.bold)
}

// centred writes s centred across the text width below the current line.
func centred(pdf *fpdf.Fpdf, style string, size, minSize float64, s string) {
	centredIn(pdf, fontFamily, style, size, minSize, s)
}

// centredIn is centred in the font family given.
func centredIn(pdf *fpdf.Fpdf, family, style string, size, minSize float64, s string) {
	pdf.SetX(textX)
	write(pdf, family, style, size, minSize, textW, "C", s)
}

// left writes s flush left in a column w wide below the current line.
func left(pdf *fpdf.Fpdf, style string, size, minSize, w float64, s string) {
	pdf.SetX(textX)
	write(pdf, fontFamily, style, size, minSize, w, "L", s)
}

// write sets s in the largest size from size down to minSize at which it
// fits on one line of width w, wrapping it only if even minSize is too big:
// a long name gets smaller before it gets broken.
func write(pdf *fpdf.Fpdf, family, style string, size, minSize, w float64, align, s string) {
	for ; size > minSize; size -= 0.5 {
		pdf.SetFont(family, style, size)
		if pdf.GetStringWidth(s) <= w {
			break
		}
	}
	size = max(size, minSize)
	pdf.SetFont(family, style, size)
	_, lineH := pdf.GetFontSize()
	pdf.MultiCell(w, lineH*1.25, s, "", align, false)
}
