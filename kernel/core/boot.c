/*
 * Boot flow: from the Multiboot hand-over to the first return to user mode.
 *
 *   serial → CPU → memory map → kernel page tables → ACPI → interrupt
 *   controllers → timer calibration → root task → bootinfo → banner → run
 */
#include "boot.h"
#include "arch.h"
#include "plat.h"
#include "sched.h"
#include "config.h"
#include "panic.h"
#include "printf.h"
#include "kstring.h"
#include "invocation.h"
#include "fastpath.h"
#include "invariants.h"
#include "preempt.h"

struct boot_state boot;
static struct rootserver rootserver;
static char cmdline[256];

extern char _boot_start[], _boot_end[], _kernel_end[];

#define LOW_MEMORY_END  0x100000UL      /* RAM below 1 MiB is not used as RAM */
#define MB              (1024UL * 1024)

/* Multiboot structures are read through the boot identity map (< 1 GiB). */
static const void *early_ptr(paddr_t pa)
{
    return (const void *)(uintptr_t)pa;
}

static char selftest[32];

/* Finds "key=value" in the command line; copies value (up to a space). */
static bool cmdline_option(const char *key, char *value, size_t size)
{
    size_t klen = kstrlen(key);
    for (const char *p = cmdline; *p != '\0'; p++) {
        if ((p == cmdline || p[-1] == ' ') && kstrncmp(p, key, klen) == 0 && p[klen] == '=') {
            size_t n = 0;
            for (const char *v = p + klen + 1; *v != '\0' && *v != ' ' && n + 1 < size; v++)
                value[n++] = *v;
            value[n] = '\0';
            return true;
        }
    }
    return false;
}

static void parse_cmdline(void)
{
    char v[24];
    if (cmdline_option("halt_when_idle", v, sizeof(v))) {
        uint64_t ticks = 0;
        for (const char *d = v; *d >= '0' && *d <= '9'; d++)
            ticks = ticks * 10 + (uint64_t)(*d - '0');
        sched_idle_exit_ticks = ticks;
    }
    cmdline_option("selftest", selftest, sizeof(selftest));
    if (cmdline_option("invariants", v, sizeof(v))) {
        unsigned every = 0;
        for (const char *d = v; *d >= '0' && *d <= '9'; d++)
            every = every * 10 + (unsigned)(*d - '0');
        invariants_every = every;
        if (CONFIG_RELEASE && every != 0)
            kprintf("arca: invariants=%u ignored: a release kernel has no checker\n", every);
    }
    /* preempt=0|1|stress and preempt_units=N: docs/preemption.md. */
    if (cmdline_option("preempt", v, sizeof(v)))
        preempt_mode = v[0] == '0' ? PREEMPT_OFF : v[0] == 's' ? PREEMPT_STRESS : PREEMPT_ON;
    if (cmdline_option("preempt_units", v, sizeof(v))) {
        word_t units = 0;
        for (const char *p = v; *p >= '0' && *p <= '9'; p++)
            units = units * 10 + (word_t)(*p - '0');
        if (units >= 1 && units <= 1000000)
            preempt_work_units = units;
    }
    if (cmdline_option("fastpath", v, sizeof(v))) {
        fastpath_enabled = v[0] != '0';
        arch_syscall_fastpath(fastpath_enabled);
    }
    /* Failed-invocation diagnostics are on unless print_errors=0. */
    if (cmdline_option("print_errors", v, sizeof(v)))
        invocation_print_errors = v[0] != '0';
}

/*
 * Debug builds: "selftest=kernel-fault" or "selftest=assert" makes the
 * kernel fail on purpose after boot, so the tests can check that a kernel
 * bug is reported in full and stops the machine with the panic status.
 */
static void run_selftest(void)
{
#ifdef CONFIG_DEBUG_BUILD
    if (kstrncmp(selftest, "kernel-fault", sizeof(selftest)) == 0) {
        kprintf("selftest: reading unmapped kernel address 0xffff800000000000\n");
        (void)*(volatile word_t *)0xFFFF800000000000UL;
    } else if (kstrncmp(selftest, "assert", sizeof(selftest)) == 0) {
        kprintf("selftest: failing an assertion\n");
        assert(selftest[0] == '\0');
    }
#endif
}

/* Highest physical address the boot hand-over occupies (modules, strings). */
static paddr_t handover_end(const struct mb_info *mbi)
{
    paddr_t end = 0;
    const struct mb_module *mods = early_ptr(mbi->mods_addr);
    for (uint32_t i = 0; i < mbi->mods_count; i++) {
        end = MAX(end, (paddr_t)mods[i].mod_end);
        if (mods[i].string != 0)
            end = MAX(end, (paddr_t)mods[i].string + 256);
    }
    if (mbi->flags & MB_INFO_CMDLINE)
        end = MAX(end, (paddr_t)mbi->cmdline + sizeof(cmdline));
    return ROUND_UP(end, 4096);
}

static void read_memory_map(const struct mb_info *mbi)
{
    if (mbi->flags & MB_INFO_MMAP) {
        if (!mb_parse_mmap(early_ptr(mbi->mmap_addr), mbi->mmap_length, LOW_MEMORY_END,
                           PADDR_USER_TOP, &boot.ram_all))
            panic("malformed Multiboot memory map");
    } else if (mbi->flags & MB_INFO_MEMORY) {
        boot.ram_all.count = 0;
        ram_map_add(&boot.ram_all, LOW_MEMORY_END,
                    LOW_MEMORY_END + (paddr_t)mbi->mem_upper * 1024);
    } else {
        panic("boot loader gave no memory information");
    }
    if (boot.ram_all.count == 0)
        panic("no usable RAM above 1 MiB");
}

