# optbench: `make sweep` runs the quickstart sweep and writes its report;
# `make test` runs vet and the whole test suite. Both work on a fresh
# Debian machine with Go and a C compiler (cgo builds SQLite); the test
# target installs the extra packages the browser and Slurm tests need.
# `make fuzz` runs each fuzz target for FUZZTIME (30s), one at a time since
# go test -fuzz takes one package and one target; `make test` runs their
# seed corpora. Commit a failing input it writes under testdata/fuzz/ as a
# seed once the bug is fixed.

GO      ?= go
BIN     := bin/optbench
DB      ?= results/optbench.db
FUZZTIME ?= 30s
# Minimizing each new interesting input may take 60 s by default, which can
# use up a short run: the baseline target spent 30 s minimizing one input.
FUZZMINTIME ?= 5s
# package:target, each run for FUZZTIME by `make fuzz`
FUZZ    := ./sweeps:FuzzParse ./sweeps:FuzzExpand ./engine/data:FuzzReadCSV ./engine/data:FuzzReadIDX ./engine/data:FuzzReadPixelCSV ./results:FuzzReadBaseline
# Provenance records the VCS revision; some environments set
# GOFLAGS=-buildvcs=false, so ask for it explicitly.
BUILD   := $(GO) build -buildvcs=auto
export CGO_ENABLED := 1

.PHONY: all build test vet sweep reproduce bench bench-peers bench-peers-deps torch-vectors fuzz test-deps clean regress regress-baseline

all: build

build:
	$(BUILD) -o $(BIN) ./cmd/optbench

vet:
	$(GO) vet ./...

# Fashion-MNIST as Debian's dataset-fashion-mnist installs it (30 MB); the
# fmnist-mlp tests read it from here unless OPTBENCH_DATA names another
# directory (then $OPTBENCH_DATA/fashion-mnist).
FMNIST_FILE := /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz

