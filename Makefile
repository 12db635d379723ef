# kws: build, test, demo, benchmarks and models. `make help` lists the targets.
SHELL := /bin/bash
SWIFT     ?= swift
PREFIX    ?= /usr/local
CONFIG    ?= release
# make test, test-long and test-python build the debug configuration optimized (Swift -O, C -O2): XCTest runs
# in ~75 s instead of ~456 s, with @testable imports, DEBUG and every precondition kept (kws has no assert()).
# One set of flags for all three, so they share .build/debug without rebuilding it for each other.
TEST_BUILD_FLAGS := -Xswiftc -O -Xcc -O2
DEB_DEPS  := libfftw3-dev pkg-config
BIN       := .build/$(CONFIG)/kws
SUDO      := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build deps test demo bench models train-deps clean help

all: build

help:
	@echo "make            release build of the kws CLI and library"
	@echo "make deps       install the Debian packages kws needs (skips what is present)"
	@echo "make demo       set up, build and detect keywords in Samples/"
	@echo "make test       run the whole test suite (XCTest, then the Python package's pytest)"
	@echo "make test-python  the Python package's tests alone (python/.venv)"
	@echo "make test-long  the minutes-long tests make test skips (valgrind, an hour of audio); CI runs both"
	@echo "make test-docs  run every command README.md shows (Tests/docs/readme_commands.txt); CI runs it"
	@echo "make bench      run the benchmarks (front end, engines)"
	@echo "make bench-stream  false alarms per hour and recall on the held-out streaming benchmark (MODEL=...)"
	@echo "make models     retrain every shipped model (Training/, Python; slow)"
	@echo "make fuzz       libFuzzer targets, FUZZ_SECONDS each (default 120) or FUZZ_RUNS executions; not part of make test"
	@echo "make test-sanitize  the test suite under ASan+UBSan, the threading tests under TSan"
	@echo "make test-arm64  every C kernel variant vs scalar, natively and under qemu-aarch64 (needs gcc-aarch64-linux-gnu, qemu-user)"
	@echo "make soak HOURS=24  stream generated audio through kws stream: RSS flat, every keyword found"
	@echo "make soak-capi HOURS=24  the same through the C API (the C sample on an installed libkws)"
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
	@echo "== a 29.9 s recording of 10 spoken keywords, scored against Samples/sequence.txt (default operating point)"
	$(BIN) eval --stream Samples/sequence.wav --truth Samples/sequence.txt --events | sed -n '1,3p;/^spoken keywords/,$$p'
	@echo "== the same recording with a larger false-alarm budget (20 per hour): more keywords found"
	$(BIN) eval --stream Samples/sequence.wav --truth Samples/sequence.txt --events --false-alarms-per-hour 20 | sed -n '3p;/^spoken keywords/,$$p'
	@echo "== the same recording as a live stream on stdin"
	cat Samples/sequence.wav | $(BIN) stream

# XCTest, then the Python package's tests (python/test.sh: a venv in python/.venv, skipped with one line
# without python3). One line per test class as it finishes (Tests/xctest-progress.awk); the last lines are
# the two counts: XCTest's `Executed N tests` and pytest's summary.
test: deps
	python3 Tests/structure/declared_imports.py
	python3 Tests/structure/training_imports.py
	$(SWIFT) build --build-tests $(TEST_BUILD_FLAGS)
	$(SWIFT) test --skip-build $(TEST_BUILD_FLAGS) --disable-swift-testing 2>&1 | tee .build/test.log | awk -f Tests/xctest-progress.awk ; \
	status=$${PIPESTATUS[0]}; \
	KWS_BUILD_DIR=$(CURDIR)/.build/debug python/test.sh 2>&1 | tee .build/pytest.log; \
	pystatus=$${PIPESTATUS[0]}; \
	echo "== XCTest: $$(grep -E 'Executed [0-9]+ tests' .build/test.log | tail -1 | sed 's/^[[:space:]]*//')"; \
	echo "== Python: $$(tail -1 .build/pytest.log)"; \
	[ $$status -eq 0 ] && exit $$pystatus; exit $$status

