# The front door. `make run` and `make test` each set up a fresh Debian 12 machine on their own (packages,
# configure, build); see README.md.

SHELL := /bin/bash
RELEASE_DIR := build/release
KCLINIC := $(RELEASE_DIR)/kclinic
# The demo clinic's database: git-ignored, and made afresh by every `make run`, because the demo's session in
# monitoring is "now" and --demo seeds only a database that holds no patient yet.
DEMO_DB := var/demo.db
SOURCES := $(shell find src bench -name '*.cpp' -o -name '*.hpp' 2>/dev/null)
# Fuzz targets are compiled only by the clang fuzz preset, so no debug compile command describes them.
LINT_SOURCES := $(filter src/%,$(filter-out %_test.cpp %_fuzz.cpp,$(filter %.cpp,$(SOURCES))))

.PHONY: all deps web build test fuzz run bench bench-hl7 bench-web soak format lint clean

all: build

deps:
	@scripts/install-deps

# The web front end (web/, README.md): web/dist, which CMake embeds in the server, so it is built first. `npm ci` runs
# only when package-lock.json is newer than the copy npm keeps in node_modules (a fresh checkout, a changed lock).
# Then the precompressed .gz siblings the server sends, and the first screen's JavaScript budget (fails over 150 KB).
web: deps web/node_modules/.package-lock.json
	@cd web && nice npm run build
	@cd web && nice node scripts/compress.mjs dist
	@cd web && node scripts/budget.mjs dist

web/node_modules/.package-lock.json: web/package-lock.json | deps
	@cd web && nice npm ci --no-audit --no-fund

build: deps web
	@cmake --preset release >/dev/null
	@cmake --build --preset release

# What CI runs: warnings are errors, AddressSanitizer and UBSan on, every test through CTest.
test: deps web
	@cmake --preset ci >/dev/null
	@cmake --build --preset ci
	@ctest --preset ci
	@$(MAKE) --no-print-directory fuzz

# Every parser that takes outside bytes, fuzzed (libFuzzer, so clang) under ASan and UBSan: the strict JSON body
# reader, the intake reader, the HTTP request head, the live channel's messages, the query parameters and the HL7
# parser (docs/security.md, docs/hl7.md). Each target runs FUZZ_SECONDS, two at a time; `make fuzz FUZZ_SECONDS=600`
# for a longer hunt.
FUZZ_SECONDS ?= 30
fuzz: deps
	@cmake --preset fuzz -DKCLINIC_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build build/fuzz --target kclinic_fuzz_targets
	@ctest --test-dir build/fuzz -L '^fuzz$$' -j2 --output-on-failure

# The server with the synthetic demo clinic on loopback: prints the URL and the demo logins; Ctrl-C stops it.
run: build
	@mkdir -p $(dir $(DEMO_DB))
	@rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	@$(KCLINIC) serve --demo --db sqlite:$(DEMO_DB)

bench: build
	@$(RELEASE_DIR)/bench/kclinic_bench --benchmark_min_time=0.2
	@$(RELEASE_DIR)/bench/kclinic_scheduling_bench --benchmark_min_time=0.5
	@$(RELEASE_DIR)/bench/kclinic_storage_bench
	@$(RELEASE_DIR)/bench/kclinic_credentials_bench
	@$(RELEASE_DIR)/bench/kclinic_hl7_bench --benchmark_min_time=0.2
	@bench/http/run $(RELEASE_DIR)

# The bedside-monitor feed (bench/mllp_bench.cpp): durable HL7 messages/s and end-to-end latency through a real
# `kclinic serve --mllp`, beside a do-nothing MLLP ACKer and the disk's fsync/s (docs/benchmarks.md "The MLLP feed").
# Only its two programs are built; about a minute.
bench-hl7: deps web
	@cmake --preset release >/dev/null
	@cmake --build --preset release --target kclinic kclinic_mllp_bench
	@$(RELEASE_DIR)/bench/kclinic_mllp_bench --seconds 10

# The web front end in headless Chromium (bench/web/run.mjs): the five-year chart's render time and the live board's
# CPU. Apart from `make bench` because seeding its data through the use cases takes minutes (docs/benchmarks.md).
bench-web: build
	@node bench/web/run.mjs

# Soak under faults (bench/soak/soak.py, docs/benchmarks.md "Soak under faults"): the release server under mixed clinic
# traffic for SOAK_SECONDS per backend while it is killed with SIGKILL, its PostgreSQL server is restarted underneath
# and the disk under its SQLite file fills (a tmpfs, so as root); fails on a lost, doubled or unaudited record, a 500,
# a leak. `make test` runs a 25-second version on the CI build.
SOAK_SECONDS ?= 300
soak: deps web
	@cmake --preset release >/dev/null
	@cmake --build --preset release --target kclinic
	@python3 bench/soak/soak.py --kclinic $(KCLINIC) --seconds $(SOAK_SECONDS)

format:
	@clang-format -i $(SOURCES)

# clang-tidy reads the build's flags, which include g++ 12's -Wno-restrict (cmake/KclinicModule.cmake): unknown to clang.
lint: deps
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug
	@clang-format --dry-run --Werror $(SOURCES)
	@clang-tidy --quiet --extra-arg=-Wno-unknown-warning-option -p build/debug $(LINT_SOURCES)

clean:
	@rm -rf build
