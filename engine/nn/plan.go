package nn

import "fmt"

// PlanSequential checks layers for examples of shape in as NewSequential
// does, without allocating parameters or workspaces, and returns the
// number of parameters and the workspace per example of batch capacity
// (Sequential.WorkspacePerExample) of the network they would make, so
// that a caller can refuse a model or a batch too large before building
// it. The layers are planned, and so are ready for NewSequential.
func PlanSequential(in Shape, layers ...Layer) (params, workspace int, err error) {
	if err := in.check("input"); err != nil {
		return 0, 0, err
	}
	if len(layers) == 0 {
		return 0, 0, fmt.Errorf("a network needs at least one layer")
	}
	shapes, sizes, err := planLayers(in, layers)
	if err != nil {
		return 0, 0, err
	}
	last := shapes[len(shapes)-1]
	if len(last) != 1 {
		return 0, 0, fmt.Errorf("the last layer gives %v per example, not a vector of outputs", last)
	}
	for _, n := range sizes {
		params += n
	}
	workspace = 2*last[0] + in.Size()
	for _, ly := range layers {
		workspace += ly.Workspace()
	}
	return params, workspace, nil
}
