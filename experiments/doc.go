// Package experiments is the registry of named problems: for each, the
// dataset and its split, the model, the loss, the metric and the default
// budget and parameters that a trial's parameters override. It turns a
// trial into a configured engine/train run.
//
// It sits beside the engine in the flow (sweeps validate against it; the
// command line hands its Run to the executor) and imports the engine
// packages, gonum and the standard library. Datasets are generated or
// embedded, with one exception: the csv experiment is the one experiment
// that does I/O. It reads the researcher's file (data_file) in Resolve, to
// fill data_sha256 with the SHA-256 of its content so that trial keys
// change when the data does, to count and check it for planning
// (TrainSize, CheckModel: once per version of the file), and again
// whenever it loads the data (Trainer, Run), where it refuses to train a
// trial whose data_sha256 no longer matches the file. These reads are of
// a local file and take no context. Planning never generates data: the
// other experiments compute their data's Shape from the parameters.
package experiments
