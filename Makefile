# kws: build, test, demo, benchmarks and models. `make help` lists the targets.
SHELL := /bin/bash
SWIFT     ?= swift
PREFIX    ?= /usr/local
CONFIG    ?= release
DEB_DEPS  := libfftw3-dev pkg-config
BIN       := .build/$(CONFIG)/kws
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build deps test demo bench models train-deps clean help

all: build

help:
	@echo "make            release build of the kws CLI and library"
	@echo "make deps       install the Debian packages kws needs (skips what is present)"
	@echo "make demo       set up, build and detect keywords in Samples/"
	@echo "make test       run the whole test suite"
	@echo "make bench      run the benchmarks (front end, engines)"
	@echo "make models     retrain every shipped model (Training/, Python; slow)"
	@echo "make clean      remove build products"

deps:
	@missing=$$(for p in $(DEB_DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build -c $(CONFIG) --product kws

demo: build
	@echo "== one-second clips: top label and score"
	$(BIN) detect Samples/*.wav
	@echo "== a 20 s recording: every detection (truth in Samples/sequence.txt)"
	$(BIN) detect Samples/sequence.wav
	@echo "== the same recording as a live stream on stdin"
	cat Samples/sequence.wav | $(BIN) stream

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-swift-testing 2>&1 | tee .build/test.log | grep -v -E '^Test (Case|Suite) .*(started|passed)' ; \
	status=$${PIPESTATUS[0]}; grep -E 'Executed [0-9]+ tests' .build/test.log | tail -1; exit $$status

bench: deps
	$(SWIFT) run -c release kws-bench

train-deps:
	Training/setup_venv.sh

models: train-deps
	Training/reproduce.sh

clean:
	rm -rf .build
