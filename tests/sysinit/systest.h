/* Shared by the test system's PDs (tests/sysinit/systest.system). */
#ifndef SYSTEST_H
#define SYSTEST_H

/* alpha's channels */
#define ALPHA_BETA 1
#define ALPHA_SERVER 2
#define ALPHA_MONITOR 9
/* beta's channel to alpha */
#define BETA_ALPHA 1

/* server's protocol */
#define SERVER_ADD 1        /* MR0 + MR1 -> MR0 = sum, MR1 = server's restart count */
#define SERVER_CRASH 2      /* fault while serving the call */

#define SHARED_SIZE 4096
#define PATTERN(i) ((unsigned char)((i) * 7 + 3))

#endif
