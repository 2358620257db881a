# rcteval — see README.md
GO ?= go

.PHONY: build run test bench fuzz coverage golden demo-data release windows clean loadcheck

build:
	$(GO) build -o rcteval ./cmd/rcteval

# The demo: a full report on the embedded simulated trial, in out/demo/.
run:
	$(GO) run ./cmd/rcteval demo --out out/demo

test:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod or go.sum is not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }
	$(GO) vet ./...
	$(GO) test ./...

# Benchmarks: the parsers and formats, then ingest and effects end to end on
# simulated trials (100 000 persons x 104 weeks as CSV and Parquet; 1 000 000
# persons x 260 weeks from Parquet), kept in BENCH_DIR after the first run
# (simulating the national-scale trial takes several minutes).
BENCH_DIR ?= $(HOME)/.cache/rcteval-bench
bench:
	RCTEVAL_BENCH_DIR=$(BENCH_DIR) $(GO) test -run '^$$' -bench . -benchtime 1x -timeout 60m -v ./cmd/rcteval
	RCTEVAL_BENCH_DIR=$(BENCH_DIR) $(GO) test -run '^$$' -bench . -benchmem ./pipeline/...

# The chart page under load: 200 chart requests from 8 goroutines (every
# chart, PNG, SVG and PDF), with the median and p95 latency (also part of
# make test, silently).
loadcheck:
	$(GO) test -count 1 -run '^TestLoadCheck$$' -v ./reports/serve

# Each fuzz target for FUZZTIME (default 60s): the readers end to end, the
# field splitter against encoding/csv, dialect detection, the week, date and
# number parsers, the spec loader and the Parquet and Arrow readers. Each
# new input is minimised for at most 2 s: without the limit, minimising the
# 2 KB Parquet inputs takes the workers most of a minute, in which no new
# input is tried (GODEBUG=fuzzdebug=1 shows it).
FUZZTIME ?= 60s
FUZZ_TARGETS = \
	FuzzLoadWeeks:./pipeline/ingest FuzzLoadWide:./pipeline/ingest FuzzLoadAssignment:./pipeline/ingest \
	FuzzSplit:./pipeline/ingest/csvtable FuzzDetect:./pipeline/ingest/csvtable \
	FuzzParseWeek:./pipeline/ingest/parse FuzzParseDate:./pipeline/ingest/parse FuzzParseDecimal:./pipeline/ingest/parse \
	FuzzParse:./pipeline/spec FuzzOpenParquet:./pipeline/ingest/arrowtable FuzzOpenArrow:./pipeline/ingest/arrowtable

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		echo "== $${t%%:*} ($${t#*:})"; \
		$(GO) test -run '^$$' -fuzz "^$${t%%:*}$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s "$${t#*:}" || exit 1; \
	done

# Coverage of the pointwise intervals and the sup-t band, and the size of
# randomisation inference, over simulated trials with a known effect.
coverage:
	RCTEVAL_COVERAGE=1 $(GO) test -run '^TestCoverage$$' -v -timeout 60m ./pipeline/analysis

# Golden values from R (needs R: apt-get install r-cran-estimatr r-cran-clubsandwich r-cran-coin).
golden:
	Rscript testdata/golden/make.R
	Rscript testdata/golden/make_ri.R

# Regenerate the embedded demo trial after changing the simulator.
demo-data:
	$(GO) run ./cmd/rcteval simulate --gzip --out testdata/demo

# Static single binaries (no cgo) for the research servers and laptops, with
# SHA-256 sums, in dist/. VERSION and COMMIT are stamped into the binary
# (rcteval version); by default from git.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
COMMIT ?= $(shell git rev-parse HEAD 2>/dev/null)
RELEASE_TARGETS = linux/amd64 linux/arm64 windows/amd64 darwin/arm64
release:
	rm -rf dist && mkdir -p dist
	@for t in $(RELEASE_TARGETS); do \
		os=$${t%/*}; arch=$${t#*/}; ext=; [ "$$os" = windows ] && ext=.exe; \
		echo "== $$os/$$arch"; \
		CGO_ENABLED=0 GOOS=$$os GOARCH=$$arch $(GO) build -trimpath \
			-ldflags "-s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT)" \
			-o dist/rcteval-$(VERSION)-$$os-$$arch$$ext ./cmd/rcteval || exit 1; \
	done
	cd dist && sha256sum rcteval-* > SHA256SUMS && cat SHA256SUMS

# The Windows build checked from Linux: vet and compile every package and
# its tests for windows/amd64 (the research servers inside Statistics
# Denmark are closed Windows machines).
windows:
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) vet ./...
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) test -c -o /dev/null ./cmd/rcteval
	GOOS=windows GOARCH=amd64 CGO_ENABLED=0 $(GO) build -o /dev/null ./cmd/rcteval

clean:
	rm -rf out dist rcteval
