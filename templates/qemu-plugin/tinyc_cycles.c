/*
 * tinyc cycle model: a QEMU (7.2, plugin API version 1) TCG plugin that
 * estimates Cortex-M cycles over the executed instruction stream.
 *
 * At translation it decodes every Thumb/Thumb-2 instruction into one class
 * (thumb_class below); at execution it charges that class's cycles from the
 * core's timing table (written by tinyc from timing/<core>.json), per
 * instruction, in program order:
 *   - class cycles, plus perRegister x registers for load/store multiple;
 *   - a pipeline refill when the instruction does not follow its predecessor
 *     (a taken branch, or an exception entry);
 *   - load pipelining: a single load right after a single load saves
 *     cycles, unless it uses the previous load's result as its base;
 *   - dual issue (Cortex-M7): an allowed pair costs the second one less;
 *   - flash wait states: a data access to a flash range, and the first fetch
 *     from flash after a taken branch, cost the table's wait states.
 * Every data access also counts, per address range, loads and stores.
 *
 * Markers: a store to tinyc_cycle_marks[i] (the firmware's array, address
 * given as an argument) snapshots every counter into slot i (the latest
 * store wins). At every marker, and at exit, the plugin writes the snapshots to the output file:
 *   ranges <name>...  /  classes <name>...
 *   mark <i> <cycles> <instructions> {<loads> <stores>} per range | {<instructions> <cycles>} per class
 *   total ... (the same, at exit only)
 *
 * Arguments: table=FILE, out=FILE, marks=ADDR, nmarks=N.
 * The table file has lines "class NAME CYCLES PER_REGISTER", "param NAME
 * VALUE", "pair FIRST SECOND" and "range NAME LO HI FLASH(0|1)".
 *
 * The plugin API is declared here from QEMU's documentation (docs/devel/tcg-plugins.rst):
 * Debian ships no qemu-plugin.h.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the QEMU plugin API (version 1) ---- */
typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct {
    const char *target_name;
    struct {
        int min;
        int cur;
    } version;
    bool system_emulation;
    union {
        struct {
            int smp_vcpus;
            int max_vcpus;
        } system;
    };
} qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W, QEMU_PLUGIN_MEM_RW };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info, uint64_t vaddr, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
                                      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw, void *userdata);
bool qemu_plugin_mem_is_store(qemu_plugin_meminfo_t info);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
void qemu_plugin_outs(const char *string);

QEMU_PLUGIN_EXPORT int qemu_plugin_version = 1;

/* ---- instruction classes (the names are the timing tables' keys) ---- */
#define CLASSES(X)                                                                                                   \
    X(alu) X(alu_simd) X(alu_pc) X(mul) X(mla) X(mul_dsp) X(mac_dsp) X(mul_long) X(mac_long) X(div) X(load)          \
    X(load_pc) X(load_dual) X(load_multiple) X(load_multiple_pc) X(store) X(store_dual) X(store_multiple) X(branch) \
    X(branch_cond) X(table_branch) X(it) X(nop) X(preload) X(barrier) X(system) X(fp) X(fp_load) X(fp_store)       \
    X(fp_multiple) X(mve) X(mve_load) X(mve_store) X(lob)
#define AS_ENUM(n) C_##n,
#define AS_NAME(n) #n,
enum insn_class { CLASSES(AS_ENUM) N_CLASSES };
static const char *const class_names[N_CLASSES] = {CLASSES(AS_NAME)};

#define NO_REG 0xFFu

/* One decoded instruction: what execution needs, kept for the translation's lifetime. */
typedef struct {
    uint32_t pc;
    uint8_t size;
    uint8_t cls;
    uint8_t regs;   /* registers transferred (multiple) */
    uint8_t rt;     /* single load/store: the transfer register */
    uint8_t rn;     /* single load/store: the base register */
} insn_info;

#define MAX_RANGES 8
typedef struct {
    uint64_t cycles, insns;
    uint64_t loads[MAX_RANGES], stores[MAX_RANGES];
    uint64_t class_insns[N_CLASSES], class_cycles[N_CLASSES];
} counters;

static struct {
    uint32_t cycles[N_CLASSES], per_register[N_CLASSES];
    uint32_t refill, lob_refill, ls_saving, dual_second, flash_wait;
    bool dual[N_CLASSES][N_CLASSES];
    int n_ranges;
    char range_name[MAX_RANGES][32];
    uint64_t range_lo[MAX_RANGES], range_hi[MAX_RANGES];
    bool range_flash[MAX_RANGES];
} model;