/* Usable RAM is what the kernel window covers; RAM above it becomes device untyped. */
static void clip_ram_to_window(void)
{
    paddr_t limit = arch_kernel_window_limit();
    boot.ram.count = 0;
    for (unsigned i = 0; i < boot.ram_all.count; i++) {
        p_region_t r = boot.ram_all.region[i];
        if (r.start < limit)
            ram_map_add(&boot.ram, r.start, MIN(r.end, limit));
    }
}

static void find_rootserver(const struct mb_info *mbi)
{
    if (!(mbi->flags & MB_INFO_MODS) || mbi->mods_count == 0)
        panic("no boot module: the root task must be the first Multiboot module");
    const struct mb_module *mod = paddr_to_kptr(mbi->mods_addr);
    if (mod->mod_end <= mod->mod_start)
        panic("the root task module is empty");
    boot.rootserver_elf = paddr_to_kptr(mod->mod_start);
    boot.rootserver_size = mod->mod_end - mod->mod_start;
}

/* Regions the kernel keeps that are not RAM: never given out as untyped. */
static void reserve_device_regions(void)
{
    ram_map_add(&boot.reserved, ROUND_DOWN(acpi_info.lapic_paddr, 4096),
                ROUND_DOWN(acpi_info.lapic_paddr, 4096) + 4096);
    for (unsigned i = 0; i < acpi_info.num_ioapics; i++) {
        paddr_t p = ROUND_DOWN(acpi_info.ioapic_paddr[i], 4096);
        ram_map_add(&boot.reserved, p, p + 4096);
    }
    ram_map_add(&boot.reserved, 0xFFFFFFF8UL, 0x100000000UL);     /* MSI doorbell */
}

static void print_banner(const struct rootserver *rs)
{
    word_t ram = 0;
    for (unsigned i = 0; i < boot.ram.count; i++)
        ram += boot.ram.region[i].end - boot.ram.region[i].start;
    uint64_t boot_us = (arch_read_cycle_counter() - boot.start_tsc) / MAX(arch_tsc_mhz(), 1u);

    kprintf("\n");
    kprintf("  Arca %s -- capability microkernel, %s ABI\n", ARCA_VERSION, ARCA_SEL4_ABI);
    kprintf("  memory:   %lu MiB RAM in %u region(s)", ram / MB, boot.ram.count);
    for (unsigned i = 0; i < boot.ram.count; i++)
        kprintf(" [%#lx-%#lx)", boot.ram.region[i].start, boot.ram.region[i].end);
    kprintf("\n");
    kprintf("  root task: image [%#lx-%#lx), IPC buffer %#lx, bootinfo %#lx\n",
            rs->image_start, rs->image_end, rs->ipc_buffer, rs->bootinfo_vaddr);
    kprintf("  untypeds: %u caps (slots %lu-%lu): %lu MiB RAM, %lu GiB device\n",
            rs->num_untypeds, rs->bootinfo->untyped.start, rs->bootinfo->untyped.end - 1,
            rs->untyped_ram_bytes / MB, rs->untyped_device_bytes >> 30);
    kprintf("  boot:     %lu.%03lu ms from kernel entry to the root task\n", boot_us / 1000,
            boot_us % 1000);
    kprintf("\n");
}

NORETURN void kernel_main(uint32_t magic, uint32_t mbi_paddr)
{
    boot.start_tsc = arch_read_cycle_counter();
    serial_init();
    kprintf("Arca %s booting\n", ARCA_VERSION);
    if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
        panic("not started by a Multiboot loader (magic %#x)", magic);

    arch_init_cpu();
    const struct mb_info *mbi = early_ptr(mbi_paddr);
    if ((mbi->flags & MB_INFO_CMDLINE) && mbi->cmdline != 0)
        kstrlcpy(cmdline, early_ptr(mbi->cmdline), sizeof(cmdline));
    parse_cmdline();
    read_memory_map(mbi);
    paddr_t handover = handover_end(mbi);

    /* The window covers all RAM and at least the 32-bit space (ACPI, devices). */
    paddr_t ram_top = boot.ram_all.region[boot.ram_all.count - 1].end;
    arch_init_paging(MAX(ram_top, 0x100000000UL));
    boot.mbi = paddr_to_kptr(mbi_paddr);
    arch_print_cpu_features();
    clip_ram_to_window();

    /* Boot memory: all usable RAM minus the kernel image and the hand-over. */
    paddr_t kernel_end = kptr_to_paddr(_kernel_end);
    boot.boot_only_start = (paddr_t)_boot_start;
    boot.boot_only_end = (paddr_t)_boot_end;
    bootmem_init(&boot.mem, &boot.ram);
    bootmem_reserve(&boot.mem, LOW_MEMORY_END, MAX(kernel_end, handover));

    acpi_init();
    reserve_device_regions();
    pic_disable();
    lapic_init();
    ioapic_init();
    timer_calibrate();
    sched_init();

    find_rootserver(boot.mbi);
    rootserver_create(&rootserver);
    /* The modules have been copied: their memory is free again. */
    if (handover > kernel_end)
        bootmem_release(&boot.mem, kernel_end, handover);
    bootinfo_fill_extra(&rootserver, arch_tsc_mhz());
    bootinfo_add_untypeds(&rootserver);
    print_banner(&rootserver);
    run_selftest();

    arch_timer_start(CONFIG_TIMER_TICK_MS);
    sched_enqueue(rootserver.tcb);
    sched_exit_kernel();
}
