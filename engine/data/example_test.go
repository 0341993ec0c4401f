package data_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/optbench/optbench/engine/data"
	"github.com/optbench/optbench/engine/rng"
)

// The DeepLearning.AI "Optimization methods" dataset:
// np.random.seed(3); make_moons(n_samples=300, noise=.2).
func ExampleMoons() {
	d, err := data.Moons(rng.New(3), 300, 0.2, true)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range 3 {
		fmt.Printf("%.8f %.8f %d\n", d.X.At(i, 0), d.X.At(i, 1), d.Labels[i])
	}
	// Output:
	// -0.21687013 1.01544937 0
	// 0.80505015 -0.55797340 1
	// 0.71127451 -0.41006024 1
}

func ExampleCircles() {
	d, err := data.Circles(rng.New(0), 200, 0.05, 0.5, true)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Name, d.Len(), d.Classes)
	// Output:
	// circles 200 2
}

func ExampleSpirals() {
	d, err := data.Spirals(rng.New(0), 300, 3, 0.2)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Len(), d.Classes, d.Labels[0], d.Labels[100], d.Labels[299])
	// Output:
	// 300 3 0 1 2
}

// The same labels as np.random.seed(0);
// make_blobs(n_samples=7, centers=[[0, 0], [5, 5]], cluster_std=0.5).
func ExampleBlobs() {
	d, err := data.Blobs(rng.New(0), 7, [][]float64{{0, 0}, {5, 5}}, 0.5)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Labels)
	// Output:
	// [0 1 0 1 0 0 1]
}

func ExampleReadCSV() {
	const file = `sepal_length,petal_length,species
5.1,1.4,setosa
7.0,4.7,versicolor
6.3,6.0,virginica
`
	d, err := data.ReadCSV(strings.NewReader(file), "flowers.csv", data.CSVOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Features, d.Labels, d.ClassNames)

	_, err = data.ReadCSV(strings.NewReader("a,label\n1,x\n2..5,y\n"), "flowers.csv", data.CSVOptions{})
	fmt.Println(err)
	// Output:
	// [sepal_length petal_length] [0 1 2] [setosa versicolor virginica]
	// flowers.csv:3:1: column "a": "2..5" is not a finite number
}

func ExampleIris() {
	d := data.Iris()
	fmt.Println(d.Len(), d.Features[0], d.ClassNames)
	// Output:
	// 150 sepal length (cm) [setosa versicolor virginica]
}

// Split once, fit the standardizer on the training part only, and apply it
// to every part.
func ExampleDataset_Split() {
	parts := data.Iris().Split(rng.New(42), 0.6, 0.2, 0.2)
	train, val, test := parts[0], parts[1], parts[2]
	s := data.FitStandardizer(train)
	train, val, test = s.Apply(train), s.Apply(val), s.Apply(test)
	fmt.Println(train.Len(), val.Len(), test.Len())
	// Output:
	// 90 30 30
}

func ExampleFitStandardizer() {
	s := data.FitStandardizer(data.Iris())
	fmt.Printf("%.4f %.4f\n", s.Mean[0], s.Std[0])
	// Output:
	// 5.8433 0.8253
}

// An IDX file as the MNIST family ships them: two images of 2×3 pixels.
func ExampleReadIDX() {
	src := []byte{
		0, 0, 0x08, 3, // unsigned bytes, three dimensions
		0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, // 2 images of 2×3
		0, 128, 255, 1, 2, 3,
		9, 9, 9, 0, 0, 0,
	}
	x, err := data.ReadIDX(bytes.NewReader(src), "images")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(x.Dims, x.Data[:6])
	_, err = data.ReadIDX(bytes.NewReader(src[:20]), "images")
	fmt.Println(err)
	// Output:
	// [2 2 3] [0 128 255 1 2 3]
	// images: truncated: dimensions [2 2 3] promise 12 bytes of data, the file holds 4
}

// scikit-learn's digits with the split of its classification example:
// the first half trains, the second half tests.
func ExampleDigits() {
	im := data.Digits()
	nTest := (im.N + 1) / 2 // train_test_split(test_size=0.5) rounds the test part up
	train := im.Head(im.N - nTest).Dataset(nil)
	fmt.Println(im.N, im.Rows, im.Cols, train.Len(), train.X.At(0, 2))
	// Output:
	// 1797 8 8 898 0.3125
}