static counters now;
static counters *snaps;
static bool *snapped;
static uint64_t marks_lo, marks_n;
static const insn_info *prev;
static bool prev_paired;
static char out_path[4096];

/* ---- decoding ---- */
static int popcount16(uint32_t v)
{
    return __builtin_popcount(v & 0xFFFFu);
}

static bool is_branchy(uint8_t c)
{
    return c == C_branch || c == C_branch_cond || c == C_table_branch || c == C_alu_pc || c == C_load_pc ||
           c == C_load_multiple_pc || c == C_lob;
}

static void single(insn_info *d, bool load, uint32_t rt, uint32_t rn)
{
    d->cls = load ? C_load : C_store;
    d->rt = (uint8_t)rt;
    d->rn = (uint8_t)rn;
}

static void decode16_misc(insn_info *d, uint32_t h)
{
    if ((h & 0xF500u) == 0xB100u) d->cls = C_branch_cond; /* CBZ, CBNZ */
    else if ((h & 0xFE00u) == 0xB400u) {                  /* PUSH */
        d->cls = C_store_multiple;
        d->regs = (uint8_t)(popcount16(h & 0xFFu) + ((h >> 8) & 1u));
    } else if ((h & 0xFE00u) == 0xBC00u) { /* POP */
        d->cls = (h & 0x100u) ? C_load_multiple_pc : C_load_multiple;
        d->regs = (uint8_t)(popcount16(h & 0xFFu) + ((h >> 8) & 1u));
    } else if ((h & 0xFF00u) == 0xBF00u) d->cls = (h & 0xFu) ? C_it : C_nop;
    else if ((h & 0xFF00u) == 0xBE00u || (h & 0xFFE8u) == 0xB660u) d->cls = C_system; /* BKPT, CPS */
    else d->cls = C_alu; /* ADD/SUB SP, extends, REV */
}

static void decode16(insn_info *d, uint32_t h)
{
    uint32_t top = h >> 12;
    d->cls = C_alu;
    if (h < 0x4000u) return;
    if (h < 0x4400u) d->cls = (h & 0xFFC0u) == 0x4340u ? C_mul : C_alu;
    else if (h < 0x4800u) {
        uint32_t rd = (h & 7u) | ((h >> 4) & 8u);
        if ((h & 0xFF00u) == 0x4700u) d->cls = C_branch; /* BX, BLX */
        else if ((h & 0xFF00u) != 0x4500u && rd == 15u) d->cls = C_alu_pc;
    } else if (h < 0x5000u) single(d, true, (h >> 8) & 7u, 15u); /* LDR literal */
    else if (top == 5u) single(d, ((h >> 9) & 7u) >= 3u, h & 7u, (h >> 3) & 7u);
    else if (top == 6u || top == 7u || top == 8u) single(d, (h >> 11) & 1u, h & 7u, (h >> 3) & 7u);
    else if (top == 9u) single(d, (h >> 11) & 1u, (h >> 8) & 7u, 13u);
    else if (top == 0xBu) decode16_misc(d, h);
    else if (top == 0xCu) {
        d->cls = (h & 0x800u) ? C_load_multiple : C_store_multiple;
        d->regs = (uint8_t)popcount16(h & 0xFFu);
    } else if (top == 0xDu) d->cls = ((h >> 8) & 0xEu) == 0xEu ? C_system : C_branch_cond;
    else if (h < 0xE800u) d->cls = C_branch;
}

static void decode_multiple_dual(insn_info *d, uint32_t h1, uint32_t h2)
{
    bool load = (h1 >> 4) & 1u;
    if ((h1 & 0xFE40u) == 0xE800u) { /* LDM/STM (and PUSH.W/POP.W) */
        d->regs = (uint8_t)popcount16(h2);
        d->cls = load ? ((h2 & 0x8000u) ? C_load_multiple_pc : C_load_multiple) : C_store_multiple;
        return;
    }
    uint32_t op1 = (h1 >> 7) & 3u, op2 = (h1 >> 4) & 3u;
    if (op1 == 0u && op2 < 2u) single(d, op2 == 1u, h2 >> 12, h1 & 0xFu); /* STREX, LDREX */
    else if (op1 == 1u && op2 == 0u) single(d, false, h2 >> 12, h1 & 0xFu);
    else if (op1 == 1u && op2 == 1u) {
        if (((h2 >> 4) & 0xFu) < 2u) d->cls = C_table_branch;
        else single(d, true, h2 >> 12, h1 & 0xFu);
    } else d->cls = load ? C_load_dual : C_store_dual;
}

