// Assertions for what must never happen in the ledger (TigerBeetle's habit):
// kept on in every build, NDEBUG or not, because a ledger that goes on after
// its books stopped balancing does more harm than one that stops.
#pragma once

#include <cstdio>
#include <cstdlib>

#define ZIZHU_LEDGER_ASSERT(cond)                                                                        \
  do {                                                                                                   \
    if (!(cond)) {                                                                                       \
      std::fprintf(stderr, "%s:%d: ledger assertion failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                                      \
    }                                                                                                    \
  } while (false)