# The tests that take minutes each (valgrind memcheck of the installed C example, an hour of audio through
# detect and features under a 64 MB limit): skipped by `make test` (KWS_LONG_TESTS unset), run here; and the
# shipped-model tests in full (every model file, every clip), where `make test` runs a subset. CI runs both.
# Ends with XCTest's count line.
LONG_TESTS := ValgrindTests|LongFileMemoryTests|ZeroSkipShippedModelTests|ShippedModelAccuracyTests|OutlierAccuracyTests|HighwayAccuracyTests|OutlierShippedModelTests|OutlierModelFileTests
.PHONY: test-long
test-long: deps
	$(SWIFT) build --build-tests $(TEST_BUILD_FLAGS)
	KWS_LONG_TESTS=1 $(SWIFT) test --skip-build $(TEST_BUILD_FLAGS) --disable-swift-testing --filter '$(LONG_TESTS)' 2>&1 \
		| tee .build/test-long.log | awk -f Tests/xctest-progress.awk; \
	status=$${PIPESTATUS[0]}; \
	echo "== XCTest (long): $$(grep -E 'Executed [0-9]+ tests' .build/test-long.log | tail -1 | sed 's/^[[:space:]]*//')"; \
	exit $$status

# Every command in README.md's fenced shell blocks, run in README order from the checkout; the manifest
# Tests/docs/readme_commands.txt classifies each (run, run-as/replace into a temporary prefix or venv, skip
# with a reason), and a README command it does not know fails. Builds the release CLI for make demo (about
# 3.5 min from scratch, 25 s after). CI runs it after make test.
.PHONY: test-docs
test-docs: deps
	python3 Tests/docs/readme_commands.py

# The Python package's tests alone, against the debug build (README "Using kws from Python").
.PHONY: test-python
test-python: deps
	$(SWIFT) build --product KWSCAPI $(TEST_BUILD_FLAGS)
	$(SWIFT) build --product kws $(TEST_BUILD_FLAGS)
	KWS_BUILD_DIR=$(CURDIR)/.build/debug python/test.sh

# Every kws-bench section, then one table measured in the same run (Benchmarks/onnx/bench_table.py): kws int8
# and float on VNNI and AVX2-only kernels beside ONNX Runtime for the four architectures, the VNNI bound,
# MFCC against the FFTW floor, `kws stream` CPU per audio-second at 10/50/100 ms hop, peak RSS, first output.
bench: deps
	$(SWIFT) build -c release --product kws
	$(SWIFT) build -c release --product kws-bench
	.build/release/kws-bench
	BUILD=$(CURDIR)/.build/release BENCH_SCRIPT=bench_table.py Benchmarks/onnx/run.sh

# kws int8 vs ONNX Runtime fp32/int8 on the same weights (a venv with onnx + onnxruntime from PyPI in
# Benchmarks/onnx/.venv, made on first use).
.PHONY: bench-onnx
bench-onnx: deps
	$(SWIFT) build -c release --product kws
	$(SWIFT) build -c release --product kws-bench
	BUILD=$(CURDIR)/.build/release Benchmarks/onnx/run.sh

# The always-on benchmark (Training/README.md "Always-on training"): regenerates the negative corpus and the
# held-out streams (cached in Training/cache), then scores MODEL with the real streaming detector at its
# default operating point: recall on planted test-split keywords, false alarms per hour on >= 1 h of
# held-out speech, and the reversed-keyword and near-miss streams; draws the DET curve to det.svg.
MODEL ?= $(shell sed -n 's/.*defaultModelName = "\(.*\)"/\1/p' Sources/KWS/ModelCatalog.swift)
BENCH_STREAMS = Training/cache/bench
.PHONY: bench-stream
bench-stream: deps train-deps
	Training/install_audio_deps.sh
	$(SWIFT) build -c release --product kws
	cd Training && .venv/bin/python negatives.py && .venv/bin/python bench_streams.py
	$(BIN) eval --model $(MODEL) --stream $(BENCH_STREAMS)/positive.wav --truth $(BENCH_STREAMS)/positive.txt \
		--negative $(BENCH_STREAMS)/negative.wav --plot det.svg
	@for s in reversed nearmiss; do echo "== $$s.wav"; $(BIN) eval --model $(MODEL) --stream $(BENCH_STREAMS)/$$s.wav | sed -n 3p; done

