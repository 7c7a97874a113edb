/*
 * The block service of the virtio-blk driver PD (user/components/blk/),
 * as its one client (the file server) uses it: protected procedure calls
 * on a pp channel, data in a memory region both map.
 *
 *   label BLK_OP_INFO:  reply MR0 = capacity in 512-byte sectors
 *   label BLK_OP_READ:  MR0 = first sector, MR1 = sector count; the data
 *                       arrives at the start of the shared data region
 *   label BLK_OP_WRITE: the same, the data taken from the data region
 *
 * The reply's label is BLK_OK or a BLK_E* code.  A request must fit the
 * data region and the disk.  The driver serves one request at a time and
 * answers when the device has completed it (it waits for the device's
 * interrupt inside the call).
 */
#ifndef ARCA_BLK_H
#define ARCA_BLK_H

#define BLK_SECTOR_SIZE 512u

#define BLK_OP_INFO  1u
#define BLK_OP_READ  2u
#define BLK_OP_WRITE 3u

#define BLK_OK     0u
#define BLK_EINVAL 1u   /* unknown operation, or outside the disk or the region */
#define BLK_EIO    2u   /* the device reported an error */
#define BLK_ENODEV 3u   /* the driver found no usable device at start */

#endif
