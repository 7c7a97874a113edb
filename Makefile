# Arca: one Makefile builds everything (kernel, libsel4 users, tests, tools).
#
#   make            build the kernel and the default system
#   make run        boot the default system in QEMU on this terminal
#   make test       host tests + in-QEMU tests; last line "N passed, N failed"
#   make bench      benchmarks under QEMU -icount (tools/bench.py): table + results.json
#   make debug      boot halted with QEMU's gdb stub; prints how to attach
#   make clean
#
# Missing Debian packages are installed by tools/deps.sh (or it says what to
# install when not root).

# No built-in rules: they would try to "link" dependency files.
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

BUILD     ?= build
CC        := gcc
LD        := ld
OBJCOPY   := objcopy
AR        := ar
PYTHON    := python3
GCC_INC   := $(shell $(CC) -print-file-name=include)

WARN      := -Wall -Wextra -Werror
OPT       := -O2 -g

# --- kernel -----------------------------------------------------------------
KERNEL_CFLAGS := -std=gnu11 $(OPT) $(WARN) -ffreestanding -fno-stack-protector \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mno-mmx -mno-sse -mno-sse2 \
	-mno-80387 -fno-omit-frame-pointer -fno-strict-aliasing \
	-nostdinc -isystem $(GCC_INC) \
	-Ikernel/include -Ikernel/arch/x86_64/include -Ikernel/plat/pc -Ilibsel4/include \
	-MMD -MP
# make FASTPATH=0 compiles the IPC fastpath out (kernel/api/fastpath.c).
FASTPATH  ?= 1
KERNEL_CFLAGS += -DCONFIG_FASTPATH=$(FASTPATH)
# make DOMAINS=n builds kernel and user code for n scheduling domains
# (configuration Q has 1); make test also builds and boots a DOMAINS=4 system.
DOMAINS   ?= 1
ifneq ($(DOMAINS),1)
DOMAIN_FLAGS := -DCONFIG_NUM_DOMAINS=$(DOMAINS) -DCONFIG_NUM_DOMAIN_SCHEDULES=100
endif
KERNEL_CFLAGS += $(DOMAIN_FLAGS)
KERNEL_ASFLAGS := -Ikernel/include -Ikernel/arch/x86_64/include -D__ASSEMBLER__ -MMD -MP

