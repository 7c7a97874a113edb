/*
 * Arca libsel4 -- the boot information handed to the root task.
 *
 * The root task starts with RDI = address of a seL4_BootInfo in its own
 * 4 KiB frame.  If extraLen > 0, extra chunks (each starting with a
 * seL4_BootInfoHeader) follow at the next page, i.e. at
 * (char *)bootinfo + seL4_BootInfoFrameSize.
 * Layout: non-MCS x86_64, every field 8 bytes (boot.md section 5).
 */
#pragma once

#include <sel4/config.h>
#include <sel4/macros.h>
#include <sel4/simple_types.h>
#include <sel4/constants.h>
#include <sel4/ipcbuffer.h>

/* A range of slots in the root CNode: [start, end). */
typedef struct seL4_SlotRegion {
    seL4_SlotPos start;     /* first slot of the region */
    seL4_SlotPos end;       /* first slot after the region */
} seL4_SlotRegion;

/* One untyped capability given to the root task. */
typedef struct seL4_UntypedDesc {
    seL4_Word  paddr;       /* physical base address */
    seL4_Uint8 sizeBits;    /* the untyped is 2^sizeBits bytes */
    seL4_Uint8 isDevice;    /* 1: device memory (frames/untypeds only, never zeroed) */
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

typedef struct seL4_BootInfo {
    seL4_Word        extraLen;          /* bytes of extra chunks after this frame */
    seL4_NodeId      nodeID;            /* 0 */
    seL4_Word        numNodes;          /* 1 */
    seL4_Word        numIOPTLevels;     /* IOMMU levels; all-ones without IOMMU support */
    seL4_IPCBuffer  *ipcBuffer;         /* root task's IPC buffer */
    seL4_SlotRegion  empty;             /* free slots of the root CNode */
    seL4_SlotRegion  sharedFrames;
    seL4_SlotRegion  userImageFrames;   /* frames of the root-task image */
    seL4_SlotRegion  userImagePaging;   /* PDPTs, then PDs, then PTs of the image */
    seL4_SlotRegion  ioSpaceCaps;
    seL4_SlotRegion  extraBIPages;      /* frames holding the extra chunks */
    seL4_Word        initThreadCNodeSizeBits;
    seL4_Domain      initThreadDomain;
    seL4_SlotRegion  untyped;           /* untyped caps, described by untypedList */
    seL4_UntypedDesc untypedList[CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS];
} seL4_BootInfo;

/* Identifiers of the extra boot-information chunks. */
typedef enum {
    SEL4_BOOTINFO_HEADER_PADDING         = 0,
    SEL4_BOOTINFO_HEADER_X86_VBE         = 1,
    SEL4_BOOTINFO_HEADER_X86_MBMMAP      = 2,
    SEL4_BOOTINFO_HEADER_X86_ACPI_RSDP   = 3,
    SEL4_BOOTINFO_HEADER_X86_FRAMEBUFFER = 4,
    SEL4_BOOTINFO_HEADER_X86_TSC_FREQ    = 5,   /* u32 payload, MHz */
    SEL4_BOOTINFO_HEADER_FDT             = 6,
    SEL4_BOOTINFO_HEADER_NUM,
    SEL4_FORCE_LONG_ENUM(seL4_BootInfoID),
} seL4_BootInfoID;

/* Header of an extra chunk; len counts the whole chunk including the header. */
typedef struct seL4_BootInfoHeader {
    seL4_Word id;
    seL4_Word len;
} seL4_BootInfoHeader;

SEL4_COMPILE_ASSERT(slot_region_size, sizeof(seL4_SlotRegion) == 16)

SEL4_COMPILE_ASSERT(untyped_desc_size, sizeof(seL4_UntypedDesc) == 16)
SEL4_COMPILE_ASSERT(untyped_desc_paddr, SEL4_OFFSETOF(seL4_UntypedDesc, paddr) == 0)
SEL4_COMPILE_ASSERT(untyped_desc_sizeBits, SEL4_OFFSETOF(seL4_UntypedDesc, sizeBits) == 8)
SEL4_COMPILE_ASSERT(untyped_desc_isDevice, SEL4_OFFSETOF(seL4_UntypedDesc, isDevice) == 9)
SEL4_COMPILE_ASSERT(untyped_desc_padding, SEL4_OFFSETOF(seL4_UntypedDesc, padding) == 10)

SEL4_COMPILE_ASSERT(bootinfo_extraLen, SEL4_OFFSETOF(seL4_BootInfo, extraLen) == 0)
SEL4_COMPILE_ASSERT(bootinfo_nodeID, SEL4_OFFSETOF(seL4_BootInfo, nodeID) == 8)
SEL4_COMPILE_ASSERT(bootinfo_numNodes, SEL4_OFFSETOF(seL4_BootInfo, numNodes) == 16)
SEL4_COMPILE_ASSERT(bootinfo_numIOPTLevels, SEL4_OFFSETOF(seL4_BootInfo, numIOPTLevels) == 24)
SEL4_COMPILE_ASSERT(bootinfo_ipcBuffer, SEL4_OFFSETOF(seL4_BootInfo, ipcBuffer) == 32)
SEL4_COMPILE_ASSERT(bootinfo_empty, SEL4_OFFSETOF(seL4_BootInfo, empty) == 40)
SEL4_COMPILE_ASSERT(bootinfo_sharedFrames, SEL4_OFFSETOF(seL4_BootInfo, sharedFrames) == 56)
SEL4_COMPILE_ASSERT(bootinfo_userImageFrames, SEL4_OFFSETOF(seL4_BootInfo, userImageFrames) == 72)
SEL4_COMPILE_ASSERT(bootinfo_userImagePaging, SEL4_OFFSETOF(seL4_BootInfo, userImagePaging) == 88)
SEL4_COMPILE_ASSERT(bootinfo_ioSpaceCaps, SEL4_OFFSETOF(seL4_BootInfo, ioSpaceCaps) == 104)
SEL4_COMPILE_ASSERT(bootinfo_extraBIPages, SEL4_OFFSETOF(seL4_BootInfo, extraBIPages) == 120)
SEL4_COMPILE_ASSERT(bootinfo_initThreadCNodeSizeBits,
                    SEL4_OFFSETOF(seL4_BootInfo, initThreadCNodeSizeBits) == 136)
SEL4_COMPILE_ASSERT(bootinfo_initThreadDomain, SEL4_OFFSETOF(seL4_BootInfo, initThreadDomain) == 144)
SEL4_COMPILE_ASSERT(bootinfo_untyped, SEL4_OFFSETOF(seL4_BootInfo, untyped) == 152)
SEL4_COMPILE_ASSERT(bootinfo_untypedList, SEL4_OFFSETOF(seL4_BootInfo, untypedList) == 168)
SEL4_COMPILE_ASSERT(bootinfo_size,
                    sizeof(seL4_BootInfo) == 168 + 16 * CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS)
#if CONFIG_MAX_NUM_BOOTINFO_UNTYPED_CAPS == 230
SEL4_COMPILE_ASSERT(bootinfo_size_default, sizeof(seL4_BootInfo) == 3848)
#endif
SEL4_COMPILE_ASSERT(bootinfo_fits_frame, sizeof(seL4_BootInfo) <= seL4_BootInfoFrameSize)

SEL4_COMPILE_ASSERT(bootinfo_header_size, sizeof(seL4_BootInfoHeader) == 16)
SEL4_COMPILE_ASSERT(bootinfo_header_len, SEL4_OFFSETOF(seL4_BootInfoHeader, len) == 8)
