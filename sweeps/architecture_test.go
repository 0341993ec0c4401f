package sweeps

import (
	"slices"
	"testing"
)

// TestArchitectureAxis: architectures are one swept factor in every
// search method, written as names, text or mappings, and each trial
// holds its architecture complete, the settings not written taken from
// the experiment's default.
func TestArchitectureAxis(t *testing.T) {
	const head = "name: a\nexperiment: digits-cnn\n"
	all := []string{
		"cnn(channels=16,kernel=3,convs=2,pool=2)",
		"cnn(channels=8x16,kernel=3,convs=1,pool=2)",
		"cnn(channels=16,kernel=5,convs=2,pool=2)",
		"2c2d",
		"resnet(blocks=1x1,channels=4x8)",
		"mlp(hidden=64)",
	}
	for _, tt := range []struct {
		name, src string
		want      []string // in expansion order; nil: any order, all of them
	}{
		{"grid", head + "parameters:\n  architecture: [cnn, {name: cnn, channels: [8, 16], convs: 1}, \"cnn(kernel=5)\", 2c2d, " +
			"{name: resnet, blocks: [1, 1], channels: [4, 8]}, {name: mlp, hidden: [64]}]\n", all},
		{"choices", head + "parameters:\n  architecture: {choices: [cnn, {name: cnn, channels: [8, 16], convs: 1}, \"cnn(kernel=5)\", 2c2d, " +
			"{name: resnet, blocks: [1, 1], channels: [4, 8]}, {name: mlp, hidden: [64]}]}\n", all},
		{"random", head + "search: {method: random, samples: 6, seed: 3}\nparameters:\n  architecture: {choices: [cnn, " +
			"{name: cnn, channels: [8, 16], convs: 1}, \"cnn(kernel=5)\", 2c2d, {name: resnet, blocks: [1, 1], channels: [4, 8]}, " +
			"{name: mlp, hidden: [64]}]}\n", nil},
		{"list", head + "search: {method: list}\nconfigs:\n  - {architecture: cnn}\n  - {architecture: {name: mlp, hidden: [64]}}\n",
			[]string{all[0], all[5]}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("a.yaml", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			trials := mustTrials(t, s)
			var got []string
			for _, tr := range trials {
				a, _ := tr.Params.String("architecture")
				got = append(got, a)
				if _, has := tr.Params["hidden"]; has != (a == "mlp(hidden=64)") {
					t.Errorf("%s: hidden present = %v", a, has)
				}
			}
			want := tt.want
			if want == nil {
				want = all
				slices.Sort(got)
				want = slices.Sorted(slices.Values(all))
			}
			if !slices.Equal(got, want) {
				t.Errorf("architectures %q, want %q", got, want)
			}
		})
	}
}
