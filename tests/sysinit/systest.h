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
#define SERVER_WAIT 3       /* wait for echo's notification inside the call */
#define SERVER_WAIT_ANSWER 0x5a5a

/* server <-> echo */
#define SERVER_TO_ECHO 7    /* server notifies echo */
#define SERVER_FROM_ECHO_A 5 /* echo's answer the server waits for */
#define SERVER_FROM_ECHO_B 6 /* sent first: must be deferred, then notified() */
#define ECHO_FROM_SERVER 0
#define ECHO_TO_SERVER_A 1
#define ECHO_TO_SERVER_B 2

#define SHARED_SIZE 4096
#define PATTERN(i) ((unsigned char)((i) * 7 + 3))

#endif