# The report's browser test needs Debian's chromium, the Slurm test
# Debian's slurm-wlm and munge, the Fashion-MNIST tests Debian's
# dataset-fashion-mnist, and the cross-machine numerics test
# (experiments.TestCrossMachine) Debian's qemu-user-static to run the
# engine's tests as arm64; install them when they are missing and we may
# (root with apt-get). Elsewhere the tests say they skipped.
test-deps:
	@if [ -z "$$OPTBENCH_DATA" ] && [ ! -e $(FMNIST_FILE) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing dataset-fashion-mnist for the Fashion-MNIST tests"; \
	    (apt-get install -y -q dataset-fashion-mnist >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && apt-get install -y -q dataset-fashion-mnist >/dev/null)) || \
	     { echo "make: could not install dataset-fashion-mnist" >&2; exit 1; }; \
	  else \
	    echo "Fashion-MNIST not found and dataset-fashion-mnist cannot be installed here: its tests will be skipped"; \
	  fi; \
	fi
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the report's browser test"; \
	    (apt-get install -y -q chromium >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) || \
	     { echo "make: could not install chromium" >&2; exit 1; }; \
	  else \
	    echo "chromium not found and cannot be installed here: the browser test will be skipped"; \
	  fi; \
	fi
	@if ! command -v qemu-aarch64-static >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing qemu-user-static for the arm64 numerics test"; \
	    (apt-get install -y -q qemu-user-static >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && apt-get install -y -q qemu-user-static >/dev/null)) || \
	     { echo "make: could not install qemu-user-static" >&2; exit 1; }; \
	  else \
	    echo "qemu-aarch64-static not found and cannot be installed here: the arm64 numerics test will be skipped"; \
	  fi; \
	fi

	@# The Slurm test (cmd/optbench TestSlurm) brings up a single-node Slurm
	@# from Debian's slurm-wlm and munge, as root.
	@if ! command -v slurmctld >/dev/null 2>&1 || ! command -v munged >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing slurm-wlm and munge for the Slurm test"; \
	    (DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge >/dev/null)) || \
	     { echo "make: could not install slurm-wlm and munge" >&2; exit 1; }; \
	  else \
	    echo "Slurm (slurm-wlm, munge) not found and cannot be installed here: the Slurm test will be skipped"; \
	  fi; \
	fi

test: test-deps vet
	@if command -v chromium >/dev/null 2>&1; then export OPTBENCH_REQUIRE_BROWSER=1; fi; \
	if [ -n "$$OPTBENCH_DATA" ] || [ -e $(FMNIST_FILE) ]; then export OPTBENCH_REQUIRE_FMNIST=1; fi; \
	if [ "$$(id -u)" = 0 ] && command -v slurmctld >/dev/null 2>&1 && command -v munged >/dev/null 2>&1; then \
	  export OPTBENCH_REQUIRE_SLURM=1; fi; \
	if command -v qemu-aarch64-static >/dev/null 2>&1; then export OPTBENCH_REQUIRE_QEMU=1; fi; \
	$(GO) test -count=1 ./...
	$(MAKE) regress

# optbench gates its own CI: the regression sweep, compared bit for bit
# with the committed baseline, and a sample of it retrained by verify.
# Exit status 3 means results changed. When numerics change on purpose,
# bump engine.NumericsVersion, run `make regress-baseline` and review the
# diff of regress/baseline.jsonl like code.
REGRESS_DB := bin/regress.db

regress: build
	rm -f $(REGRESS_DB) $(REGRESS_DB)-wal $(REGRESS_DB)-shm
	$(BIN) run --db $(REGRESS_DB) --quiet regress/regress.yaml
	$(BIN) compare --exact regress/baseline.jsonl $(REGRESS_DB)
	$(BIN) verify --db $(REGRESS_DB) --sample 7

regress-baseline: build
	rm -f $(REGRESS_DB) $(REGRESS_DB)-wal $(REGRESS_DB)-shm
	$(BIN) run --db $(REGRESS_DB) --quiet regress/regress.yaml
	$(BIN) baseline save --db $(REGRESS_DB) --sweep regress --out regress/baseline.jsonl

sweep: build
	$(BIN) run --db $(DB) sweeps/quickstart.yaml
	$(BIN) report --db $(DB) --sweep quickstart

reproduce: build
	$(BIN) run --db $(DB) sweeps/c2w2-optimization.yaml
	$(BIN) reproduce --db $(DB) c2w2-optimization
	$(BIN) run --db $(DB) sweeps/c2w1-initialization.yaml
	$(BIN) reproduce --db $(DB) c2w1-initialization

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./engine/... ./experiments/... ./results/... ./reports/... ./cmd/...

# optbench beside its peers (numpy, PyTorch, Optuna), alternating, as a
# Markdown table of medians and ratios; see bench/peers/doc.go. The peers
# are Debian's packages for Debian's own interpreter, PEER_PYTHON (not the
# first python3 on PATH). Ten minutes or more: the course sweep takes
# PyTorch about two minutes per repetition, Optuna's 2000 trials up to a
# minute, the fmnist_2c2d step job about 15 s per repetition. Not part of
# `make test`.
PEER_PYTHON ?= /usr/bin/python3
PEER_REPS ?= 5
PEER_TRIAL_REPS ?= 3
# module:Debian package
PEERS := numpy:python3-numpy torch:python3-torch optuna:python3-optuna sklearn:python3-sklearn

# Regenerates engine/nn's torch test vectors (the Go tests read the
# committed JSON and need no Python). Installs Debian's python3-torch when
# missing and we may; one thread so that the file is the same everywhere.
torch-vectors:
	@if ! $(PEER_PYTHON) -c "import torch" >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing python3-torch for make torch-vectors"; \
	    (apt-get install -y -q python3-torch >/dev/null 2>&1 || \
	     (apt-get update -q >/dev/null && apt-get install -y -q python3-torch >/dev/null)) || \
	     { echo "make: could not install python3-torch" >&2; exit 1; }; \
	  else \
	    echo "make: $(PEER_PYTHON) cannot import torch; install python3-torch" >&2; exit 1; \
	  fi; \
	fi
	cd engine/nn/testdata && OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(PEER_PYTHON) torch_vectors.py > torch_vectors.json.tmp && \
	  mv torch_vectors.json.tmp torch_vectors.json

bench-peers-deps:
	@for p in $(PEERS); do \
	  if ! $(PEER_PYTHON) -c "import $${p%%:*}" >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "installing $${p#*:} for make bench-peers"; \
	      (apt-get install -y -q $${p#*:} >/dev/null 2>&1 || \
	       (apt-get update -q >/dev/null && apt-get install -y -q $${p#*:} >/dev/null)) || \
	       echo "make: could not install $${p#*:}: bench-peers will skip $${p%%:*}" >&2; \
	    else \
	      echo "$(PEER_PYTHON) cannot import $${p%%:*} and $${p#*:} cannot be installed here: bench-peers will skip it"; \
	    fi; \
	  fi; \
	done

bench-peers: build bench-peers-deps
	$(GO) run ./bench/peers -optbench $(BIN) -python $(PEER_PYTHON) -reps $(PEER_REPS) -trial-reps $(PEER_TRIAL_REPS)

fuzz:
	@set -e; for f in $(FUZZ); do \
	  echo "fuzz $${f#*:} in $${f%%:*} for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$${f#*:}\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINTIME) $${f%%:*}; \
	done

clean:
	rm -rf bin
