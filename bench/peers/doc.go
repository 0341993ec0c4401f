// Command peers measures optbench beside its peers, for make bench-peers:
//
//	go run ./bench/peers [-reps 5] [-trial-reps 3] [-optbench bin/optbench] [-python /usr/bin/python3]
//
// Five jobs, each run in optbench and in the peers alternately, several
// repetitions, and printed as a Markdown table of medians and ratios:
//
//   - one Adam step of the course network [2,5,2,1] on a batch of 64:
//     the engine in this process, numpy (a transcription of the course's
//     code) and PyTorch;
//   - one Adam step of 784-256-10 on a batch of 128, float64: the same three;
//   - one Adam step of DeepOBS's fmnist_2c2d (nn.TwoConvTwoDense) on
//     1×28×28 images, batch 128, float64: the engine and PyTorch;
//   - 2000 trivial trials (an evaluation of Branin each) stored in SQLite:
//     optbench run -j 1 of bench/peers/trivial.yaml, the whole process,
//     against Optuna's study.optimize with SQLite storage;
//   - optbench run -j 2 against -j 1 of the CPU-bound bench/peers/cpu.yaml.
//
// The peers (peer.py) run in Debian's python3 with OPENBLAS_NUM_THREADS=1
// and without OPENBLAS_CORETYPE or OPENBLAS_L2_SIZE, and PyTorch with
// torch.set_num_threads(1): one thread, float64. A peer whose module is
// missing is skipped with a message.
//
// It is a measuring tool, not a stage of the flow: it imports engine/nn,
// engine/optim and engine/rng for the step jobs and runs the optbench
// binary and the peers as processes, so it is, besides cluster and tests,
// a user of os/exec.
package main