KERNEL_C  := $(wildcard kernel/core/*.c kernel/object/*.c kernel/api/*.c \
	kernel/arch/x86_64/*.c kernel/plat/pc/*.c)
KERNEL_S  := $(wildcard kernel/arch/x86_64/*.S)
KERNEL_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C)) $(patsubst %.S,$(BUILD)/%.o,$(KERNEL_S))
KERNEL_ELF := $(BUILD)/kernel.elf
KERNEL_IMG := $(BUILD)/kernel32.elf

# --- user level -------------------------------------------------------------
USER_CFLAGS := -std=gnu11 $(OPT) $(WARN) -ffreestanding -fno-stack-protector \
	-fno-pie -fno-pic -mcmodel=small -nostdinc -isystem $(GCC_INC) \
	-Iuser/libc/include -Ilibsel4/include -MMD -MP $(DOMAIN_FLAGS)
USER_LDFLAGS := -static -nostdlib -z max-page-size=4096 -T user/crt/user.ld

LIBC_C    := $(wildcard user/libc/*.c) libsel4/src/ipcbuffer.c
LIBC_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(LIBC_C))
LIBC_A    := $(BUILD)/user/libc.a
CRT_OBJ   := $(BUILD)/user/crt/crt0.o $(BUILD)/user/crt/start.o

ROOT_C    := $(wildcard user/root/*.c)
ROOT_ELF  := $(BUILD)/user/root.elf
TESTS_C   := $(wildcard tests/kernel/*.c)
TESTS_S   := $(wildcard tests/kernel/*.S)
TESTS_ELF := $(BUILD)/tests/kernel-tests.elf
# One root task per way of faulting without a handler (tests/crash/crash.c).
CRASH_SCENARIOS := null ud2 syscall int80 hlt kernel-read kernel-write nx capfault \
	softint div0 recv flags
CRASH_OBJ_DEPS = $(CRT_OBJ)
CRASH_ELFS := $(patsubst %,$(BUILD)/tests/crash-%.elf,$(CRASH_SCENARIOS))
# The multi-domain suite (tests/domains/ plus the framework), for DOMAINS > 1.
DOMAIN_TESTS_C := $(wildcard tests/domains/*.c) tests/kernel/framework.c \
	tests/kernel/util.c tests/kernel/thread_util.c
DOMAIN_TESTS_ELF := $(BUILD)/tests/domains.elf
# A user-level COM2 driver run as the root task (tests/uart/, UART_0001).
UART_C    := $(wildcard tests/uart/*.c)
UART_ELF  := $(BUILD)/tests/uart.elf

# --- host tests -------------------------------------------------------------
# -fno-pie/-no-pie keep static data below 2^46, so the CSpace tests can put
# CNodes in static arrays (a CNode cap holds the CNode's address in 40 bits).
# tests/host/include comes first: its arch/layout.h makes paddr_to_kptr the
# identity on the host.
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -fsanitize=address,undefined \
	-fno-omit-frame-pointer -fno-sanitize-recover=all -fno-pie -DARCA_HOST_TEST \
	-Ikernel/include -Itests/host/include -Ikernel/arch/x86_64/include -Ikernel/plat/pc \
	-Ilibsel4/include -Itests/host -MMD -MP
HOST_LDFLAGS := -no-pie
# The kernel's pure logic, compiled for the host.
HOST_KERNEL_C := kernel/core/printf.c kernel/core/multiboot.c kernel/core/bootmem.c \
	kernel/core/elf.c kernel/core/untyped_regions.c kernel/core/cspace.c \
	kernel/core/cap.c kernel/core/cdt.c kernel/core/delete.c \
	kernel/plat/pc/acpi_tables.c
HOST_TEST_C := $(wildcard tests/host/*.c)
HOST_TEST_BIN := $(BUILD)/host/host-tests

.PHONY: all run test debug clean deps host-test qemu-test images domain-images
all: $(KERNEL_IMG) $(ROOT_ELF) $(TESTS_ELF) $(CRASH_ELFS) $(UART_ELF)
images: all

# --- kernel rules -----------------------------------------------------------
$(BUILD)/kernel/%.o: kernel/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/kernel/%.o: kernel/%.S
	@mkdir -p $(dir $@)
	$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJ) kernel/arch/x86_64/kernel.ld
	$(LD) -n -nostdlib -z max-page-size=4096 --no-warn-rwx-segments -T kernel/arch/x86_64/kernel.ld \
		-o $@ $(KERNEL_OBJ)

# QEMU's Multiboot loader takes only 32-bit ELF files (abi/README.md).
$(KERNEL_IMG): $(KERNEL_ELF)
	$(OBJCOPY) -O elf32-i386 $< $@

# --- user rules -------------------------------------------------------------
$(BUILD)/user/%.o: user/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/user/%.o: user/%.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/libsel4/%.o: libsel4/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(BUILD)/tests/kernel/%.o: tests/kernel/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/kernel -c $< -o $@

$(BUILD)/tests/kernel/%.o: tests/kernel/%.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/kernel -c $< -o $@

$(BUILD)/tests/crash/crash-%.o: tests/crash/crash.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -DCRASH_NAME='"$*"' -c $< -o $@

$(BUILD)/tests/crash-%.elf: $(CRASH_OBJ_DEPS) $(BUILD)/tests/crash/crash-%.o $(LIBC_A) user/crt/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(CRT_OBJ) $(BUILD)/tests/crash/crash-$*.o $(LIBC_A)

$(BUILD)/tests/uart/%.o: tests/uart/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

$(UART_ELF): $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(UART_C)) $(LIBC_A) user/crt/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(UART_C)) $(LIBC_A)

$(BUILD)/tests/domains/%.o: tests/domains/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/kernel -c $< -o $@

$(DOMAIN_TESTS_ELF): $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(DOMAIN_TESTS_C)) $(LIBC_A) user/crt/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(DOMAIN_TESTS_C)) $(LIBC_A)

domain-images: $(KERNEL_IMG) $(DOMAIN_TESTS_ELF)

$(LIBC_A): $(LIBC_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(ROOT_ELF): $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(ROOT_C)) $(LIBC_A) user/crt/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(ROOT_C)) $(LIBC_A)

$(TESTS_ELF): $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(TESTS_C)) \
		$(patsubst %.S,$(BUILD)/%.o,$(TESTS_S)) $(LIBC_A) user/crt/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(TESTS_C)) \
		$(patsubst %.S,$(BUILD)/%.o,$(TESTS_S)) $(LIBC_A)

# --- host tests -------------------------------------------------------------
$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

$(HOST_TEST_BIN): $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_TEST_C) $(HOST_KERNEL_C))
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) -o $@ $^

# --- commands ---------------------------------------------------------------
deps:
	@tools/deps.sh

run: deps all
	@$(PYTHON) tools/qemu.py run --kernel $(KERNEL_IMG) --root $(ROOT_ELF)

debug: deps all
	@$(PYTHON) tools/qemu.py debug --kernel $(KERNEL_IMG) --root $(ROOT_ELF) \
		--symbols $(KERNEL_ELF)

host-test: $(HOST_TEST_BIN)
	@mkdir -p $(BUILD)/logs
	@$(HOST_TEST_BIN) | tee $(BUILD)/logs/host-tests.log

qemu-test: deps all
	@$(PYTHON) tools/qemu.py test --kernel $(KERNEL_IMG) --root $(TESTS_ELF) \
		--logdir $(BUILD)/logs

test: deps
	@mkdir -p $(BUILD)/logs
	@{ $(MAKE) --no-print-directory all $(HOST_TEST_BIN) && \
	   $(MAKE) --no-print-directory BUILD=$(BUILD)/domains DOMAINS=4 domain-images; } \
		> $(BUILD)/logs/build.log 2>&1 || \
		{ tail -40 $(BUILD)/logs/build.log; echo "build failed; log: $(BUILD)/logs/build.log"; \
		  echo "0 passed, 1 failed"; exit 1; }
	@$(PYTHON) tools/testrun.py --build $(BUILD)

clean:
	rm -rf $(BUILD)

# --- benchmarks (make bench; not part of all/test) ---------------------------
# The benchmark root task (bench/) boots under QEMU with -icount, twice (IPC
# fastpath on and off); tools/bench.py prints the table and writes
# $(BUILD)/bench/results.json.
BENCH_C   := $(wildcard bench/*.c)
BENCH_S   := $(wildcard bench/*.S)
BENCH_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(BENCH_C)) $(patsubst %.S,$(BUILD)/%.o,$(BENCH_S))
BENCH_ELF := $(BUILD)/bench/bench.elf

$(BUILD)/bench/%.o: bench/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Ibench -c $< -o $@

$(BUILD)/bench/%.o: bench/%.S
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Ibench -c $< -o $@

$(BENCH_ELF): $(CRT_OBJ) $(BENCH_OBJ) $(LIBC_A) user/crt/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(CRT_OBJ) $(BENCH_OBJ) $(LIBC_A)

.PHONY: bench
bench: deps $(KERNEL_IMG) $(BENCH_ELF)
	@$(PYTHON) tools/bench.py --kernel $(KERNEL_IMG) --root $(BENCH_ELF) \
		--out $(BUILD)/bench/results.json --logdir $(BUILD)/bench

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
