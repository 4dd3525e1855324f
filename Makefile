# crmlint - build, test, demo, bench, install.
#
#   make              build/crmlint
#   make test         unit tests (Check) and end-to-end tests
#   make sanitize     the same tests under ASan+UBSan (build-san/)
#   make tsan         the threaded checking under ThreadSanitizer (clang)
#   make valgrind     unit tests and the demo under Valgrind's memcheck
#   make demo         lint the bundled demo export
#   make bench        throughput benchmark on a generated 1M-row export
#   make bad          the bad-input corpus (fixtures/bad; part of test and sanitize)
#   make fuzz         every libFuzzer harness for FUZZ_SECONDS (60) each; fuzz-smoke: 10 s
#   make install PREFIX=/usr/local
#
# Targets that need libraries first run ci/install-deps.sh, which installs
# whatever Debian packages are missing (as root) and does nothing otherwise.

CC      ?= cc
BUILD   ?= build
PREFIX  ?= /usr/local
PKGS    := libpcre2-8 yaml-0.1 zlib libutf8proc

OPT     ?= -O2
SAN     ?=
CFLAGS  ?= $(OPT) -g
CFLAGS  += $(SAN) -pthread -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  += -lcsv $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread
LDFLAGS += $(SAN)
CHECK_LIBS := $(shell pkg-config --libs check 2>/dev/null)