static void decode_coprocessor(insn_info *d, uint32_t h1, uint32_t h2, bool mve)
{
    bool fp = ((h2 >> 9) & 7u) == 5u; /* coprocessors 10 and 11 */
    bool transfer = (h1 & 0xEE00u) == 0xEC00u;
    bool load = (h1 >> 4) & 1u;
    if (fp && transfer) {
        bool p = (h1 >> 8) & 1u, w = (h1 >> 5) & 1u;
        if (p && !w) d->cls = load ? C_fp_load : C_fp_store; /* VLDR, VSTR */
        else if (!p && !((h1 >> 7) & 1u) && !w) d->cls = C_fp; /* VMOV two core registers */
        else {
            d->cls = C_fp_multiple;
            d->regs = (uint8_t)((h2 & 0xFFu) >> (((h2 >> 8) & 1u) ? 1 : 0));
        }
    } else if (fp) d->cls = C_fp;
    else if (mve) d->cls = transfer ? (load ? C_mve_load : C_mve_store) : C_mve;
    else d->cls = C_system;
}

static void decode32_control(insn_info *d, uint32_t h1, uint32_t h2)
{
    if ((h1 & 0xFF80u) == 0xF000u && (h2 & 0xD001u) == 0xC001u) d->cls = C_lob; /* WLS, DLS, LE, LETP */
    else if ((h2 & 0x5000u) == 0x1000u || (h2 & 0x5000u) == 0x5000u) d->cls = C_branch; /* B.W, BL */
    else if ((h2 & 0x5000u) == 0u && ((h1 >> 6) & 0xEu) != 0xEu) d->cls = C_branch_cond;
    else if ((h1 & 0xFFF0u) == 0xF3B0u) d->cls = C_barrier;
    else if (h1 == 0xF3AFu) d->cls = C_nop;
    else d->cls = C_system;
}

static void decode_load_store(insn_info *d, uint32_t h1, uint32_t h2)
{
    bool load = (h1 >> 4) & 1u;
    uint32_t rt = h2 >> 12, size = (h1 >> 5) & 3u;
    if (load && rt == 15u) d->cls = size == 2u ? C_load_pc : C_preload;
    else single(d, load, rt, h1 & 0xFu);
}

static void decode_register_dp(insn_info *d, uint32_t h1, uint32_t h2)
{
    uint32_t op1 = (h1 >> 4) & 0xFu, op2 = (h2 >> 4) & 0xFu;
    d->cls = C_alu;
    if (op1 < 8u && (op2 & 8u)) d->cls = (op1 == 2u || op1 == 3u) ? C_alu_simd : C_alu; /* extends */
    else if ((op1 & 8u) && op2 < 8u) d->cls = C_alu_simd;                              /* parallel add/sub */
    else if (op1 == 8u || (op1 == 10u && op2 == 8u)) d->cls = C_alu_simd;              /* QADD.., SEL */
}

static void decode_multiply(insn_info *d, uint32_t h1, uint32_t h2)
{
    uint32_t op1 = (h1 >> 4) & 7u, ra = h2 >> 12;
    if ((h1 & 0xFF80u) == 0xFB80u) {
        if (op1 == 1u || op1 == 3u) d->cls = C_div;
        else d->cls = (op1 == 0u || op1 == 2u) ? C_mul_long : C_mac_long;
    } else if (op1 == 0u) d->cls = (ra == 15u && ((h2 >> 4) & 3u) == 0u) ? C_mul : C_mla;
    else if (op1 == 7u) d->cls = ra == 15u ? C_alu_simd : C_mac_dsp; /* USAD8, USADA8 */
    else d->cls = (ra == 15u && op1 != 6u) ? C_mul_dsp : C_mac_dsp;
}

static void decode32(insn_info *d, uint32_t h1, uint32_t h2, bool mve)
{
    d->cls = C_alu;
    if ((h1 & 0xFE00u) == 0xE800u) decode_multiple_dual(d, h1, h2);
    else if ((h1 & 0xFE00u) == 0xEA00u) d->cls = C_alu; /* data processing, shifted register */
    else if ((h1 & 0xFC00u) == 0xEC00u || (h1 & 0xFC00u) == 0xFC00u) decode_coprocessor(d, h1, h2, mve);
    else if ((h1 & 0xF800u) == 0xF000u) {
        if (h2 & 0x8000u) decode32_control(d, h1, h2);
        else d->cls = C_alu; /* data processing, immediate */
    } else if ((h1 & 0xFE00u) == 0xF800u) decode_load_store(d, h1, h2);
    else if ((h1 & 0xFF00u) == 0xFA00u) decode_register_dp(d, h1, h2);
    else if ((h1 & 0xFF00u) == 0xFB00u) decode_multiply(d, h1, h2);
}

