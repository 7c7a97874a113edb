# Arca: one Makefile builds everything (kernel, libsel4 users, tests, tools).
#
#   make            build the kernel and the default system
#   make run        boot the default system in QEMU on this terminal (the shell)
#   make clean-disk forget the default system's disk image (build/disk.img)
#   make APP=DIR app-run   build and boot your own system (docs/tutorial.md)
#   make test       host tests + in-QEMU tests; last line "N passed, N failed"
#   make bench      benchmarks under QEMU -icount (tools/bench.py): table + results.json
#   make fuzz-host  libFuzzer targets for the kernel's pure logic (tests/fuzz/)
#   make fuzz       the syscall fuzzer root task under QEMU (fuzz/, tools/fuzz.py)
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
# make RELEASE=1: the kernel configuration that benchmarks compare with
# seL4's release build: no invariant checker (invariants=N is ignored) and
# no frame pointers. (Kernel asserts are compiled out in both builds.)
RELEASE   ?= 0
ifeq ($(RELEASE),1)
KERNEL_CFLAGS := $(filter-out -fno-omit-frame-pointer,$(KERNEL_CFLAGS)) -fomit-frame-pointer \
	-DCONFIG_RELEASE=1
endif
KERNEL_ASFLAGS := -Ikernel/include -Ikernel/arch/x86_64/include -D__ASSEMBLER__ -DCONFIG_FASTPATH=$(FASTPATH) -MMD -MP

