#pragma once

#include <cstdio>
#include <cstdlib>

// An invariant a harness checks: a violation aborts, so libFuzzer keeps the input as a
// crash artifact (a plain assert would vanish in release builds).
#define FUZZ_CHECK(condition)                                                                      \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
