# Filters `swift test` output for `make test`: one line per test class as it finishes ("== ok 'Name': Executed
# 9 tests, with 0 failures … in 1.2 seconds"), failures and everything else as they come; the per-case
# started/passed lines are dropped (the full log is in .build/test.log).
/^Test Case .*(started|passed)/ { next }
/^Test Suite .* started at/ { next }
/^Test Suite .* (passed|failed) at/ {
    name = $0
    sub(/^Test Suite /, "", name)
    sub(/ (passed|failed) at.*$/, "", name)
    state = ($0 ~ /' failed at/) ? "FAILED" : "ok"
    if ((getline summary) > 0) {
        sub(/^[ \t]+/, "", summary)
        printf "== %s %s: %s\n", state, name, summary
    } else {
        printf "== %s %s\n", state, name
    }
    fflush()
    next
}
{ print; fflush() }