# ---- reliability (README "Reliability"; none of these runs in make test) -----------------------------------
FUZZ_SECONDS ?= 120
FUZZ_RUNS    ?=
HOURS        ?= 24
.PHONY: fuzz test-sanitize soak
fuzz: deps
	FUZZ_RUNS=$(FUZZ_RUNS) Reliability/fuzz/run.sh $(FUZZ_SECONDS)

# Swift is checked by ASan (swiftc has no UBSan); the C kernels by ASan + UBSan (-fno-sanitize-recover: any
# undefined behaviour fails the run). LeakSanitizer is off here: at exit XCTest still holds every test case
# and its fixtures; leaks are checked by the valgrind tests and by `make fuzz`. The installed-library and
# valgrind tests are skipped: they run the products under other tools; so are the peak-RSS tests
# (LongFileMemoryTests.testAnHour…), whose 64 MB limit ASan's shadow memory and quarantine break (480 MB measured).
SANITIZE_UB := -Xcc -fsanitize=undefined -Xcc -fno-sanitize-recover=undefined -Xswiftc -Xclang-linker -Xswiftc -fsanitize=undefined
test-sanitize: deps
	ASAN_OPTIONS=detect_leaks=0 $(SWIFT) test --build-path .build/asan --sanitize=address $(SANITIZE_UB) \
		--disable-swift-testing --skip ValgrindTests --skip InstalledExampleTests --skip 'LongFileMemoryTests.testAnHour'
	$(SWIFT) test --build-path .build/tsan --sanitize=thread --disable-swift-testing \
		--filter 'ConcurrentSpottersTests|BusySpotterTests|ExitStatusCLITests'

soak: build
	Reliability/soak.py --hours $(HOURS) --binary $(BIN)

# The same through the C API: the C sample built against libkws installed into a private prefix.
SOAK_PREFIX := $(CURDIR)/.build/soak-prefix
.PHONY: soak-capi
soak-capi: install-build
	$(MAKE) install-files PREFIX=$(SOAK_PREFIX) DESTDIR=
	cc -std=c99 -O2 -Wall -o $(SOAK_PREFIX)/bin/kws-c-detect Samples/c/detect.c -I$(SOAK_PREFIX)/include \
		-L$(SOAK_PREFIX)/lib -lkws -Wl,-rpath,$(SOAK_PREFIX)/lib
	Reliability/soak.py --hours $(HOURS) --capi $(SOAK_PREFIX)/bin/kws-c-detect

# The C kernels on aarch64, by emulation (README "ARM64"): a C harness runs every variant against the scalar
# reference on the TC-ResNet layer shapes plus odd ones, natively and cross-built (static) under qemu-aarch64
# -cpu max and -cpu cortex-a72, and the three runs' checksums must be identical. About a minute; installs
# nothing (fails with one line naming the Debian packages when the cross compiler or qemu is missing).
.PHONY: test-arm64
test-arm64:
	Reliability/arm64/run.sh

train-deps:
	Training/setup_venv.sh

models: train-deps
	Training/reproduce.sh

clean:
	rm -rf .build