KERNEL_C  := $(wildcard kernel/core/*.c kernel/object/*.c kernel/api/*.c \
	kernel/arch/x86_64/*.c kernel/plat/pc/*.c)
KERNEL_S  := $(wildcard kernel/arch/x86_64/*.S)
KERNEL_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C)) $(patsubst %.S,$(BUILD)/%.o,$(KERNEL_S))
KERNEL_ELF := $(BUILD)/kernel.elf
KERNEL_IMG := $(BUILD)/kernel32.elf

# --- user level -------------------------------------------------------------
USER_CFLAGS := -std=gnu11 $(OPT) $(WARN) -ffreestanding -fno-stack-protector \
	-fno-pie -fno-pic -mcmodel=small -nostdinc -isystem $(GCC_INC) \
	-Iuser/libc/include -Iuser/include -Iuser/microkit/include -Ilibsel4/include -MMD -MP \
	$(DOMAIN_FLAGS)
USER_LDFLAGS := -static -nostdlib -z max-page-size=4096 -T user/crt/user.ld

LIBC_C    := $(wildcard user/libc/*.c) libsel4/src/ipcbuffer.c
LIBC_OBJ  := $(patsubst %.c,$(BUILD)/%.o,$(LIBC_C))
LIBC_A    := $(BUILD)/user/libc.a
CRT_OBJ   := $(BUILD)/user/crt/crt0.o $(BUILD)/user/crt/start.o

ROOT_C    := $(wildcard user/root/*.c)
ROOT_ELF  := $(BUILD)/user/root.elf
# The default system (see "The default system" below) and its disk image.
DEFAULT_SYSTEM := $(BUILD)/sysinit/default/sysinit.elf
DISK_IMG  := $(BUILD)/disk.img
DISK_SIZE ?= 16M
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
# The interrupt-latency test (tests/latency/, LATENCY_0001), a boot of its own.
LATENCY_C := $(wildcard tests/latency/*.c) tests/kernel/framework.c \
	tests/kernel/util.c tests/kernel/thread_util.c
LATENCY_ELF := $(BUILD)/tests/latency.elf
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
	-Ilibsel4/include -Itests/host -Iuser/include -MMD -MP
HOST_LDFLAGS := -no-pie
# The kernel's pure logic, compiled for the host.
HOST_KERNEL_C := kernel/core/printf.c kernel/core/multiboot.c kernel/core/bootmem.c \
	kernel/core/elf.c kernel/core/untyped_regions.c kernel/core/cspace.c \
	kernel/core/cap.c kernel/core/cdt.c kernel/core/delete.c kernel/core/preempt.c \
	kernel/object/badged_sends.c \
	kernel/core/invariants_objects.c kernel/core/invariants_vspace.c \
	kernel/object/asid.c \
	kernel/plat/pc/acpi_tables.c
# The file system core (user/components/fs/fscore.h) is pure C as well.
FSCORE_C := user/components/fs/fscore.c user/components/fs/fscheck.c \
	user/components/fs/fserror.c
HOST_KERNEL_C += $(FSCORE_C)
# tools/fsck.c: checks disk images with the same code (FS_005x tests).
FSCK_BIN := $(BUILD)/host/fsck
HOST_TEST_C := $(wildcard tests/host/*.c)
# User-level code tested on the host too; client libraries compile against
# a stand-in <microkit.h> (tests/host/fake-microkit/).
HOST_USER_C := user/components/shell/shell_cmd.c user/components/console/client.c
$(BUILD)/host/user/components/console/client.o: HOST_CFLAGS += -Itests/host/fake-microkit
# The file service's client and server (tests/host/test_fsproto.c).
HOST_USER_C += user/components/fs/client.c user/components/fs/server.c
$(BUILD)/host/user/components/fs/client.o $(BUILD)/host/user/components/fs/server.o \
	$(BUILD)/host/tests/host/test_fsproto.o: HOST_CFLAGS += -Itests/host/fake-microkit
HOST_TEST_BIN := $(BUILD)/host/host-tests

.PHONY: all run test debug clean deps host-test qemu-test images domain-images
all: $(KERNEL_IMG) $(ROOT_ELF) $(TESTS_ELF) $(CRASH_ELFS) $(UART_ELF) $(LATENCY_ELF)
images: all

# --- kernel rules -----------------------------------------------------------
# The fastpath's entry points are called only from the syscall stub and never
# return, so nothing needs the callee-saved registers kept: letting the
# compiler treat them as scratch saves the pushes in their prologues.
$(BUILD)/kernel/api/fastpath.o: KERNEL_CFLAGS += -fcall-used-rbx -fcall-used-r12 \
	-fcall-used-r13 -fcall-used-r14 -fcall-used-r15
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

$(BUILD)/tests/latency/%.o: tests/latency/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -Itests/kernel -c $< -o $@

$(LATENCY_ELF): $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(LATENCY_C)) $(LIBC_A) user/crt/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(CRT_OBJ) $(patsubst %.c,$(BUILD)/%.o,$(LATENCY_C)) $(LIBC_A)

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

$(HOST_TEST_BIN): $(patsubst %.c,$(BUILD)/host/%.o,$(HOST_TEST_C) $(HOST_KERNEL_C) $(HOST_USER_C))
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) -o $@ $^

$(FSCK_BIN): $(patsubst %.c,$(BUILD)/host/%.o,tools/fsck.c $(FSCORE_C))
	$(CC) $(HOST_CFLAGS) $(HOST_LDFLAGS) -o $@ $^

# --- commands ---------------------------------------------------------------
deps:
	@tools/deps.sh

# The default system with the shell on this terminal (Ctrl-A X quits).
# The disk image is order-only: rebuilding anything never replaces it.
# RUN_TIMEOUT: seconds before QEMU is stopped (a day by default).
RUN_TIMEOUT ?= 86400
run: deps all $(DEFAULT_SYSTEM) | $(DISK_IMG)
	@$(PYTHON) tools/qemu.py run --kernel $(KERNEL_IMG) --root $(DEFAULT_SYSTEM) \
		--disk $(DISK_IMG) --timeout $(RUN_TIMEOUT)

debug: deps all
	@$(PYTHON) tools/qemu.py debug --kernel $(KERNEL_IMG) --root $(ROOT_ELF) \
		--symbols $(KERNEL_ELF)

host-test: $(HOST_TEST_BIN)
	@mkdir -p $(BUILD)/logs
	@$(HOST_TEST_BIN) | tee $(BUILD)/logs/host-tests.log

# Only the main in-QEMU suite (one boot, as make test runs it).
qemu-test: deps all
	@mkdir -p $(BUILD)/logs
	@$(PYTHON) tools/qemu.py boot --kernel $(KERNEL_IMG) --root $(TESTS_ELF) \
		--append "print_errors=0 invariants=1009" --log $(BUILD)/logs/kernel-tests.log

test: deps
	@mkdir -p $(BUILD)/logs
	@{ $(MAKE) --no-print-directory all $(HOST_TEST_BIN) $(SYSTEM_TEST_DEPS) $(FSCK_BIN) \
		$(REPLAY_BINS) && \
	   $(MAKE) --no-print-directory BUILD=$(BUILD)/domains DOMAINS=4 domain-images; } \
		> $(BUILD)/logs/build.log 2>&1 || \
		{ tail -40 $(BUILD)/logs/build.log; echo "build failed; log: $(BUILD)/logs/build.log"; \
		  echo "0 passed, 1 failed"; exit 1; }
	@$(PYTHON) tools/testrun.py --build $(BUILD)

clean:
	rm -rf $(BUILD)

# --- systems (Microkit-style .system files; tools/system.py) ------------------
# $(BUILD)/system/NAME/sysspec.bin is packed from user/systems/NAME.system;
# program_image paths are looked up in $(BUILD)/pds (put PD ELFs there).
# Each system's blob depends on the ELFs its description names, so a rule
# that builds $(BUILD)/pds/X.elf is run first; the report (report.txt) and a
# dependency file (sysspec.d) are written next to the blob.  Another search
# directory: make SYSTEM_SEARCH="$(BUILD)/pds other/dir".
SYSTEM_TOOL   := tools/system.py tools/sdf.py tools/sysspec.py tools/elf64.py
SYSTEM_SEARCH ?= $(BUILD)/pds
SYSTEMS       := $(basename $(notdir $(wildcard user/systems/*.system)))
# $(call system_images,NAME): the PD ELFs user/systems/NAME.system names.
system_images = $(addprefix $(BUILD)/pds/,$(shell $(PYTHON) tools/system.py images \
	user/systems/$(1).system 2>/dev/null))

define SYSTEM_RULE
$(BUILD)/system/$(1)/sysspec.bin: user/systems/$(1).system $(SYSTEM_TOOL) $(call system_images,$(1))
	@mkdir -p $$(dir $$@)
	$(PYTHON) tools/system.py build $$< $(addprefix --search-path ,$(SYSTEM_SEARCH)) \
		-o $$@ --report $$(dir $$@)report.txt --depfile $$(dir $$@)sysspec.d
endef
$(foreach s,$(SYSTEMS),$(eval $(call SYSTEM_RULE,$(s))))

# Tool tests (tools/system_tests.py, SYSDESC_*): small PD images from
# tests/system/pds/*.c and a C reader of the blob (tests/system/dump.c).
SYSTEM_TEST_PDS := $(patsubst tests/system/pds/%.c,$(BUILD)/tests/system/pds/%.elf, \
	$(wildcard tests/system/pds/*.c))
SYSTEM_DUMP     := $(BUILD)/tests/system/sysspec-dump
SYSTEM_TEST_DEPS := $(SYSTEM_TEST_PDS) $(SYSTEM_DUMP)

$(BUILD)/tests/system/pds/%.o: tests/system/pds/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -c $< -o $@

.PRECIOUS: $(BUILD)/tests/system/pds/%.o
$(BUILD)/tests/system/pds/%.elf: $(BUILD)/tests/system/pds/%.o user/crt/user.ld
	$(LD) $(USER_LDFLAGS) $(SYSTEM_PD_LDFLAGS) -o $@ $<

# An image that, like Microkit's linker script, says where its IPC buffer goes.
$(BUILD)/tests/system/pds/ipcsym.elf: SYSTEM_PD_LDFLAGS := --defsym=__sel4_ipc_buffer_obj=0x600000
# And one whose entry point is not in its code.
$(BUILD)/tests/system/pds/badentry.elf: SYSTEM_PD_LDFLAGS := --entry=0x900000

$(SYSTEM_DUMP): tests/system/dump.c user/include/arca/sysspec.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -g $(WARN) -Iuser/include -o $@ $<

# (PD_ELFS is complete only at the end of the Makefile: expand it late.)
.PHONY: system-tests
system-tests:
	@$(MAKE) -s --no-print-directory $(SYSTEM_TEST_DEPS) $(PD_ELFS)
	@$(PYTHON) tools/system_tests.py --build $(BUILD)

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
# The kernel measured is a release build (RELEASE=1, in $(BUILD)/release),
# as seL4's figures are from its release build; make bench BENCH_KERNEL=debug
# measures the debug kernel instead.
BENCH_KERNEL ?= release
ifeq ($(BENCH_KERNEL),release)
BENCH_KERNEL_IMG := $(BUILD)/release/kernel32.elf
else
BENCH_KERNEL_IMG := $(KERNEL_IMG)
endif

$(BUILD)/release/kernel32.elf: FORCE
	@$(MAKE) --no-print-directory BUILD=$(BUILD)/release RELEASE=1 $(BUILD)/release/kernel32.elf

.PHONY: FORCE
FORCE:

bench: deps $(BENCH_KERNEL_IMG) $(BENCH_ELF)
	@$(PYTHON) tools/bench.py --kernel $(BENCH_KERNEL_IMG) --root $(BENCH_ELF) \
		--out $(BUILD)/bench/results.json --logdir $(BUILD)/bench

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- Microkit-style systems (docs/system.md) ----------------------------------
# A PD program is linked from its objects, the PD runtime (user/microkit/:
# crt0, event loop, libmicrokit) and the PD libc (the libc with a small
# built-in malloc heap; arca_heap_init() moves it to a mapped region).
# Component authors add a PD with one line:
#     $(eval $(call MICROKIT_PD,NAME,SOURCES...))
# which builds $(BUILD)/pds/NAME.elf (the variable PD_ELF_NAME names it) and
# adds it to `make all`. Sources compile with USER_CFLAGS (<microkit.h>,
# <arca/*.h> and the libc headers are on the include path); PD_CFLAGS_NAME
# adds flags for one PD.
PD_RUNTIME_OBJ := $(BUILD)/user/microkit/crt0.o $(BUILD)/user/microkit/runtime.o
PD_LIBC_OBJ := $(filter-out $(BUILD)/user/libc/malloc.o,$(LIBC_OBJ)) $(BUILD)/pd/libc/malloc.o
PD_LIBC_A := $(BUILD)/pd/libc.a
PD_ELFS :=

$(BUILD)/pd/libc/malloc.o: user/libc/malloc.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -DARCA_HEAP_SIZE=65536 -c $< -o $@

$(PD_LIBC_A): $(PD_LIBC_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

define MICROKIT_PD
PD_OBJ_$(1) := $$(patsubst %.c,$$(BUILD)/pdobj/$(1)/%.o,$(2))
PD_ELF_$(1) := $$(BUILD)/pds/$(1).elf
PD_ELFS += $$(BUILD)/pds/$(1).elf
$$(BUILD)/pdobj/$(1)/%.o: %.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(USER_CFLAGS) $$(PD_CFLAGS_$(1)) -c $$< -o $$@
$$(BUILD)/pds/$(1).elf: $$(PD_RUNTIME_OBJ) $$(PD_OBJ_$(1)) $$(PD_LIBC_A) user/crt/user.ld
	@mkdir -p $$(dir $$@)
	$$(LD) $$(USER_LDFLAGS) -o $$@ $$(PD_RUNTIME_OBJ) $$(PD_OBJ_$(1)) $$(PD_LIBC_A)
endef

# The system initialiser (user/sysinit/) for system NAME:
#   $(BUILD)/sysinit/NAME/sysinit.elf  from the initialiser's objects and
#   $(BUILD)/system/NAME/sysspec.bin   (tools/system.py build; see "systems")
# The blob is linked in with `ld -r -b binary` on a copy named sysspec.bin,
# run in that copy's directory so that its symbols are always
# _binary_sysspec_bin_start/_end, and moved to a page-aligned read-only
# section.
SYSINIT_C := $(wildcard user/sysinit/*.c)
SYSINIT_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(SYSINIT_C))

$(BUILD)/sysinit/%/sysspec.o: $(BUILD)/system/%/sysspec.bin
	@mkdir -p $(dir $@)
	cp $< $(dir $@)sysspec.bin
	cd $(dir $@) && $(LD) -r -z noexecstack -b binary -o sysspec.raw.o sysspec.bin
	$(OBJCOPY) --rename-section .data=.rodata.sysspec,alloc,load,readonly,data,contents \
		--set-section-alignment .data=4096 $(dir $@)sysspec.raw.o $@

.PRECIOUS: $(BUILD)/sysinit/%/sysspec.o $(BUILD)/system/%/sysspec.bin
.SECONDARY: $(SYSINIT_OBJ)
$(BUILD)/sysinit/%/sysinit.elf: $(CRT_OBJ) $(SYSINIT_OBJ) $(BUILD)/sysinit/%/sysspec.o \
		$(LIBC_A) user/crt/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(CRT_OBJ) $(SYSINIT_OBJ) $(BUILD)/sysinit/$*/sysspec.o $(LIBC_A)

# The initialiser's test system (tests/sysinit/, SYSTEM_* in tools/testrun.py).
$(eval $(call MICROKIT_PD,hello,tests/sysinit/hello.c))
$(foreach p,alpha beta server stopper isolated parent kid echo looper,\
	$(eval $(call MICROKIT_PD,systest_$(p),tests/sysinit/$(p).c)))
SYSTEST_PDS := $(foreach p,alpha beta server stopper isolated parent kid echo looper,$(BUILD)/pds/systest_$(p).elf) \
	$(BUILD)/pds/hello.elf

$(BUILD)/system/systest/sysspec.bin: tests/sysinit/systest.system $(SYSTEM_TOOL) $(SYSTEST_PDS)
	@mkdir -p $(dir $@)
	$(PYTHON) tools/system.py build $< --search-path $(BUILD)/pds -o $@ \
		--report $(dir $@)report.txt

SYSINIT_TEST_ELF := $(BUILD)/sysinit/systest/sysinit.elf

# The initialiser's decoders on the host, with ASan and UBSan (SYSINIT_*).
SYSINIT_HOST_TEST := $(BUILD)/host/sysinit-spec-tests
$(SYSINIT_HOST_TEST): tests/sysinit/host/test_spec.c user/sysinit/spec.c user/sysinit/elf.c \
		user/sysinit/sysinit.h user/include/arca/sysspec.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -g $(WARN) -fsanitize=address,undefined -fno-sanitize-recover=all \
		-Iuser/include -Ilibsel4/include -o $@ tests/sysinit/host/test_spec.c \
		user/sysinit/spec.c user/sysinit/elf.c
SYSTEM_TEST_DEPS += $(SYSINIT_HOST_TEST) $(BUILD)/system/systest/sysspec.bin


# The storage stack (docs/filesystem.md): the virtio-blk driver and the file
# server PDs. A PD that uses the file service (<arca/fs.h>) adds
# $(FS_CLIENT_C) to its sources.
FS_CLIENT_C := user/components/fs/client.c user/components/fs/fserror.c
$(eval $(call MICROKIT_PD,blk,user/components/blk/blk.c))
$(eval $(call MICROKIT_PD,fs,user/components/fs/server.c $(FSCORE_C)))
$(eval $(call MICROKIT_PD,fstest,tests/fs/fstest.c $(FS_CLIENT_C)))
$(eval $(call MICROKIT_PD,fscrasher,tests/fs/crasher.c))
# The storage stack's test system (tests/fs/fs.system, FS_01xx in tools/fstests.py).
FSTEST_PDS := $(BUILD)/pds/blk.elf $(BUILD)/pds/fs.elf $(BUILD)/pds/fstest.elf \
	$(BUILD)/pds/fscrasher.elf
$(BUILD)/system/fstest/sysspec.bin: tests/fs/fs.system $(SYSTEM_TOOL) $(FSTEST_PDS)
	@mkdir -p $(dir $@)
	$(PYTHON) tools/system.py build $< --search-path $(BUILD)/pds -o $@ \
		--report $(dir $@)report.txt
# The same with the driver's BAR granted elsewhere (tests/fs/fs-movedbar.system, FS_0115).
$(BUILD)/system/fsbar/sysspec.bin: tests/fs/fs-movedbar.system $(SYSTEM_TOOL) $(FSTEST_PDS)
	@mkdir -p $(dir $@)
	$(PYTHON) tools/system.py build $< --search-path $(BUILD)/pds -o $@ \
		--report $(dir $@)report.txt
FSTEST_ELF := $(BUILD)/sysinit/fstest/sysinit.elf $(BUILD)/sysinit/fsbar/sysinit.elf

# The default system (user/systems/default.system, make run, E2E_* tests):
# the console driver and the shell (user/components/{console,shell}/) with
# the storage stack above, booted by the system initialiser as
# DEFAULT_SYSTEM. The disk image DISK_IMG is made once (tools/mkfs.py)
# and kept between runs; make clean-disk starts again with an empty one.
CONSOLE_CLIENT_C := user/components/console/client.c
$(eval $(call MICROKIT_PD,console,user/components/console/console.c))
$(eval $(call MICROKIT_PD,chaos,user/components/chaos/chaos.c))
$(eval $(call MICROKIT_PD,shell,user/components/shell/shell.c \
	user/components/shell/shell_cmd.c $(CONSOLE_CLIENT_C) $(FS_CLIENT_C)))

$(DISK_IMG):
	@mkdir -p $(dir $@)
	$(PYTHON) tools/mkfs.py $@ --size $(DISK_SIZE)

.PHONY: clean-disk
clean-disk:
	rm -f $(DISK_IMG)

# --- your own system (docs/tutorial.md) ---------------------------------------
#   make APP=DIR app        builds DIR's system: DIR/NAME.system (one) and
#                           one PD per DIR/*.c (pd.c -> pd.elf)
#   make APP=DIR app-run    ... and boots it on this terminal (Ctrl-A X quits);
#                           KERNEL_ARGS="halt_when_idle=50" stops QEMU once idle
# Everything goes to $(BUILD)/app/NAME/ and $(BUILD)/sysinit/app-NAME/.
ifneq ($(APP),)
APP_DIR    := $(abspath $(APP))
APP_SYSTEM := $(wildcard $(APP_DIR)/*.system)
ifneq ($(words $(APP_SYSTEM)),1)
$(error APP=$(APP): expected exactly one .system file in $(APP_DIR), found $(words $(APP_SYSTEM)))
endif
APP_NAME   := $(basename $(notdir $(APP_SYSTEM)))
APP_BUILD  := $(BUILD)/app/$(APP_NAME)
APP_PDS    := $(basename $(notdir $(wildcard $(APP_DIR)/*.c)))
APP_ELFS   := $(patsubst %,$(APP_BUILD)/pds/%.elf,$(APP_PDS))
APP_ROOT   := $(BUILD)/sysinit/app-$(APP_NAME)/sysinit.elf

# No dependency files for these objects: they would name DIR, and a
# directory that moves would leave them pointing at files that are gone.
# Every header a PD may include is a prerequisite instead.
APP_HEADERS := $(wildcard user/microkit/include/*.h user/include/arca/*.h \
	user/libc/include/*.h user/libc/include/arca/*.h libsel4/include/sel4/*.h)
define APP_PD
$(APP_BUILD)/obj/$(1).o: $(APP_DIR)/$(1).c $(APP_HEADERS) $(wildcard $(APP_DIR)/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(USER_CFLAGS) -MF /dev/null -I$(APP_DIR) -c $$< -o $$@
$(APP_BUILD)/pds/$(1).elf: $$(PD_RUNTIME_OBJ) $(APP_BUILD)/obj/$(1).o $$(PD_LIBC_A) user/crt/user.ld
	@mkdir -p $$(dir $$@)
	$$(LD) $$(USER_LDFLAGS) -o $$@ $$(PD_RUNTIME_OBJ) $(APP_BUILD)/obj/$(1).o $$(PD_LIBC_A)
endef
$(foreach p,$(APP_PDS),$(eval $(call APP_PD,$(p))))

$(BUILD)/system/app-$(APP_NAME)/sysspec.bin: $(APP_SYSTEM) $(SYSTEM_TOOL) $(APP_ELFS)
	@mkdir -p $(dir $@)
	$(PYTHON) tools/system.py build $< --search-path $(APP_BUILD)/pds -o $@ \
		--report $(dir $@)report.txt
endif

.PHONY: app app-run
app: $(KERNEL_IMG) $(APP_ROOT)
	@test -n "$(APP)" || { echo "make app: say which directory, e.g. make APP=~/hello app"; exit 1; }
	@echo "app: $(APP_ROOT) (boot with: make APP=$(APP) app-run)"

app-run: deps app
	@$(PYTHON) tools/qemu.py run --kernel $(KERNEL_IMG) --root $(APP_ROOT) \
		--append "$(KERNEL_ARGS)" --timeout $(RUN_TIMEOUT)

# --- host fuzzing (make fuzz-host; not part of all/test) ---------------------
# libFuzzer targets for the kernel's pure logic (tests/fuzz/), built with
# clang, ASan and UBSan into $(BUILD)/fuzz/. Each runs for FUZZ_TIME seconds
# from its seed corpus (tests/fuzz/corpus/<target>/; new inputs go to
# $(BUILD)/fuzz/corpus/<target>/); any crash fails the run and its
# reproducer's path is printed (tests/fuzz/run.sh). FUZZ_TARGETS=cdt runs one;
# FUZZ_FLAGS adds libFuzzer options, FUZZ_EXTRA_CFLAGS compiler options (e.g.
# -fno-sanitize=alignment to look past a known misaligned access; make clean
# or rm -r $(BUILD)/fuzz/obj when changing it).
FUZZ_CC      ?= clang
FUZZ_TIME    ?= 20
FUZZ_ALL     := cspace cdt elf mmap acpi msginfo fscore
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS  := -std=gnu11 -O1 -g $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link \
	-fno-omit-frame-pointer -fno-pie -DARCA_HOST_TEST \
	-Ikernel/include -Itests/host/include -Ikernel/arch/x86_64/include -Ikernel/plat/pc \
	-Ilibsel4/include -Iuser/include -Itests/fuzz -MMD -MP $(FUZZ_EXTRA_CFLAGS)
FUZZ_LDFLAGS := $(FUZZ_SAN) -fsanitize=fuzzer -no-pie
FUZZ_DIR     := $(BUILD)/fuzz

# The kernel sources each target links against.
FUZZ_SRC_cspace  := kernel/core/cspace.c
FUZZ_SRC_cdt     := kernel/core/cdt.c kernel/core/cap.c kernel/core/delete.c kernel/core/preempt.c
FUZZ_SRC_elf     := kernel/core/elf.c
FUZZ_SRC_mmap    := kernel/core/multiboot.c
FUZZ_SRC_acpi    := kernel/plat/pc/acpi_tables.c
FUZZ_SRC_fscore  := $(FSCORE_C)
FUZZ_SRC_msginfo := kernel/core/transfer.c kernel/object/cnode.c kernel/api/invocation.c \
	kernel/core/cspace.c kernel/core/cdt.c kernel/core/cap.c kernel/core/delete.c \
	kernel/core/preempt.c

$(FUZZ_DIR)/obj/%.o: %.c | fuzz-toolchain
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

# The harnesses keep edge coverage but not comparison tracing, which would
# mostly guide the fuzzer through the reference models (and slow them down).
$(FUZZ_DIR)/obj/tests/fuzz/%.o: tests/fuzz/%.c | fuzz-toolchain
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fno-sanitize-coverage=trace-cmp -c $< -o $@

define FUZZ_LINK_RULE
$(FUZZ_DIR)/fuzz_$(1): $(FUZZ_DIR)/obj/tests/fuzz/fuzz_$(1).o \
		$(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$(FUZZ_SRC_$(1))) | fuzz-toolchain
	$(FUZZ_CC) $(FUZZ_LDFLAGS) -o $$@ $$^
endef
$(foreach t,cspace cdt elf mmap acpi msginfo fscore,$(eval $(call FUZZ_LINK_RULE,$(t))))

# The same targets without libFuzzer, for make test (FUZZHOST_*): built with
# gcc, ASan and UBSan; tests/fuzz/replay.c runs each over its seed corpus,
# the kept findings and seeded random mutations of them (tools/testrun.py).
REPLAY_DIR    := $(BUILD)/fuzz-replay
REPLAY_CFLAGS := -std=gnu11 -O1 -g $(WARN) -fsanitize=address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer -fno-pie -DARCA_HOST_TEST \
	-Ikernel/include -Itests/host/include -Ikernel/arch/x86_64/include -Ikernel/plat/pc \
	-Ilibsel4/include -Iuser/include -Itests/fuzz -MMD -MP
REPLAY_BINS   := $(patsubst %,$(REPLAY_DIR)/replay_%,$(FUZZ_ALL))

$(REPLAY_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(REPLAY_CFLAGS) -c $< -o $@

define REPLAY_LINK_RULE
$(REPLAY_DIR)/replay_$(1): $(REPLAY_DIR)/obj/tests/fuzz/fuzz_$(1).o \
		$(REPLAY_DIR)/obj/tests/fuzz/replay.o $(patsubst %.c,$(REPLAY_DIR)/obj/%.o,$(FUZZ_SRC_$(1)))
	$(CC) -fsanitize=address,undefined -no-pie -o $$@ $$^
endef
$(foreach t,$(FUZZ_ALL),$(eval $(call REPLAY_LINK_RULE,$(t))))

.PHONY: fuzz-host fuzz-build fuzz-toolchain
fuzz-toolchain:
	@printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' | \
	  $(FUZZ_CC) -fsanitize=fuzzer,address,undefined -x c - -o /dev/null 2>/dev/null || \
	  { echo "fuzz-host: '$(FUZZ_CC) -fsanitize=fuzzer,address,undefined' does not link."; \
	    echo "fuzz-host: install clang and libFuzzer: sudo apt-get install clang libclang-rt-14-dev"; \
	    echo "fuzz-host: (for another clang version N: libclang-rt-N-dev; or make FUZZ_CC=clang-N)"; \
	    exit 1; }

fuzz-build: $(patsubst %,$(FUZZ_DIR)/fuzz_%,$(FUZZ_TARGETS))

fuzz-host: fuzz-toolchain fuzz-build
	@FUZZ_FLAGS='$(FUZZ_FLAGS)' tests/fuzz/run.sh $(FUZZ_DIR) $(FUZZ_TIME) $(FUZZ_TARGETS)

# --- syscall fuzzer (make fuzz; not part of all/test) --------------------------
# A root task (fuzz/) that makes OPS random system calls and invocations from
# seed SEED, booted under QEMU by tools/fuzz.py: it passes only if the task
# reports "done" and the kernel halts normally; a failure prints the seed, the
# last operations and the log. SEEDS="1 2 3" runs several seeds in turn.
# TRACE=0 leaves out the per-call trace lines (faster, but a kernel crash then
# shows only the periodic dumps of the last operations). FUZZ_ARGS passes
# more options to tools/fuzz.py (e.g. --invariants 1, --timeout 900).
SEED      ?= 1
OPS       ?= 20000
TRACE     ?= 1
SEEDS     ?= $(SEED)
FUZZ_ARGS ?=
FZ_DIR    := $(BUILD)/fuzzer
FZ_C      := $(wildcard fuzz/*.c)
FZ_OBJ    := $(patsubst fuzz/%.c,$(FZ_DIR)/%.o,$(FZ_C))
FZ_ELF    := $(FZ_DIR)/fuzzer.elf

# Seed, op count and trace switch are compiled in (the root task cannot read
# the kernel command line). params.h is rewritten only when they change, so
# a new seed rebuilds root.o and the link, nothing else.
$(FZ_DIR)/params.h: fuzz-params-force
	@mkdir -p $(dir $@)
	@printf '#define FUZZ_SEED %sUL\n#define FUZZ_OPS %sUL\n#define FUZZ_TRACE %s\n' \
		'$(SEED)' '$(OPS)' '$(TRACE)' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(FZ_DIR)/%.o: fuzz/%.c
	@mkdir -p $(dir $@)
	$(CC) $(USER_CFLAGS) -I$(FZ_DIR) -c $< -o $@

$(FZ_DIR)/root.o: $(FZ_DIR)/params.h

$(FZ_ELF): $(CRT_OBJ) $(FZ_OBJ) $(LIBC_A) user/crt/user.ld
	$(LD) $(USER_LDFLAGS) -o $@ $(CRT_OBJ) $(FZ_OBJ) $(LIBC_A)

.PHONY: fuzz fuzz-images fuzz-params-force
fuzz-params-force:

fuzz-images: $(KERNEL_IMG) $(FZ_ELF)

fuzz: deps
	@$(PYTHON) tools/fuzz.py --build $(BUILD) --seeds "$(SEEDS)" --ops $(OPS) \
		--trace $(TRACE) $(FUZZ_ARGS)

# --- last: every PD declared above is part of `make all` ---------------------
# (prerequisites are expanded when this line is read, so PDs must be
# declared with MICROKIT_PD before it)
all: $(PD_ELFS) $(SYSINIT_TEST_ELF) $(FSTEST_ELF) $(DEFAULT_SYSTEM)
