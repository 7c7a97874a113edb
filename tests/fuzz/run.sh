#!/bin/sh
# Runs the host fuzz targets (make fuzz-host): each for a bounded time, from
# its seed corpus, and reports any crash with the path of its reproducer.
#
#   tests/fuzz/run.sh BUILD_FUZZ_DIR SECONDS TARGET...
#
# For each target: $DIR/fuzz_<t> runs with -max_total_time=SECONDS over the
# working corpus $DIR/corpus/<t> (new inputs are kept there between runs) and
# the seeds in tests/fuzz/corpus/<t>; crashes land in $DIR/artifacts/<t>/.
# Extra libFuzzer flags can be passed in FUZZ_FLAGS. Exits 1 if any target
# crashed (or failed to run).
#
# Reproduce a crash:      $DIR/fuzz_<t> <reproducer>
# Minimise a reproducer:  $DIR/fuzz_<t> -minimize_crash=1 -runs=10000 <reproducer>
set -u

dir=$1
secs=$2
shift 2
seeds=tests/fuzz/corpus
failed=""

for t in "$@"; do
    bin="$dir/fuzz_$t"
    work="$dir/corpus/$t"
    art="$dir/artifacts/$t"
    log="$dir/logs/$t.log"
    mkdir -p "$work" "$art" "$dir/logs"
    echo "fuzz-host: $t for ${secs}s (log: $log)"
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$art/" ${FUZZ_FLAGS:-} "$work" "$seeds/$t" >"$log" 2>&1
    rc=$?
    # The last status line: executions, coverage, corpus size, speed.
    stats=$(grep -E '^#[0-9]+' "$log" | tail -1)
    echo "fuzz-host:   $stats"
    if [ $rc -ne 0 ]; then
        repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -1)
        echo "fuzz-host: $t FAILED (exit $rc)"
        grep -E '==== fuzz check failed|ERROR: AddressSanitizer|runtime error:|ERROR: libFuzzer' \
            "$log" | head -3 | sed 's/^/fuzz-host:   /'
        # Where a sanitizer stopped it (the top frame of its report).
        if grep -q 'ERROR: AddressSanitizer' "$log"; then
            grep -m1 -E '^ +#0 ' "$log" | sed 's/^ */fuzz-host:   at /'
        fi
        if [ -n "$repro" ]; then
            echo "fuzz-host:   reproducer: $repro"
            echo "fuzz-host:   rerun with: $bin $repro"
        fi
        failed="$failed $t"
    fi
done

if [ -n "$failed" ]; then
    echo "fuzz-host: crashes in:$failed"
    exit 1
fi
echo "fuzz-host: all targets ran for ${secs}s without a crash"
