// Package experiments is the registry of named problems: for each, the
// dataset and its split, the model, the loss, the metric and the default
// budget and parameters that a trial's parameters override. It turns a
// trial into a configured engine/train run.
//
// It sits beside the engine in the flow (sweeps validate against it; the
// command line hands a Runner's Run to the executor, so that the trials of
// a run share the course's per-epoch permutations) and imports the engine
// packages, gonum and the standard library. Datasets are generated or
// embedded, with three exceptions that do I/O. The csv, idx and
// algoperf-mnist experiments read the researcher's files (data_file;
// train_images and the other IDX files; data_dir) in Resolve, to fill
// data_sha256 with the SHA-256 of their content so that trial keys change
// when the data do, to count and check them for planning (TrainSize,
// CheckModel: once per version of the files), and again whenever they
// load the data (Trainer, Run), where they refuse to train a trial whose
// data_sha256 no longer matches the files. fmnist-mlp reads Fashion-MNIST
// from where Debian's dataset-fashion-mnist installs it or from
// $OPTBENCH_DATA/fashion-mnist: planning reads the files' headers, loading
// checks each file against Fashion-MNIST's SHA-256. These reads are of
// local files and take no context. Planning never generates data: the
// other experiments compute their data's Shape from the parameters.
//
// The image experiments take an architecture (Architecture: mlp, cnn,
// 2c2d, resnet), a parameter whose value is the architecture's canonical
// text, so that trials store, key and rebuild it like any other value.
// The layer architectures build an nn.Sequential from engine/nn's
// builders; mlp is the nn.Network the other experiments train.
package experiments
