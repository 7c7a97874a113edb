/*
 * Runs one host fuzz target without libFuzzer, so that `make test` can
 * exercise the targets with gcc (ASan + UBSan) on any machine:
 *
 *   replay_<target> NAME COUNT SEED PATH...
 *
 * Every file in PATH (files, or directories of files: the seed corpus and
 * the kept reproducers of earlier findings) is run as it is; then COUNT
 * inputs made from them by seeded random mutations (bit flips, random and
 * boundary bytes, inserted and removed runs, splices of two inputs). There
 * is no coverage guidance: this is a regression run that keeps the
 * harnesses compiling and their reference models agreeing with the kernel,
 * not a replacement for `make fuzz-host`.
 *
 * A failed check aborts (fuzz_common.h) and a sanitizer error ends the
 * process; before either, the input is written to
 * $REPLAY_CRASH_DIR/crash-NAME (default: the current directory) so that
 * the libFuzzer build can rerun it: build/fuzz/fuzz_NAME FILE.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sanitizer/common_interface_defs.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_INPUTS  256
#define MAX_SIZE    8192

struct input {
    uint8_t *data;
    size_t size;
};

static struct input inputs[MAX_INPUTS];
static unsigned n_inputs;
static const char *target = "?";

/* The input being run, for the crash file. */
static const uint8_t *cur_data;
static size_t cur_size;

static void save_current(void)
{
    static int saved;
    if (saved++ || cur_data == NULL)
        return;
    const char *dir = getenv("REPLAY_CRASH_DIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/crash-%s", dir != NULL ? dir : ".", target);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    size_t done = 0;
    while (done < cur_size) {
        ssize_t w = write(fd, cur_data + done, cur_size - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    close(fd);
    fprintf(stderr, "replay %s: failing input written to %s (rerun: build/fuzz/fuzz_%s %s)\n",
            target, path, target, path);
}

static void on_abort(int sig)
{
    save_current();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void add_input(const uint8_t *data, size_t size)
{
    if (n_inputs == MAX_INPUTS)
        return;
    if (size > MAX_SIZE)
        size = MAX_SIZE;
    uint8_t *copy = malloc(size > 0 ? size : 1);
    if (copy == NULL) {
        perror("malloc");
        exit(2);
    }
    memcpy(copy, data, size);
    inputs[n_inputs].data = copy;
    inputs[n_inputs].size = size;
    n_inputs++;
}

static void load_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    static uint8_t buf[MAX_SIZE];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    add_input(buf, n);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Files of a directory in name order, so runs are the same everywhere. */
static void load_dir(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        perror(path);
        exit(2);
    }
    char *names[MAX_INPUTS];
    unsigned n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < MAX_INPUTS) {
        if (e->d_name[0] == '.')
            continue;
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof(names[0]), by_name);
    for (unsigned i = 0; i < n; i++) {
        char full[4096];
        snprintf(full, sizeof(full), "%s/%s", path, names[i]);
        struct stat st;
        if (stat(full, &st) == 0 && S_ISREG(st.st_mode))
            load_file(full);
        free(names[i]);
    }
}

static void run(const uint8_t *data, size_t size)
{
    cur_data = data;
    cur_size = size;
    LLVMFuzzerTestOneInput(data, size);
    cur_data = NULL;
}

/* ---- mutations --------------------------------------------------------- */

static uint64_t rng;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t below(size_t n)
{
    return n == 0 ? 0 : (size_t)(next() % n);
}

static const uint8_t boundary[] = { 0x00, 0x01, 0x02, 0x3f, 0x40, 0x7f, 0x80, 0xfe, 0xff };

static size_t mutate(uint8_t *buf, size_t size)
{
    unsigned steps = 1 + (unsigned)below(8);
    for (unsigned s = 0; s < steps; s++) {
        switch (below(6)) {
        case 0:         /* flip a bit */
            if (size > 0)
                buf[below(size)] ^= (uint8_t)(1u << below(8));
            break;
        case 1:         /* a random byte */
            if (size > 0)
                buf[below(size)] = (uint8_t)next();
            break;
        case 2:         /* a boundary byte */
            if (size > 0)
                buf[below(size)] = boundary[below(sizeof(boundary))];
            break;
        case 3: {       /* insert a run of random bytes */
            size_t n = 1 + below(16), at = below(size + 1);
            if (size + n > MAX_SIZE)
                break;
            memmove(buf + at + n, buf + at, size - at);
            for (size_t i = 0; i < n; i++)
                buf[at + i] = (uint8_t)next();
            size += n;
            break;
        }
        case 4: {       /* remove a run */
            if (size == 0)
                break;
            size_t at = below(size), n = 1 + below(size - at);
            memmove(buf + at, buf + at + n, size - at - n);
            size -= n;
            break;
        }
        default: {      /* splice in part of another input */
            const struct input *o = &inputs[below(n_inputs)];
            if (o->size == 0 || size == 0)
                break;
            size_t from = below(o->size), at = below(size);
            size_t n = 1 + below(o->size - from);
            if (n > size - at)
                n = size - at;
            memcpy(buf + at, o->data + from, n);
            break;
        }
        }
    }
    return size;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s NAME COUNT SEED PATH...\n", argv[0]);
        return 2;
    }
    target = argv[1];
    unsigned long count = strtoul(argv[2], NULL, 0);
    rng = strtoull(argv[3], NULL, 0) * 0x9E3779B97F4A7C15ULL | 1;
    signal(SIGABRT, on_abort);
    signal(SIGSEGV, on_abort);
    __sanitizer_set_death_callback(save_current);

    for (int i = 4; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            perror(argv[i]);
            return 2;
        }
        if (S_ISDIR(st.st_mode))
            load_dir(argv[i]);
        else
            load_file(argv[i]);
    }
    if (n_inputs == 0) {
        fprintf(stderr, "replay %s: no inputs\n", target);
        return 2;
    }
    unsigned given = n_inputs;
    for (unsigned i = 0; i < given; i++)
        run(inputs[i].data, inputs[i].size);

    static uint8_t buf[MAX_SIZE];
    for (unsigned long k = 0; k < count; k++) {
        const struct input *base = &inputs[below(given)];
        memcpy(buf, base->data, base->size);
        size_t size = mutate(buf, base->size);
        /* A heap copy of exactly the input's size: ASan sees over-reads. */
        uint8_t *exact = malloc(size > 0 ? size : 1);
        if (exact == NULL) {
            perror("malloc");
            return 2;
        }
        memcpy(exact, buf, size);
        run(exact, size);
        free(exact);
    }
    printf("replay %s: %u given inputs and %lu mutated ones passed\n", target, given, count);
    return 0;
}
