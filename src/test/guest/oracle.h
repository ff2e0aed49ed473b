/*
 * The processor the native run, the oracle, is on. linux4j models an Intel processor (CPUID
 * says GenuineIntel); where the SDM leaves a result to the implementation, other vendors'
 * processors give other bits: the last bits of the x87 transcendentals, which NaN DPPS and DPPD
 * return when several meet, the MXCSR_MASK that FXSAVE stores. The test harness puts the host's
 * vendor in LINUX4J_ORACLE_CPU for both runs, so a program prints such results exactly only
 * against an Intel oracle, and in a vendor-neutral form otherwise. Unset (a program run by
 * hand) counts as Intel.
 */
#ifndef LINUX4J_ORACLE_H
#define LINUX4J_ORACLE_H
#include <stdlib.h>
#include <string.h>

static int oracle_is_intel(void) {
    const char *v = getenv("LINUX4J_ORACLE_CPU");
    return v == NULL || strcmp(v, "GenuineIntel") == 0;
}
#endif