# ---- install / uninstall ------------------------------------------------------------------------------
# `make install PREFIX=DIR` builds (CONFIG, default release) and installs under DIR:
#   lib/libkws.so.1 (+ libkws.so link; soname libkws.so.1), bin/kws, include/kws.h, lib/pkgconfig/kws.pc,
#   share/kws/models/*.safetensors, and share/kws/install-manifest.
# libkws.so.1 is linked here from the objects SwiftPM compiled: the C API (CKWS and the library modules), the
# CLI (kws, whose entry SwiftPM names kws_main, and KWSAnalysis, its research tools) and ArgumentParser, with the Swift runtime and
# FoundationEssentials linked in statically (-static-stdlib) and stripped: one copy of the runtime for both,
# no Swift library beside it (the modules import FoundationEssentials, never Foundation, whose ICU data
# alone is ~40 MB). bin/kws is Launcher/kws.c, which calls kws_main, linked against it ($ORIGIN/../lib).
# About 16.3 MiB without models (README "Using kws from C"); a release install fails past INSTALL_MAX_BYTES
# (20 MiB), and InstalledExampleTests checks the debug one (its unoptimized code adds ~7 MB) and what it needs.
# `make uninstall PREFIX=DIR` removes exactly what the manifest lists: those files, then the directories
# install created (if empty). `make install-files CONFIG=debug` installs products already built in
# BUILD_DIR without building (the C API tests use it).
BUILD_DIR     ?= .build/$(CONFIG)
INSTALL_ROOT   = $(DESTDIR)$(PREFIX)
MANIFEST       = share/kws/install-manifest
KWS_VERSION    = $(shell sed -n 's/^\#define KWS_VERSION_STRING "\(.*\)"/\1/p' include/kws.h)
INSTALL_DIRS  := bin include lib lib/pkgconfig share share/kws share/kws/models
SWIFTC        ?= swiftc
# A release install without its models must stay within this (issue 15: 20 MiB; it is ~16.3 MiB).
INSTALL_MAX_BYTES ?= 20971520
# The object files of libkws.so.1: what SwiftPM linked into libKWSCAPI.so, plus the CLI's and ArgumentParser's.
LINK_LISTS     = $(BUILD_DIR)/KWSCAPI.product/Objects.LinkFileList $(BUILD_DIR)/kws.product/Objects.LinkFileList
# Appends a path relative to INSTALL_ROOT to the manifest.
record         = echo "$(1)" >> '$(INSTALL_ROOT)/$(MANIFEST)'

.PHONY: install install-build install-files install-check uninstall

install: install-build
	$(MAKE) install-files

install-build: deps
	$(SWIFT) build -c $(CONFIG) --product kws
	$(SWIFT) build -c $(CONFIG) --product KWSCAPI

install-check:
	@for f in $(BUILD_DIR)/libKWSCAPI.so $(BUILD_DIR)/kws $(LINK_LISTS); do \
		[ -f "$$f" ] || { echo "missing $$f: run 'make install' (or build CONFIG=$(CONFIG) first)" >&2; exit 1; }; done

