/*
 * The vDSO (vdso(7)): AT_SYSINFO_EHDR points at an ELF object that exports the time functions
 * under the version LINUX_2.6, found here as a dynamic linker would (DT_HASH, DT_VERSYM,
 * DT_VERDEF), and called directly. The C library calls them too: clock_gettime and time must
 * agree with the vDSO's. /proc/self/maps names its mappings.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *strtab;
static const Elf64_Sym *symtab;
static const Elf32_Word *hashtab;
static const Elf64_Half *versym;
static const Elf64_Verdef *verdef;
static uintptr_t base;

static void parse(const Elf64_Ehdr *eh) {
    const Elf64_Phdr *ph = (const void *) ((const char *) eh + eh->e_phoff);
    const Elf64_Dyn *dyn = NULL;
    uintptr_t load = 0;
    int loads = 0;
    for (int i = 0; i < eh->e_phnum; i++) {
        if (ph[i].p_type == PT_LOAD) {
            load = ph[i].p_vaddr - ph[i].p_offset;
            loads++;
            printf("PT_LOAD flags %c%c%c\n", ph[i].p_flags & PF_R ? 'r' : '-', ph[i].p_flags & PF_W ? 'w' : '-',
                    ph[i].p_flags & PF_X ? 'x' : '-');
        } else if (ph[i].p_type == PT_DYNAMIC) {
            dyn = (const void *) ((const char *) eh + ph[i].p_offset);
        }
    }
    base = (uintptr_t) eh - load;
    printf("ELF class %d type %d machine %d, %d PT_LOAD, dynamic %s\n", eh->e_ident[EI_CLASS], eh->e_type,
            eh->e_machine, loads, dyn ? "yes" : "no");
    size_t soname = 0;
    int have_soname = 0;
    for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
        void *p = (void *) (base + dyn->d_un.d_ptr);
        switch (dyn->d_tag) {
        case DT_STRTAB: strtab = p; break;
        case DT_SYMTAB: symtab = p; break;
        case DT_HASH: hashtab = p; break;
        case DT_VERSYM: versym = p; break;
        case DT_VERDEF: verdef = p; break;
        case DT_SONAME: soname = dyn->d_un.d_val; have_soname = 1; break;
        }
    }
    printf("soname %s\n", have_soname && strtab ? strtab + soname : "(none)");
}

/* The version name of symbol i, from DT_VERSYM and DT_VERDEF. */
static const char *version_of(size_t i) {
    if (!versym || !verdef) return "(unversioned)";
    int ndx = versym[i] & 0x7fff;
    for (const Elf64_Verdef *d = verdef;; d = (const void *) ((const char *) d + d->vd_next)) {
        if (d->vd_ndx == ndx && !(d->vd_flags & VER_FLG_BASE)) {
            const Elf64_Verdaux *aux = (const void *) ((const char *) d + d->vd_aux);
            return strtab + aux->vda_name;
        }
        if (!d->vd_next) return "(none)";
    }
}

/* Looks up name@LINUX_2.6 by walking DT_HASH's chain, as musl's vdsosym does. */
static void *lookup(const char *name, int *bind) {
    if (!hashtab || !symtab || !strtab) return NULL;
    Elf32_Word nbucket = hashtab[0];
    const Elf32_Word *bucket = hashtab + 2, *chain = bucket + nbucket;
    unsigned long h = 0, g;
    for (const unsigned char *s = (const unsigned char *) name; *s; s++) {
        h = (h << 4) + *s;
        g = h & 0xf0000000;
        if (g) h ^= g >> 24;
        h &= ~g;
    }
    for (Elf32_Word i = bucket[h % nbucket]; i; i = chain[i]) {
        const Elf64_Sym *s = &symtab[i];
        if (strcmp(strtab + s->st_name, name) == 0 && s->st_shndx != SHN_UNDEF
                && ELF64_ST_TYPE(s->st_info) == STT_FUNC && strcmp(version_of(i), "LINUX_2.6") == 0) {
            *bind = ELF64_ST_BIND(s->st_info);
            return (void *) (base + s->st_value);
        }
    }
    return NULL;
}

static void *find(const char *name) {
    int bind = -1;
    void *p = lookup(name, &bind);
    printf("%-22s %s%s\n", name, p ? "found" : "missing",
            p ? (bind == STB_GLOBAL ? ", global" : bind == STB_WEAK ? ", weak" : ", other binding") : "");
    return p;
}

static long vmlck(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "VmLck: %ld", &kb) == 1) break;
    }
    if (f) fclose(f);
    return kb;
}

