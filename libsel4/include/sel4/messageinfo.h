/*
 * Arca libsel4 -- the message-info word (seL4_MessageInfo_t).
 *
 * Layout of the one 64-bit word (low bit = 0):
 *
 *   63 ............ 12 | 11 .. 9        | 8 .. 7    | 6 .. 0
 *   label (52 bits)    | capsUnwrapped  | extraCaps | length
 *
 * i.e. word = label << 12 | capsUnwrapped << 9 | extraCaps << 7 | length.
 */
#pragma once

#include <sel4/simple_types.h>
#include <sel4/bitfield.h>

#define ARCA_MSGINFO_LENGTH_SHIFT           0
#define ARCA_MSGINFO_LENGTH_BITS            7
#define ARCA_MSGINFO_EXTRACAPS_SHIFT        7
#define ARCA_MSGINFO_EXTRACAPS_BITS         2
#define ARCA_MSGINFO_CAPSUNWRAPPED_SHIFT    9
#define ARCA_MSGINFO_CAPSUNWRAPPED_BITS     3
#define ARCA_MSGINFO_LABEL_SHIFT            12
#define ARCA_MSGINFO_LABEL_BITS             52

ARCA_BF_TYPE(seL4_MessageInfo)

ARCA_BF_FIELD(seL4_MessageInfo, label,
              ARCA_MSGINFO_LABEL_SHIFT, ARCA_MSGINFO_LABEL_BITS)
ARCA_BF_FIELD(seL4_MessageInfo, capsUnwrapped,
              ARCA_MSGINFO_CAPSUNWRAPPED_SHIFT, ARCA_MSGINFO_CAPSUNWRAPPED_BITS)
ARCA_BF_FIELD(seL4_MessageInfo, extraCaps,
              ARCA_MSGINFO_EXTRACAPS_SHIFT, ARCA_MSGINFO_EXTRACAPS_BITS)
ARCA_BF_FIELD(seL4_MessageInfo, length,
              ARCA_MSGINFO_LENGTH_SHIFT, ARCA_MSGINFO_LENGTH_BITS)

static inline seL4_MessageInfo_t seL4_MessageInfo_new(seL4_Uint64 label,
                                                      seL4_Uint64 capsUnwrapped,
                                                      seL4_Uint64 extraCaps,
                                                      seL4_Uint64 length)
{
    seL4_MessageInfo_t info = { { 0 } };

    info = seL4_MessageInfo_set_label(info, label);
    info = seL4_MessageInfo_set_capsUnwrapped(info, capsUnwrapped);
    info = seL4_MessageInfo_set_extraCaps(info, extraCaps);
    info = seL4_MessageInfo_set_length(info, length);
    return info;
}

/* The four fields tile the word exactly, from bit 0 upwards. */
SEL4_COMPILE_ASSERT(msginfo_length_at_bit_0, ARCA_MSGINFO_LENGTH_SHIFT == 0)
SEL4_COMPILE_ASSERT(msginfo_extracaps_follows_length,
                    ARCA_MSGINFO_EXTRACAPS_SHIFT ==
                    ARCA_MSGINFO_LENGTH_SHIFT + ARCA_MSGINFO_LENGTH_BITS)
SEL4_COMPILE_ASSERT(msginfo_capsunwrapped_follows_extracaps,
                    ARCA_MSGINFO_CAPSUNWRAPPED_SHIFT ==
                    ARCA_MSGINFO_EXTRACAPS_SHIFT + ARCA_MSGINFO_EXTRACAPS_BITS)
SEL4_COMPILE_ASSERT(msginfo_label_follows_capsunwrapped,
                    ARCA_MSGINFO_LABEL_SHIFT ==
                    ARCA_MSGINFO_CAPSUNWRAPPED_SHIFT + ARCA_MSGINFO_CAPSUNWRAPPED_BITS)
SEL4_COMPILE_ASSERT(msginfo_label_reaches_bit_63,
                    ARCA_MSGINFO_LABEL_SHIFT + ARCA_MSGINFO_LABEL_BITS == 64)
SEL4_COMPILE_ASSERT(msginfo_is_one_word, sizeof(seL4_MessageInfo_t) == 8)
