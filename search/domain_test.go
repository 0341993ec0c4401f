package search

import (
	"reflect"
	"testing"
)

func TestDomains(t *testing.T) {
	tests := []struct {
		name   string
		domain Domain
		want   []any
	}{
		{"points", Points{0.1, 0.01}, []any{0.1, 0.01}},
		{"categorical", Categorical{"relu", true, []float64{16}}, []any{"relu", true, []float64{16}}},
		{"int uniform includes both ends", IntUniform{Lo: -1, Hi: 2}, []any{-1.0, 0.0, 1.0, 2.0}},
		// 0.5 + 2·0.1 is 0.7000000000000001 in floating point; the domain
		// rounds to 12 significant digits as the sweep file's reader would.
		{"quantized rounds", Quantized{Lo: 0.5, Q: 0.1, N: 4}, []any{0.5, 0.6, 0.7, 0.8}},
		{"powers of two", PowersOfTwo{Lo: 16, Hi: 128}, []any{16.0, 32.0, 64.0, 128.0}},
		{"one power of two", PowersOfTwo{Lo: 1, Hi: 1}, []any{1.0}},
		{"uniform", Uniform{Lo: 0, Hi: 1}, nil},
		{"log-uniform", LogUniform{Lo: 1e-4, Hi: 1e-1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []any
			for i := range tt.domain.Len() {
				got = append(got, tt.domain.At(i))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("values %v, want %v", got, tt.want)
			}
		})
	}
}

func TestContinuousAtPanics(t *testing.T) {
	for _, d := range []Domain{Uniform{Lo: 0, Hi: 1}, LogUniform{Lo: 1, Hi: 2}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("At of %v did not panic", d)
				}
			}()
			d.At(0)
		}()
	}
}
