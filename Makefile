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

.PHONY: run test deps-build deps-test headless bench frames check-scenarios

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

# The frame budget beside the minimal Bevy scene, every scenario at Low and High (about 15 min;
# not part of `make test`): prints the README's "Frame budget, measured" table.
frames: deps-test
	benches/frames.sh

check-scenarios:
	cargo run --no-default-features -- check scenarios/*.ron

# The voice measure's test recordings (tests/fixtures/voice/, see its README.md): synthesised
# once with espeak-ng, resampled to 16 kHz mono 16-bit, trimmed to 0.15 s of silence either end
# and set to a peak level with sox.
# Each line: file, espeak-ng pitch (-p), speed (-s, words/min), peak level (dBFS), sentence.
VOICE_DIR := tests/fixtures/voice
VOICE_SAY := Hi, I'm Sam. Can we talk?
VOICE_CMD := Put the knife down.
define voice_take
	espeak-ng -v en-us -p $(2) -s $(3) -w $(VOICE_DIR)/tmp.wav "$(5)"
	sox -D $(VOICE_DIR)/tmp.wav -r 16000 -c 1 -b 16 $(VOICE_DIR)/$(1) \
	  silence 1 0.02 0.1% reverse silence 1 0.02 0.1% reverse pad 0.15 0.15 gain -n $(4)
endef

.PHONY: voice-fixtures
voice-fixtures:
	@missing=""; for p in espeak-ng sox; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi
	$(call voice_take,calibration-normal.wav,50,165,-12,$(VOICE_SAY))
	$(call voice_take,calibration-firm.wav,55,170,-5,$(VOICE_CMD))
	$(call voice_take,calm-sentence.wav,38,135,-20,$(VOICE_SAY))
	$(call voice_take,calm-command.wav,40,130,-20,$(VOICE_CMD))
	$(call voice_take,neutral-sentence.wav,50,170,-12,$(VOICE_SAY))
	$(call voice_take,neutral-command.wav,50,170,-12,$(VOICE_CMD))
	$(call voice_take,firm-sentence.wav,55,175,-6,$(VOICE_SAY))
	$(call voice_take,firm-command.wav,55,175,-5,$(VOICE_CMD))
	$(call voice_take,commanding-command.wav,70,190,-1,$(VOICE_CMD))
	$(call voice_take,shouting-command.wav,85,200,+10,$(VOICE_CMD))
	$(call voice_take,higher-sentence.wav,75,170,-12,$(VOICE_SAY))
	$(call voice_take,faster-sentence.wav,50,260,-12,$(VOICE_SAY))
	rm -f $(VOICE_DIR)/tmp.wav
	cargo run --no-default-features -q -- tone $(VOICE_DIR)/calibration-normal.wav \
	  $(VOICE_DIR)/calibration-firm.wav --write-calibration $(VOICE_DIR)/calibration.ron