int main(void) {
    unsigned long ehdr = getauxval(AT_SYSINFO_EHDR);
    printf("AT_SYSINFO_EHDR %s\n", ehdr ? "set" : "absent");
    if (!ehdr) return 1;
    printf("page aligned %d\n", ehdr % 4096 == 0);
    parse((const Elf64_Ehdr *) ehdr);

    int (*cgt)(clockid_t, struct timespec *) = find("__vdso_clock_gettime");
    find("clock_gettime");
    int (*gtod)(struct timeval *, struct timezone *) = find("__vdso_gettimeofday");
    find("gettimeofday");
    time_t (*tm)(time_t *) = find("__vdso_time");
    find("time");
    int (*gcpu)(unsigned *, unsigned *, void *) = find("__vdso_getcpu");
    find("getcpu");
    int (*cgr)(clockid_t, struct timespec *) = find("__vdso_clock_getres");
    find("clock_getres");
    find("__vdso_no_such_function");
    if (!cgt || !gtod || !tm || !gcpu || !cgr) return 1;

    /* The vDSO's clocks against the C library's (which uses the vDSO itself or the system call). */
    struct timespec a, b, c;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int r = cgt(CLOCK_MONOTONIC, &b);
    clock_gettime(CLOCK_MONOTONIC, &c);
    int ordered = (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec))
            && (c.tv_sec > b.tv_sec || (c.tv_sec == b.tv_sec && c.tv_nsec >= b.tv_nsec));
    printf("clock_gettime(CLOCK_MONOTONIC) = %d, between the C library's: %d, nsec in range: %d\n", r, ordered,
            b.tv_nsec >= 0 && b.tv_nsec < 1000000000);
    r = cgt(CLOCK_REALTIME, &b);
    time_t t0 = time(NULL);
    printf("clock_gettime(CLOCK_REALTIME) = %d, within a second of time(): %d\n", r,
            b.tv_sec - t0 <= 1 && t0 - b.tv_sec <= 1);
    errno = 0;
    r = cgt(12345, &b);
    printf("clock_gettime(12345) = %d (errno untouched: %d)\n", r, errno == 0);

    struct timeval tv;
    r = gtod(&tv, NULL);
    printf("gettimeofday = %d, within a second of time(): %d, usec in range: %d\n", r,
            tv.tv_sec - t0 <= 1 && t0 - tv.tv_sec <= 1 && tv.tv_sec >= t0, tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    r = gtod(NULL, NULL);
    printf("gettimeofday(NULL, NULL) = %d\n", r);

    time_t out = 0;
    time_t t1 = tm(&out);
    printf("time = same as stored: %d, within a second of time(): %d\n", t1 == out, t1 - t0 <= 1 && t1 >= t0);

    unsigned cpu = ~0u, node = ~0u;
    r = gcpu(&cpu, &node, NULL);
    printf("getcpu = %d, cpu below nprocs: %d, node %u\n", r, cpu < (unsigned) sysconf(_SC_NPROCESSORS_CONF), node);
    printf("getcpu(NULL, NULL) = %d\n", gcpu(NULL, NULL, NULL));

    struct timespec res;
    r = cgr(CLOCK_MONOTONIC, &res);
    printf("clock_getres(CLOCK_MONOTONIC) = %d, %ld.%09ld\n", r, (long) res.tv_sec, res.tv_nsec);
    printf("clock_getres(12345) = %d\n", cgr(12345, &res));

    /* VM_SPECIAL mappings: mlock leaves them unlocked, mremap cannot grow them. */
    r = mlock((void *) ehdr, 4096);
    printf("mlock of the image = %d, VmLck %ld kB\n", r, vmlck());
    errno = 0;
    void *grown = mremap((void *) ehdr, 4096, 3 * 4096, 0);
    printf("mremap growing the image: %s\n", grown == MAP_FAILED ? strerror(errno) : "grew");
    /* [vvar_vclock], the two pages below the image, may only be read (no VM_MAYWRITE,
     * VM_MAYEXEC), and the vDSO's mappings are not split (special_mapping_split) */
    void *vvar = (void *) (ehdr - 4096);
    errno = 0;
    r = mprotect(vvar, 4096, PROT_READ | PROT_WRITE);
    printf("mprotect of [vvar_vclock] writable = %d %s\n", r, r ? strerror(errno) : "");
    r = mprotect(vvar, 4096, PROT_READ | PROT_EXEC);
    printf("mprotect of [vvar_vclock] executable = %d %s\n", r, r ? strerror(errno) : "");
    r = mprotect(vvar, 4096, PROT_NONE);
    int r2 = mprotect(vvar, 4096, PROT_READ);
    printf("mprotect of half of [vvar_vclock] to none = %d, to read = %d\n", r, r2);
    r = mprotect((void *) (ehdr - 2 * 4096), 2 * 4096, PROT_NONE);
    r2 = mprotect((void *) (ehdr - 2 * 4096), 2 * 4096, PROT_READ);
    printf("mprotect of all of it to none = %d, back to read = %d\n", r, r2);
    r = mprotect((void *) ehdr, 4096, PROT_READ);
    printf("mprotect of half of the image to read-only = %d %s\n", r, r ? strerror(errno) : "");
    r = munmap((void *) (ehdr + 4096), 4096);
    printf("munmap of half of the image = %d %s\n", r, r ? strerror(errno) : "");
    r = munmap((void *) (ehdr - 3 * 4096), 2 * 4096);
    printf("munmap across [vvar] and [vvar_vclock] = %d %s\n", r, r ? strerror(errno) : "");

    /* /proc/self/maps: the image's mapping and the data pages below it. */
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3) continue;
        const char *name = strchr(line, '[');
        if (name && (strncmp(name, "[vdso]", 6) == 0 || strncmp(name, "[vvar", 5) == 0)) {
            printf("%s %lu pages %s, the image %s", perms, (hi - lo) / 4096,
                    lo == ehdr ? "at" : hi <= ehdr ? "below" : "above", name);
        }
    }
    return 0;
}
