package sweeps

import "github.com/optbench/optbench/search"

// spaceOf is the search space of branches: each branch's axes become its
// dimensions, in file order.
func spaceOf(branches []*branch) *search.Space {
	space := &search.Space{Branches: make([]search.Branch, 0, len(branches))}
	for _, b := range branches {
		sb := search.Branch{Optimizer: b.optimizer.name, Schedule: b.schedule.name,
			Dimensions: make([]search.Dimension, 0, len(b.axes))}
		for _, a := range b.axes {
			sb.Dimensions = append(sb.Dimensions, search.Dimension{Name: a.name, Domain: a.domain()})
		}
		space.Branches = append(space.Branches, sb)
	}
	return space
}

// domain is the values of an axis as the search space holds them: a
// distribution of random search, the powers of two of a pow2 form, or the
// listed and generated points.
func (a axis) domain() search.Domain {
	if d := a.dist; d != nil {
		switch d.form {
		case "uniform":
			return search.Uniform{Lo: d.lo, Hi: d.hi}
		case "log_uniform":
			return search.LogUniform{Lo: d.lo, Hi: d.hi}
		case "int_uniform":
			return search.IntUniform{Lo: d.lo, Hi: d.hi}
		}
		return search.Quantized{Lo: d.lo, Q: d.q, N: d.n}
	}
	if a.pow2 != nil {
		return *a.pow2
	}
	values := make([]any, len(a.points))
	for i, pt := range a.points {
		values[i] = pt.value
	}
	return domainOf(values)
}

// domainOf holds values as Points when they are all numbers, else as
// Categorical.
func domainOf(values []any) search.Domain {
	points := make(search.Points, 0, len(values))
	for _, v := range values {
		f, isNumber := v.(float64)
		if !isNumber {
			return search.Categorical(values)
		}
		points = append(points, f)
	}
	return points
}
