package data

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"strconv"
)

// digitsCSVGz is sklearn/datasets/data/digits.csv.gz as Debian's
// python3-sklearn 1.2.1+dfsg-1 ships it; see README.md for provenance and
// licence.
//
//go:embed digits.csv.gz
var digitsCSVGz []byte

// Digits returns scikit-learn's handwritten digits as load_digits gives
// them: 1 797 images of 8×8 pixels with values 0..16 (the number of "on"
// pixels in each 4×4 block of a 32×32 bitmap), ten classes "0".."9", in
// the file's order. Each call returns a fresh Images.
//
// Source: E. Alpaydin and C. Kaynak, Optical Recognition of Handwritten
// Digits, UCI Machine Learning Repository (1998), the test part; via
// scikit-learn (BSD-3-Clause). See README.md.
func Digits() *Images {
	zr, err := gzip.NewReader(bytes.NewReader(digitsCSVGz))
	if err != nil {
		panic("data: embedded digits.csv.gz: " + err.Error()) // fixed at build time; tests read it
	}
	im, err := ReadPixelCSV(zr, "digits", PixelCSVOptions{Rows: 8, Cols: 8, MaxValue: 16, Classes: 10})
	if err != nil {
		panic("data: embedded digits.csv.gz: " + err.Error())
	}
	im.ClassNames = make([]string, 10)
	for i := range im.ClassNames {
		im.ClassNames[i] = strconv.Itoa(i)
	}
	return im
}