/* ---- execution ---- */
static void write_report(bool with_total);
static int range_of(uint64_t a)
{
    for (int i = 0; i < model.n_ranges; i++) {
        if (a >= model.range_lo[i] && a < model.range_hi[i]) return i;
    }
    return -1;
}

static void on_exec(unsigned int vcpu, void *userdata)
{
    const insn_info *d = userdata;
    uint32_t c = model.cycles[d->cls] + model.per_register[d->cls] * d->regs;
    bool paired = false;
    (void)vcpu;
    if (prev) {
        if (d->pc != prev->pc + prev->size) {
            /* A taken branch (or an exception entry): the refill is the branch's cost. */
            int r = range_of(d->pc);
            uint32_t refill = (prev->cls == C_lob ? model.lob_refill : model.refill) + (r >= 0 && model.range_flash[r] ? model.flash_wait : 0u);
            now.cycles += refill;
            now.class_cycles[prev->cls] += refill;
        } else if (!prev_paired && model.dual[prev->cls][d->cls] && !is_branchy(prev->cls)) {
            c = model.dual_second;
            paired = true;
        }
        if (!paired && d->cls == C_load && prev->cls == C_load && prev->rt != d->rn && c >= model.ls_saving) {
            c -= model.ls_saving;
        }
    }
    now.cycles += c;
    now.insns++;
    now.class_insns[d->cls]++;
    now.class_cycles[d->cls] += c;
    prev = d;
    prev_paired = paired;
}

static void on_mem(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *userdata)
{
    bool store = qemu_plugin_mem_is_store(info);
    int r = range_of(vaddr);
    (void)vcpu;
    (void)userdata;
    if (r >= 0) {
        if (store) now.stores[r]++;
        else now.loads[r]++;
        if (model.range_flash[r]) now.cycles += model.flash_wait;
    }
    if (store && vaddr >= marks_lo && vaddr < marks_lo + 4u * marks_n) {
        uint64_t i = (vaddr - marks_lo) / 4u;
        snaps[i] = now;
        snapped[i] = true;
        write_report(false);
    }
}

static bool accesses_memory(uint8_t c)
{
    switch (c) {
    case C_load: case C_load_pc: case C_load_dual: case C_load_multiple: case C_load_multiple_pc:
    case C_store: case C_store_dual: case C_store_multiple: case C_table_branch:
    case C_fp_load: case C_fp_store: case C_fp_multiple: case C_mve_load: case C_mve_store:
        return true;
    default:
        return false;
    }
}

static bool mve_core;

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t n = qemu_plugin_tb_n_insns(tb);
    (void)id;
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        const uint8_t *b = qemu_plugin_insn_data(insn);
        insn_info *d = calloc(1, sizeof *d);
        if (!d) abort();
        d->pc = (uint32_t)qemu_plugin_insn_vaddr(insn);
        d->size = (uint8_t)qemu_plugin_insn_size(insn);
        d->rt = d->rn = NO_REG;
        uint32_t h1 = (uint32_t)b[0] | ((uint32_t)b[1] << 8);
        if (d->size >= 4) decode32(d, h1, (uint32_t)b[2] | ((uint32_t)b[3] << 8), mve_core);
        else decode16(d, h1);
        qemu_plugin_register_vcpu_insn_exec_cb(insn, on_exec, QEMU_PLUGIN_CB_NO_REGS, d);
        if (accesses_memory(d->cls)) qemu_plugin_register_vcpu_mem_cb(insn, on_mem, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_RW, NULL);
    }
}

/* ---- the table, the arguments, the report ---- */
static int class_index(const char *name)
{
    for (int i = 0; i < N_CLASSES; i++) {
        if (strcmp(class_names[i], name) == 0) return i;
    }
    return -1;
}

