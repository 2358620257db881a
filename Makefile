# rcteval — see README.md
GO ?= go

.PHONY: build run test bench fuzz golden demo-data clean

build:
	$(GO) build -o rcteval ./cmd/rcteval

# The demo: a full report on the embedded simulated trial, in out/demo/.
run:
	$(GO) run ./cmd/rcteval demo --out out/demo

test:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...
	$(GO) test ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzReadWeeks -fuzztime 60s ./pipeline
	$(GO) test -run '^$$' -fuzz FuzzReadAssignment -fuzztime 60s ./pipeline

# Golden values from R (needs R with estimatr: apt-get install r-cran-estimatr).
golden:
	Rscript testdata/golden/make.R

# Regenerate the embedded demo trial after changing the simulator.
demo-data:
	$(GO) run ./cmd/rcteval simulate --gzip --out testdata/demo

clean:
	rm -rf out rcteval
