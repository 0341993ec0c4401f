package engine

// NumericsVersion identifies the numerics of this build: what a trial of a
// given configuration computes. It is bumped (to "2", "3", …) by every
// change that may change any trial's results — an optimizer's update
// rule, an initialization, a dataset generator, the order of a reduction —
// and by no other change. The results database stores it with every
// trained trial, so that a rerun can tell results of this build from
// stale ones instead of silently mixing them.
const NumericsVersion = "3"