static int table_line(const char *line)
{
    char kind[16], a[64], b[64];
    unsigned long long lo, hi;
    unsigned x, y;
    int flash;
    if (sscanf(line, "class %63s %u %u", a, &x, &y) == 3) {
        int c = class_index(a);
        if (c < 0) return -1;
        model.cycles[c] = x;
        model.per_register[c] = y;
    } else if (sscanf(line, "param %63s %u", a, &x) == 2) {
        if (strcmp(a, "refill") == 0) model.refill = x;
        else if (strcmp(a, "lob_refill") == 0) model.lob_refill = x;
        else if (strcmp(a, "ls_saving") == 0) model.ls_saving = x;
        else if (strcmp(a, "dual_second") == 0) model.dual_second = x;
        else if (strcmp(a, "flash_wait") == 0) model.flash_wait = x;
        else if (strcmp(a, "mve") == 0) mve_core = x != 0;
        else return -1;
    } else if (sscanf(line, "pair %63s %63s", a, b) == 2) {
        int p = class_index(a), q = class_index(b);
        if (p < 0 || q < 0) return -1;
        model.dual[p][q] = true;
    } else if (sscanf(line, "range %31s %llx %llx %d", kind, &lo, &hi, &flash) == 4) {
        if (model.n_ranges == MAX_RANGES) return -1;
        strcpy(model.range_name[model.n_ranges], kind);
        model.range_lo[model.n_ranges] = lo;
        model.range_hi[model.n_ranges] = hi;
        model.range_flash[model.n_ranges++] = flash != 0;
    } else if (line[0] != '#' && line[0] != '\n' && line[0] != 0) {
        return -1;
    }
    return 0;
}

static int read_table(const char *path)
{
    char line[256];
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f)) {
        if (table_line(line) != 0) {
            fprintf(stderr, "tinyc cycles: bad table line: %s", line);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

static void write_counters(FILE *f, const counters *c)
{
    fprintf(f, " %llu %llu", (unsigned long long)c->cycles, (unsigned long long)c->insns);
    for (int r = 0; r < model.n_ranges; r++) {
        fprintf(f, " %llu %llu", (unsigned long long)c->loads[r], (unsigned long long)c->stores[r]);
    }
    fputs(" |", f);
    for (int k = 0; k < N_CLASSES; k++) {
        fprintf(f, " %llu %llu", (unsigned long long)c->class_insns[k], (unsigned long long)c->class_cycles[k]);
    }
    fputc('\n', f);
}

/*
 * The report is rewritten at every marker (QEMU may leave without running
 * exit callbacks, e.g. when the guest exits through semihosting while another
 * thread shuts down), and once more at exit with the totals.
 */
static void write_report(bool with_total)
{
    char partial[4200];
    FILE *f;
    snprintf(partial, sizeof partial, "%s.part", out_path);
    f = fopen(partial, "w");
    if (!f) return;
    fprintf(f, "ranges");
    for (int r = 0; r < model.n_ranges; r++) fprintf(f, " %s", model.range_name[r]);
    fputs("\nclasses", f);
    for (int k = 0; k < N_CLASSES; k++) fprintf(f, " %s", class_names[k]);
    fputc('\n', f);
    for (uint64_t i = 0; i < marks_n; i++) {
        if (!snapped[i]) continue;
        fprintf(f, "mark %llu", (unsigned long long)i);
        write_counters(f, &snaps[i]);
    }
    if (with_total) {
        fprintf(f, "total");
        write_counters(f, &now);
    }
    fclose(f);
    rename(partial, out_path);
}

static void on_exit_report(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    write_report(true);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    const char *table = NULL;
    (void)info;
    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "table=", 6) == 0) table = argv[i] + 6;
        else if (strncmp(argv[i], "out=", 4) == 0) snprintf(out_path, sizeof out_path, "%s", argv[i] + 4);
        else if (strncmp(argv[i], "marks=", 6) == 0) marks_lo = strtoull(argv[i] + 6, NULL, 0);
        else if (strncmp(argv[i], "nmarks=", 7) == 0) marks_n = strtoull(argv[i] + 7, NULL, 0);
        else {
            fprintf(stderr, "tinyc cycles: unknown argument %s\n", argv[i]);
            return -1;
        }
    }
    model.lob_refill = ~0u;
    if (!table || !out_path[0] || read_table(table) != 0) {
        fprintf(stderr, "tinyc cycles: needs table=FILE (readable, well formed) and out=FILE\n");
        return -1;
    }
    if (model.lob_refill == ~0u) model.lob_refill = model.refill;
    snaps = calloc(marks_n ? marks_n : 1, sizeof *snaps);
    snapped = calloc(marks_n ? marks_n : 1, sizeof *snapped);
    if (!snaps || !snapped) return -1;
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_exit_report, NULL);
    return 0;
}