LIB_SRC := $(sort $(filter-out lint/main.c,$(wildcard lint/*.c)))
LIB_OBJ := $(LIB_SRC:lint/%.c=$(BUILD)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOLS_SRC := $(sort $(wildcard tests/tools/*.c))
TOOLS_BIN := $(TOOLS_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all deps test unit e2e tsan valgrind bad sanitize demo bench install clean format \
        fuzz fuzz-smoke fuzz-build fuzz-run fuzz-deps

all: $(BUILD)/crmlint

deps:
	@./ci/install-deps.sh

$(BUILD)/obj/%.o: lint/%.c | $(BUILD)/obj
	$(CC) $(CFLAGS) -MMD -MP -c -o $@ $<

-include $(wildcard $(BUILD)/obj/*.d)

$(BUILD)/libcrmlint.a: $(LIB_OBJ)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/crmlint: $(BUILD)/obj/main.o $(BUILD)/libcrmlint.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libcrmlint.a | $(BUILD)/tests
	$(CC) $(CFLAGS) -iquote lint $(LDFLAGS) -o $@ $< $(BUILD)/libcrmlint.a $(CHECK_LIBS) $(LDLIBS)

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libcrmlint.a | $(BUILD)/tools
	$(CC) $(CFLAGS) -iquote lint $(LDFLAGS) -o $@ $< $(BUILD)/libcrmlint.a $(LDLIBS)

$(BUILD)/obj $(BUILD)/tests $(BUILD)/tools:
	mkdir -p $@

# The public targets install missing packages first, then build in a
# sub-make so pkg-config sees the freshly installed libraries.
test: deps
	@$(MAKE) --no-print-directory unit e2e bad

unit: $(UNIT_BIN)
	@fail=0; for t in $(UNIT_BIN); do \
	    CK_DEFAULT_TIMEOUT=60 CK_VERBOSITY=minimal ./$$t || fail=1; \
	done; exit $$fail

e2e: $(BUILD)/crmlint $(TOOLS_BIN)
	@BUILD=$(BUILD) ./tests/e2e/run.sh

bad: $(BUILD)/crmlint
	@BUILD=$(BUILD) ./tests/bad/run.sh

# The sanitizers go in SAN, so the warning flags and -Werror still apply.
sanitize: deps
	@$(MAKE) --no-print-directory BUILD=build-san OPT=-O1 \
	    SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    unit e2e bad

# Valgrind's memcheck over every unit test and the demo lint: no invalid
# access, no leak.  PCRE2's JIT code is opaque to Valgrind, so it is off.
valgrind:
	@./ci/install-deps.sh --dev
	@$(MAKE) --no-print-directory $(UNIT_BIN) $(BUILD)/crmlint
	@fail=0; for t in $(UNIT_BIN) "$(BUILD)/crmlint lint --pack rules/demo.yaml --format json \
	        --output /dev/null fixtures/salesforce/Account.csv fixtures/salesforce/Lead.csv \
	        fixtures/salesforce/Opportunity.csv"; do \
	    CRMLINT_NO_JIT=1 CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full \
	        --errors-for-leak-kinds=definite,indirect $$t >/dev/null 2>$(BUILD)/valgrind.log; \
	    rc=$$?; if [ $$rc -eq 99 ] || [ $$rc -gt 1 ]; then \
	        echo "valgrind: $$t failed ($$rc)"; cat $(BUILD)/valgrind.log; fail=1; fi; \
	done; [ $$fail -eq 0 ] && echo "valgrind: every unit test and the demo lint are clean"; exit $$fail

# ThreadSanitizer (clang) over the tests that run threads: the job pool on its
# own, one regex shared by threads, and whole runs with chunked files.
TSAN_TESTS := test_jobpool test_regex test_jobs
tsan:
	@./ci/install-deps.sh --dev
	@$(MAKE) --no-print-directory BUILD=build-tsan CC=clang OPT=-O1 SAN=-fsanitize=thread \
	    $(TSAN_TESTS:%=build-tsan/tests/%)
	@for t in $(TSAN_TESTS); do \
	    TSAN_OPTIONS=halt_on_error=1 CK_FORK=no ./build-tsan/tests/$$t || exit 1; done

demo: deps
	@$(MAKE) --no-print-directory $(BUILD)/crmlint
	@./ci/demo.sh $(BUILD)/crmlint

bench: deps
	@$(MAKE) --no-print-directory OPT="-O2 -DNDEBUG" $(BUILD)/crmlint $(TOOLS_BIN)
	@BUILD=$(BUILD) ./ci/bench.sh

install: $(BUILD)/crmlint
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/crmlint/rules \
	    $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BUILD)/crmlint $(DESTDIR)$(PREFIX)/bin/crmlint
	install -m 644 rules/*.yaml $(DESTDIR)$(PREFIX)/share/crmlint/rules/
	install -m 644 doc/crmlint.1 $(DESTDIR)$(PREFIX)/share/man/man1/crmlint.1

# ---- fuzzing: libFuzzer harnesses in tests/fuzz (clang; see tests/fuzz/run.sh) ----
# The library is rebuilt with coverage instrumentation and ASan+UBSan into
# $(BUILD)/fuzz; corpora grow in $(BUILD)/fuzz/corpus/NAME, seeded from fixtures/.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := $(BUILD)/fuzz
FUZZ_CFLAGS  := -pthread -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all -std=c11 -Wall -Wextra -Werror -Wshadow \
                -Wstrict-prototypes -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
                $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
FUZZ_OBJ := $(LIB_SRC:lint/%.c=$(FUZZ_BUILD)/obj/%.o)

$(FUZZ_BUILD)/obj/%.o: lint/%.c | $(FUZZ_BUILD)/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

-include $(wildcard $(FUZZ_BUILD)/obj/*.d)

$(FUZZ_BUILD)/libcrmlint.a: $(FUZZ_OBJ)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(wildcard tests/fuzz/*.h) $(FUZZ_BUILD)/libcrmlint.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -iquote lint -o $@ $< \
	    $(FUZZ_BUILD)/libcrmlint.a $(LDLIBS)

$(FUZZ_BUILD)/obj:
	mkdir -p $@

fuzz-deps:
	@./ci/install-deps.sh --dev

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory fuzz-run

fuzz-smoke: fuzz-deps
	@$(MAKE) --no-print-directory FUZZ_SECONDS=10 fuzz-run

fuzz-build: $(FUZZ_BIN)

fuzz-run: $(FUZZ_BIN)
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) ./tests/fuzz/run.sh

format:
	clang-format -i lint/*.c lint/*.h tests/unit/*.c tests/unit/*.h tests/tools/*.c \
	    tests/fuzz/*.c tests/fuzz/*.h

clean:
	rm -rf build build-san build-tsan
