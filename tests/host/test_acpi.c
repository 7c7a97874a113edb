/* kernel/plat/pc/acpi_tables.c: RSDP scan, RSDT/XSDT walk, MADT parsing. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "acpi.h"

/* ---- a synthetic physical memory image ---------------------------------- */

#define PHYS_SIZE   0x8000
#define RSDT_PA     0x1000
#define XSDT_PA     0x1800
#define MADT_PA     0x2000
#define FACP_PA     0x3000
#define HPET_PA     0x3800      /* corrupt checksum */
#define SSDT_PA     0x4000
#define UNMAPPED_PA 0x100000    /* outside the image: map() fails */

static uint8_t phys[PHYS_SIZE];

/*
 * The map function: an exact-size heap copy of the requested range, so ASan
 * reports a read past what the parser asked for. Copies are freed by the next
 * reset (they stay reachable meanwhile, so LeakSanitizer is content).
 */
static void *mapped[256];
static unsigned num_mapped;
static unsigned map_calls;

static void free_mappings(void)
{
    for (unsigned i = 0; i < num_mapped; i++)
        free(mapped[i]);
    num_mapped = 0;
    map_calls = 0;
}

static const void *map_phys(paddr_t pa, size_t len)
{
    map_calls++;
    if (pa >= PHYS_SIZE || len > PHYS_SIZE - pa || num_mapped == ARRAY_SIZE(mapped))
        return NULL;
    void *copy = malloc(len > 0 ? len : 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, phys + pa, len);
    mapped[num_mapped++] = copy;
    return copy;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Sets *sum_byte so that the len bytes at p add up to 0. */
static void fix_checksum(uint8_t *p, size_t len, uint8_t *sum_byte)
{
    *sum_byte = 0;
    uint8_t sum = 0;
    for (size_t i = 0; i < len; i++)
        sum = (uint8_t)(sum + p[i]);
    *sum_byte = (uint8_t)-sum;
}

/* A System Description Table: 36-byte header, then payload; checksummed. */
static void sdt(uint8_t *t, const char sig[4], const void *payload, uint32_t payload_len)
{
    uint32_t len = 36 + payload_len;
    memset(t, 0, len);
    memcpy(t, sig, 4);
    put32(t + 4, len);
    t[8] = 1;                               /* revision */
    memcpy(t + 10, "ARCA  ", 6);            /* OEM id */
    if (payload_len > 0)
        memcpy(t + 36, payload, payload_len);
    fix_checksum(t, len, &t[9]);
}

/* An RSDP of the given revision (0 = ACPI 1.0, 2 = ACPI 2.0+). */
static void rsdp(uint8_t *p, uint8_t revision, uint32_t rsdt, uint64_t xsdt)
{
    memset(p, 0, ACPI_RSDP_V2_LEN);
    memcpy(p, "RSD PTR ", 8);
    memcpy(p + 9, "ARCA  ", 6);
    p[15] = revision;
    put32(p + 16, rsdt);
    fix_checksum(p, ACPI_RSDP_V1_LEN, &p[8]);
    if (revision >= 2) {
        put32(p + 20, ACPI_RSDP_V2_LEN);
        put64(p + 24, xsdt);
        fix_checksum(p, ACPI_RSDP_V2_LEN, &p[32]);
    }
}

/*
 * Tables: RSDT -> FACP, HPET (bad checksum), unmapped, MADT;
 * XSDT -> unmapped (above 4 GiB), SSDT, MADT.
 */
static void build_tables(void)
{
    free_mappings();
    memset(phys, 0, sizeof(phys));

    uint8_t madt_body[8 + 8];
    put32(madt_body, 0xFEE00000);           /* local APIC address */
    put32(madt_body + 4, 1);                /* PCAT_COMPAT */
    const uint8_t lapic[8] = { 0, 8, 0, 0, 1, 0, 0, 0 };
    memcpy(madt_body + 8, lapic, 8);
    sdt(phys + MADT_PA, "APIC", madt_body, sizeof(madt_body));

    sdt(phys + FACP_PA, "FACP", "facp-body", 9);
    sdt(phys + SSDT_PA, "SSDT", "ssdt", 4);
    sdt(phys + HPET_PA, "HPET", "hpet", 4);
    phys[HPET_PA + 36] ^= 0x40;             /* breaks its checksum */

    uint8_t rsdt_body[16];
    put32(rsdt_body, FACP_PA);
    put32(rsdt_body + 4, HPET_PA);
    put32(rsdt_body + 8, UNMAPPED_PA);
    put32(rsdt_body + 12, MADT_PA);
    sdt(phys + RSDT_PA, "RSDT", rsdt_body, sizeof(rsdt_body));

    uint8_t xsdt_body[24];
    put64(xsdt_body, 0x100000000UL + MADT_PA);
    put64(xsdt_body + 8, SSDT_PA);
    put64(xsdt_body + 16, MADT_PA);
    sdt(phys + XSDT_PA, "XSDT", xsdt_body, sizeof(xsdt_body));
}

/* True if t (as returned by acpi_find_table) is a copy of the table at pa. */
static bool is_table_at(const uint8_t *t, paddr_t pa)
{
    return t != NULL && memcmp(t, phys + pa, get32(phys + pa + 4)) == 0;
}

/* ---- tests ---------------------------------------------------------------- */

HOST_TEST(ACPI_0001)
{
    const uint8_t good[] = { 1, 2, 3, 250 };
    const uint8_t bad[] = { 1, 2, 3, 251 };
    CHECK(acpi_checksum_ok(good, sizeof(good)));
    CHECK(!acpi_checksum_ok(bad, sizeof(bad)));
    CHECK(acpi_checksum_ok(bad, 0));
    uint8_t payload[28];
    for (unsigned i = 0; i < sizeof(payload); i++)
        payload[i] = (uint8_t)(i * 37 + 11);
    uint8_t t[64];
    sdt(t, "TEST", payload, sizeof(payload));
    CHECK(acpi_checksum_ok(t, 64));
    t[40] ^= 1;
    CHECK(!acpi_checksum_ok(t, 64));
}

HOST_TEST(ACPI_0002)
{
    /* RSDP v0: found on a 16-byte boundary only; bad candidates skipped. */
    uint8_t *area = calloc(1, 0x200);
    CHECK(area != NULL);
    rsdp(area + 0x40, 0, RSDT_PA, 0);
    const uint8_t *found = acpi_scan_rsdp(area, 0x200);
    bool at_40 = found == area + 0x40;

    memset(area, 0, 0x200);
    rsdp(area + 0x48, 0, RSDT_PA, 0);           /* misaligned */
    const uint8_t *misaligned = acpi_scan_rsdp(area, 0x200);

    memset(area, 0, 0x200);
    rsdp(area + 0x20, 0, RSDT_PA, 0);
    area[0x20 + 16] ^= 1;                       /* checksum now wrong */
    rsdp(area + 0x1d0, 0, RSDT_PA, 0);          /* the last slot that is scanned */
    const uint8_t *second = acpi_scan_rsdp(area, 0x200);
    const uint8_t *none = acpi_scan_rsdp(area, 0x1d0);  /* range ends before it */
    free(area);

    CHECK(at_40);
    CHECK(misaligned == NULL);
    CHECK(second == area + 0x1d0);
    CHECK(none == NULL);
}

HOST_TEST(ACPI_0003)
{
    /* RSDP v2: the extended checksum and length are checked too. */
    uint8_t *area = calloc(1, 0x100);
    CHECK(area != NULL);
    rsdp(area + 0x30, 2, RSDT_PA, XSDT_PA);
    bool good = acpi_scan_rsdp(area, 0x100) == area + 0x30;

    area[0x30 + 30] ^= 1;                       /* reserved byte: v1 sum still fine */
    bool v1_sum_ok = acpi_checksum_ok(area + 0x30, ACPI_RSDP_V1_LEN);
    bool bad_ext = acpi_scan_rsdp(area, 0x100) == NULL;

    rsdp(area + 0x30, 2, RSDT_PA, XSDT_PA);
    put32(area + 0x30 + 20, 30);                /* length below 36 */
    fix_checksum(area + 0x30, 30, &area[0x30 + 32]);
    bool short_len = acpi_scan_rsdp(area, 0x100) == NULL;

    rsdp(area + 0x30, 2, RSDT_PA, XSDT_PA);
    put32(area + 0x30 + 20, 0x10000);           /* absurd length */
    bool huge_len = acpi_scan_rsdp(area, 0x100) == NULL;
    free(area);

    CHECK(good);
    CHECK(v1_sum_ok);
    CHECK(bad_ext);
    CHECK(short_len);
    CHECK(huge_len);
}

HOST_TEST(ACPI_0004)
{
    /* Through the RSDT of a v0 RSDP; corrupt and unmapped entries are skipped. */
    build_tables();
    uint8_t r[ACPI_RSDP_V2_LEN];
    rsdp(r, 0, RSDT_PA, 0);
    CHECK(is_table_at(acpi_find_table(r, "FACP", map_phys), FACP_PA));
    CHECK(is_table_at(acpi_find_table(r, "APIC", map_phys), MADT_PA));
    CHECK(acpi_find_table(r, "HPET", map_phys) == NULL);       /* bad checksum */
    CHECK(acpi_find_table(r, "SSDT", map_phys) == NULL);       /* only in the XSDT */
    CHECK(acpi_find_table(r, "NONE", map_phys) == NULL);
    free_mappings();
}

HOST_TEST(ACPI_0005)
{
    /* A v2 RSDP uses the XSDT; with XSDT address 0 it falls back to the RSDT. */
    build_tables();
    uint8_t r[ACPI_RSDP_V2_LEN];
    rsdp(r, 2, RSDT_PA, XSDT_PA);
    CHECK(is_table_at(acpi_find_table(r, "SSDT", map_phys), SSDT_PA));
    CHECK(is_table_at(acpi_find_table(r, "APIC", map_phys), MADT_PA));
    CHECK(acpi_find_table(r, "FACP", map_phys) == NULL);       /* only in the RSDT */

    rsdp(r, 2, RSDT_PA, 0);
    CHECK(is_table_at(acpi_find_table(r, "FACP", map_phys), FACP_PA));
    CHECK(acpi_find_table(r, "SSDT", map_phys) == NULL);
    free_mappings();
}

HOST_TEST(ACPI_0006)
{
    /* Corrupt or missing root tables yield nothing. */
    uint8_t r[ACPI_RSDP_V2_LEN];

    build_tables();
    phys[RSDT_PA + 40] ^= 1;                    /* RSDT checksum */
    rsdp(r, 0, RSDT_PA, 0);
    CHECK(acpi_find_table(r, "FACP", map_phys) == NULL);

    build_tables();
    put32(phys + RSDT_PA + 4, 35);              /* shorter than a header */
    fix_checksum(phys + RSDT_PA, 35, &phys[RSDT_PA + 9]);
    CHECK(acpi_find_table(r, "FACP", map_phys) == NULL);

    build_tables();
    put32(phys + RSDT_PA + 4, 2u << 20);        /* absurdly long */
    CHECK(acpi_find_table(r, "FACP", map_phys) == NULL);

    build_tables();
    put32(phys + RSDT_PA + 4, PHYS_SIZE);       /* runs off the mappable memory */
    CHECK(acpi_find_table(r, "FACP", map_phys) == NULL);

    build_tables();
    rsdp(r, 0, UNMAPPED_PA, 0);                 /* RSDT not mappable */
    CHECK(acpi_find_table(r, "FACP", map_phys) == NULL);
    rsdp(r, 2, RSDT_PA, UNMAPPED_PA);           /* XSDT not mappable: no fallback */
    CHECK(acpi_find_table(r, "FACP", map_phys) == NULL);

    /* An RSDT whose length leaves a partial entry: only whole entries are read. */
    build_tables();
    uint8_t body[6];
    put32(body, FACP_PA);
    body[4] = 0x00;
    body[5] = 0x20;
    sdt(phys + RSDT_PA, "RSDT", body, sizeof(body));
    rsdp(r, 0, RSDT_PA, 0);
    CHECK(is_table_at(acpi_find_table(r, "FACP", map_phys), FACP_PA));
    CHECK(acpi_find_table(r, "APIC", map_phys) == NULL);
    free_mappings();
}

/* ---- MADT ---------------------------------------------------------------- */

struct madt_builder {
    uint8_t bytes[512];
    uint32_t len;
};

static void madt_begin(struct madt_builder *m, uint32_t lapic)
{
    memset(m, 0, sizeof(*m));
    memcpy(m->bytes, "APIC", 4);
    put32(m->bytes + 36, lapic);
    put32(m->bytes + 40, 1);
    m->len = 44;
}

static void madt_entry(struct madt_builder *m, uint8_t type, uint8_t len, const uint8_t *body)
{
    m->bytes[m->len] = type;
    m->bytes[m->len + 1] = len;
    if (len > 2)
        memcpy(m->bytes + m->len + 2, body, len - 2);
    m->len += len;
}

static void madt_lapic(struct madt_builder *m, uint8_t apic_id, uint32_t flags)
{
    uint8_t b[6] = { apic_id, apic_id };
    put32(b + 2, flags);
    madt_entry(m, 0, 8, b);
}

static void madt_ioapic(struct madt_builder *m, uint8_t id, uint32_t addr, uint32_t gsi)
{
    uint8_t b[10] = { id, 0 };
    put32(b + 2, addr);
    put32(b + 6, gsi);
    madt_entry(m, 1, 12, b);
}

/* Parses an exact-size heap copy of the table (length field = m->len). */
static bool parse_madt(struct madt_builder *m, struct madt_info *out)
{
    put32(m->bytes + 4, m->len);
    uint8_t *copy = malloc(m->len);
    if (copy == NULL)
        return false;
    memcpy(copy, m->bytes, m->len);
    bool ok = acpi_parse_madt(copy, out);
    free(copy);
    return ok;
}

HOST_TEST(ACPI_0007)
{
    struct madt_builder m;
    madt_begin(&m, 0xFEE00000);
    madt_lapic(&m, 0, 1);
    madt_lapic(&m, 1, 1);
    madt_lapic(&m, 2, 0);                               /* disabled CPU */
    madt_ioapic(&m, 0, 0xFEC00000, 0);
    const uint8_t iso[8] = { 0, 0, 2, 0, 0, 0, 0, 0 };  /* interrupt source override */
    madt_entry(&m, 2, 10, iso);
    madt_ioapic(&m, 1, 0xFEC01000, 24);
    madt_entry(&m, 0x7F, 2, NULL);                      /* unknown, empty */
    struct madt_info info;
    memset(&info, 0xFF, sizeof(info));
    CHECK(parse_madt(&m, &info));
    CHECK_EQ(info.lapic_paddr, 0xFEE00000);
    CHECK_EQ(info.num_cpus, 2);
    CHECK_EQ(info.num_ioapics, 2);
    CHECK_EQ(info.ioapic_paddr[0], 0xFEC00000);
    CHECK_EQ(info.ioapic_gsi_base[0], 0);
    CHECK_EQ(info.ioapic_paddr[1], 0xFEC01000);
    CHECK_EQ(info.ioapic_gsi_base[1], 24);
    CHECK_EQ(info.ioapic_paddr[2], 0);                  /* cleared, not left over */

    /* A local APIC address override (type 5) replaces the 32-bit address. */
    uint8_t ovr[10] = { 0 };
    put64(ovr + 2, 0x1FEE00000UL);
    madt_entry(&m, 5, 12, ovr);
    CHECK(parse_madt(&m, &info));
    CHECK_EQ(info.lapic_paddr, 0x1FEE00000UL);

    /* The MADT found through the RSDT parses as well. */
    build_tables();
    uint8_t r[ACPI_RSDP_V2_LEN];
    rsdp(r, 0, RSDT_PA, 0);
    const uint8_t *t = acpi_find_table(r, "APIC", map_phys);
    CHECK(t != NULL);
    CHECK(acpi_parse_madt(t, &info));
    CHECK_EQ(info.num_cpus, 1);
    CHECK_EQ(info.lapic_paddr, 0xFEE00000);
    free_mappings();
}

HOST_TEST(ACPI_0008)
{
    /* Corrupt entry lengths are refused without reading past the table. */
    struct madt_builder m;
    struct madt_info info;
    static const uint8_t bad_lengths[] = { 0, 1 };
    for (unsigned i = 0; i < ARRAY_SIZE(bad_lengths); i++) {
        madt_begin(&m, 0xFEE00000);
        madt_lapic(&m, 0, 1);
        m.bytes[m.len] = 0;
        m.bytes[m.len + 1] = bad_lengths[i];
        m.len += 2;
        madt_lapic(&m, 1, 1);
        CHECK(!parse_madt(&m, &info));
    }
    /* An entry running past the end of the table. */
    madt_begin(&m, 0xFEE00000);
    madt_ioapic(&m, 0, 0xFEC00000, 0);
    m.len -= 4;
    CHECK(!parse_madt(&m, &info));
    /* A lone type byte at the end is ignored (no room for a length). */
    madt_begin(&m, 0xFEE00000);
    madt_lapic(&m, 0, 1);
    m.len += 1;
    CHECK(parse_madt(&m, &info));
    CHECK_EQ(info.num_cpus, 1);
    /* Too short to hold the fixed fields. */
    madt_begin(&m, 0xFEE00000);
    m.len = 43;
    CHECK(!parse_madt(&m, &info));
    /* Entries too short for their type are skipped, not misread. */
    madt_begin(&m, 0xFEE00000);
    const uint8_t junk[4] = { 1, 1, 1, 1 };
    madt_entry(&m, 0, 4, junk);                         /* LAPIC, 4 bytes */
    madt_entry(&m, 1, 6, junk);                         /* IOAPIC, 6 bytes */
    madt_entry(&m, 5, 6, junk);                         /* override, 6 bytes */
    CHECK(parse_madt(&m, &info));
    CHECK_EQ(info.num_cpus, 0);
    CHECK_EQ(info.num_ioapics, 0);
    CHECK_EQ(info.lapic_paddr, 0xFEE00000);
}

HOST_TEST(ACPI_0009)
{
    /* More IOAPICs than the kernel keeps: the first ACPI_MAX_IOAPICS are used. */
    struct madt_builder m;
    madt_begin(&m, 0xFEE00000);
    for (unsigned i = 0; i < ACPI_MAX_IOAPICS + 3; i++)
        madt_ioapic(&m, (uint8_t)i, 0xFEC00000 + 0x1000 * i, 24 * i);
    struct madt_info info;
    CHECK(parse_madt(&m, &info));
    CHECK_EQ(info.num_ioapics, ACPI_MAX_IOAPICS);
    CHECK_EQ(info.ioapic_paddr[ACPI_MAX_IOAPICS - 1], 0xFEC00000 + 0x1000 * (ACPI_MAX_IOAPICS - 1));
    CHECK_EQ(info.ioapic_gsi_base[ACPI_MAX_IOAPICS - 1], 24 * (ACPI_MAX_IOAPICS - 1));
}

HOST_TEST(ACPI_0010)
{
    /*
     * A revision-2 candidate whose length field reaches past the scanned
     * range must not be checksummed beyond it (found by fuzz_acpi): the
     * heap block ends exactly at the range, so ASan catches any over-read.
     */
    uint8_t *area = malloc(ACPI_RSDP_V2_LEN);
    CHECK(area != NULL);
    rsdp(area, 2, RSDT_PA, 0);
    put32(area + 20, 200);              /* claims 200 bytes */
    const uint8_t *found = acpi_scan_rsdp(area, ACPI_RSDP_V2_LEN);
    free(area);
    CHECK(found == NULL);
}