install-files: install-check
	@created=; for dir in $(INSTALL_DIRS); do \
		[ -d '$(INSTALL_ROOT)'/$$dir ] || { install -d '$(INSTALL_ROOT)'/$$dir && created="$$created $$dir/"; }; done; \
	touch '$(INSTALL_ROOT)/$(MANIFEST)'; for dir in $$created; do $(call record,$$dir); done
	@# An older install bundled the Swift runtime in lib/kws/swift: remove what its manifest lists there.
	@grep '^lib/kws/' '$(INSTALL_ROOT)/$(MANIFEST)' | sort -r | while read -r path; do \
		case "$$path" in */) rmdir '$(INSTALL_ROOT)'/"$$path" 2>/dev/null || true;; *) rm -f '$(INSTALL_ROOT)'/"$$path";; esac; done; \
	sed -i '/^lib\/kws\//d' '$(INSTALL_ROOT)/$(MANIFEST)'
	@# (FoundationEssentials' archive makes the linker warn about mktemp, which kws never calls: dropped.)
	@objects=$$(mktemp); log=$$(mktemp); trap 'rm -f "$$objects" "$$log"' EXIT; \
	{ cat $(BUILD_DIR)/KWSCAPI.product/Objects.LinkFileList; \
	  grep -E '/(kws|KWSAnalysis|ArgumentParser|ArgumentParserToolInfo)\.build/' $(BUILD_DIR)/kws.product/Objects.LinkFileList; } | sort -u > "$$objects"; \
	echo "linking $(INSTALL_ROOT)/lib/libkws.so.1 ($$(wc -l < "$$objects") objects, -static-stdlib)"; \
	$(SWIFTC) -emit-library -static-stdlib -o '$(INSTALL_ROOT)/lib/libkws.so.1' -Xlinker -soname=libkws.so.1 \
		-Xlinker --gc-sections -Xlinker -z -Xlinker defs -l_FoundationCollections -l_FoundationCShims $$(pkg-config --libs fftw3f) @"$$objects" > "$$log" 2>&1 \
		|| { cat "$$log" >&2; exit 1; }; \
	grep -v "is dangerous, better use" "$$log" || true
	@# Stripped of its symbol table too (the Swift runtime's alone is ~16 MB); the C API stays in .dynsym.
	strip --strip-all '$(INSTALL_ROOT)/lib/libkws.so.1'
	@if ldd '$(INSTALL_ROOT)/lib/libkws.so.1' | grep -E 'libswift|libFoundation|_FoundationICU|libdispatch|not found'; then \
		echo "libkws.so.1 needs the libraries above: it must need only the C and C++ runtime and FFTW" >&2; exit 1; fi
	ln -sfn libkws.so.1 '$(INSTALL_ROOT)/lib/libkws.so'
	$(CC) -O2 -Wall -o '$(INSTALL_ROOT)/bin/kws' Launcher/kws.c -L'$(INSTALL_ROOT)/lib' -l:libkws.so.1 -Wl,-rpath,'$$ORIGIN/../lib'
	strip --strip-all '$(INSTALL_ROOT)/bin/kws'
	install -m 0644 include/kws.h '$(INSTALL_ROOT)/include/kws.h'
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(KWS_VERSION)|g' kws.pc.in > '$(INSTALL_ROOT)/lib/pkgconfig/kws.pc'
	@$(call record,lib/libkws.so.1); $(call record,lib/libkws.so); $(call record,bin/kws); \
	$(call record,include/kws.h); $(call record,lib/pkgconfig/kws.pc)
	@for model in Models/*.safetensors; do [ -e "$$model" ] || continue; \
		install -m 0644 "$$model" '$(INSTALL_ROOT)/share/kws/models/' && $(call record,share/kws/models/$$(basename $$model)); done
	@sort -u -o '$(INSTALL_ROOT)/$(MANIFEST)' '$(INSTALL_ROOT)/$(MANIFEST)'
	@bytes=$$(cd '$(INSTALL_ROOT)' && grep -v -e '/$$' -e '^share/kws/models/' '$(MANIFEST)' | xargs stat -c %s | awk '{ s += $$1 } END { print s + 0 }'); \
	echo "installed kws $(KWS_VERSION) under $(INSTALL_ROOT) ($$(grep -vc '/$$' '$(INSTALL_ROOT)/$(MANIFEST)') files," \
		"$$bytes bytes without the models)"; \
	if [ "$(CONFIG)" = release ] && [ "$$bytes" -gt $(INSTALL_MAX_BYTES) ]; then \
		echo "the installation without models is $$bytes bytes, over the $(INSTALL_MAX_BYTES) budget (issue 15)" >&2; exit 1; fi

uninstall:
	@manifest='$(INSTALL_ROOT)/$(MANIFEST)'; \
	if [ ! -f "$$manifest" ]; then echo "nothing to uninstall: no $$manifest"; exit 0; fi; \
	dirs=$$(grep '/$$' "$$manifest" | grep -v '\.\.' | sort -r); \
	grep -v -e '/$$' -e '\.\.' "$$manifest" | while read -r path; do rm -f '$(INSTALL_ROOT)'/"$$path"; done; \
	rm -f "$$manifest"; \
	for dir in $$dirs; do rmdir '$(INSTALL_ROOT)'/"$$dir" 2>/dev/null || true; done; \
	echo "uninstalled kws from $(INSTALL_ROOT)"
