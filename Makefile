# The front door. `make run` and `make test` each set up a fresh Debian 12 machine on their own (packages,
# configure, build); see README.md.

SHELL := /bin/bash
RELEASE_DIR := build/release
KCLINIC := $(RELEASE_DIR)/kclinic
SOURCES := $(shell find src bench -name '*.cpp' -o -name '*.hpp' 2>/dev/null)
LINT_SOURCES := $(filter src/%,$(filter-out %_test.cpp,$(filter %.cpp,$(SOURCES))))

.PHONY: all deps build test run bench format lint clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release

# What CI runs: warnings are errors, AddressSanitizer and UBSan on, every test through CTest.
test: deps
	@cmake --preset ci >/dev/null
	@cmake --build --preset ci
	@ctest --preset ci

run: build
	@scripts/demo $(KCLINIC)

bench: build
	@$(RELEASE_DIR)/bench/kclinic_bench --benchmark_min_time=0.2
	@$(RELEASE_DIR)/bench/kclinic_storage_bench
	@$(RELEASE_DIR)/bench/kclinic_credentials_bench
	@bench/http/run $(RELEASE_DIR)

format:
	@clang-format -i $(SOURCES)

lint: deps
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug
	@clang-format --dry-run --Werror $(SOURCES)
	@clang-tidy --quiet -p build/debug $(LINT_SOURCES)

clean:
	@rm -rf build
