# Two entry points for a fresh Linux machine (Debian/Ubuntu):
#   make run    build and open the 3D trainer on a bundled scenario
#   make test   install what the tests need and run them all
# Both install missing system packages with apt-get first (as root, or via sudo).

SCENARIO ?= scenarios/knife_sidewalk.ron
CARGO_TARGET_DIR ?= $(HOME)/.cache/deescalate-target
export CARGO_TARGET_DIR

BUILD_PKGS := pkg-config libasound2-dev
TEST_PKGS  := $(BUILD_PKGS) xvfb xauth mesa-vulkan-drivers
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test deps-build deps-test headless bench check-scenarios

deps-build:
	@missing=""; for p in $(BUILD_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

deps-test:
	@missing=""; for p in $(TEST_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

run: deps-build
	cargo run -- play $(SCENARIO)

# First the engine-free core (builds without Bevy), then the trainer's own tests:
# unit tests, the headless Bevy app tests, and the render test under Xvfb + lavapipe.
test: deps-test
	cargo test --no-default-features
	cargo test --lib --test app --test instructor --test render

# A headless playthrough that prints the debrief (no window, no bevy).
headless:
	cargo run --no-default-features -- run $(SCENARIO) --script tests/transcripts/knife_sidewalk/knife_down_care.txt --no-record

bench:
	CARGO_TARGET_DIR=$(HOME)/.cache/deescalate-core-target cargo bench --no-default-features --bench engine

check-scenarios:
	cargo run --no-default-features -- check scenarios/*.ron
