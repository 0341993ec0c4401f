// Command peers measures optbench beside its peers, for make bench-peers:
//
//	go run ./bench/peers [-reps 5] [-trial-reps 3] [-optbench bin/optbench] [-python /usr/bin/python3] [-run REGEXP]
//
// Five jobs, each run in optbench and in the peers alternately, several
// repetitions, and printed as a Markdown table of medians and ratios:
//
//   - the course sweep (sweeps/c2w2-optimization.yaml: 7 runs × 5000
//     epochs, 175 000 steps), each side a whole process from start to
//     exit: optbench run -j 1 (which also stores every epoch's metrics in
//     SQLite), the assignment's own numpy code
//     (experiments/testdata/c2w2_reference.py) and the same sweep in
//     PyTorch (peer.py course-sweep torch); -trial-reps repetitions;
//   - one Adam step of the course network [2,5,2,1] on a batch of 64:
//     the engine in this process, numpy (a transcription of the course's
//     code) and PyTorch;
//   - one Adam step of 784-256-10 on a batch of 128, float64: the same three;
//   - one Adam step of DeepOBS's fmnist_2c2d (nn.TwoConvTwoDense) on
//     1×28×28 images, batch 128, float64: the engine and PyTorch;
//   - 2000 trivial trials (an evaluation of Branin each) stored in SQLite:
//     optbench run -j 1 of bench/peers/trivial.yaml, the whole process
//     (start, planning, training, storing), against Optuna's
//     create_study and study.optimize with SQLite storage (without the
//     interpreter's start and imports);
//   - optbench run -j 2 against -j 1 of the CPU-bound bench/peers/cpu.yaml
//     (goal: a speed-up of at least 1.8 on two free cores).
//
// The peers (peer.py) run in Debian's python3 with OPENBLAS_NUM_THREADS=1
// and without OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE, and PyTorch with
// torch.set_num_threads(1): one thread, float64. A peer whose module is
// missing (numpy, torch, optuna, and sklearn for the course's data) is
// skipped with a message. The table ends with the machine and its load
// average before and after: on a shared machine, other work slows both
// sides, and the ratios of one run are what to compare.
//
// It is a measuring tool, not a stage of the flow: it imports engine/nn,
// engine/optim and engine/rng for the step jobs and runs the optbench
// binary and the peers as processes, so it is, besides cluster and tests,
// a user of os/exec.
package main
