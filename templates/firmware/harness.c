/*
 * tinyc emulator harness: writes the input, runs one warm-up invoke, then one
 * timed invoke with the layer hook idle (the total), one that timestamps the
 * end of every op (per-op figures), and one that hashes every op's output
 * (FNV-1a; an op with several outputs calls the hook once per output, in
 * order, and the hash runs on across them) for layer-by-layer comparison; prints everything as "TINYC ..."
 * lines over semihosting.
 * The model's symbols are mapped by the macros TINYC_MODEL_INVOKE and
 * TINYC_MODEL_OPS; its inputs and outputs come from the tables in input.c.
 * A model compiled with --arena extern also gets TINYC_MODEL_INIT,
 * TINYC_MODEL_ARENA_BYTES and TINYC_MODEL_ARENA_ALIGN: the harness supplies
 * the arena, as a user's firmware would.
 */
#include <stdint.h>
#include "harness.h"
#include "model.h"

static uint64_t layer_end[TINYC_MODEL_OPS];
static uint32_t layer_hash[TINYC_MODEL_OPS];
static int hook_mode; /* 0 off, 1 timing, 2 hashing */
/*
 * Cycle markers: a store to element i lets the emulator's cycle model (a QEMU
 * plugin) snapshot its counters there: 0 and 1 bracket the timed invoke, 2
 * starts the per-op invoke and 3 + op ends each op in it.
 */
volatile uint32_t tinyc_cycle_marks[TINYC_MODEL_OPS + 3];

/*
 * Every marker store goes through this function, aligned so that its few
 * instructions never end a code page: QEMU 7.2 loses a plugin's memory
 * callback for an instruction that ends a translation block cut short by
 * the next instruction crossing a page (seen on Cortex-M55 builds).
 */
__attribute__((noinline, aligned(32))) static void mark(uint32_t i)
{
    tinyc_cycle_marks[i] = 0;
}
static int invoke_status; /* the first nonzero invoke() result (1 + the op that failed), else 0 */

#ifdef TINYC_MODEL_INIT
static int8_t model_arena[TINYC_MODEL_ARENA_BYTES] __attribute__((aligned(TINYC_MODEL_ARENA_ALIGN)));
#endif

static void invoke(void)
{
    int status = TINYC_MODEL_INVOKE();
    if (invoke_status == 0) {
        invoke_status = status;
    }
}

/* An op's output as `rows` runs of `row_bytes` bytes, `stride` bytes apart (one run when dense). */
void tinyc_layer_hook_rows(int op, const int8_t *data, uint32_t rows, uint32_t row_bytes, uint32_t stride)
{
    if (hook_mode == 1) {
        mark(3u + (uint32_t)op);
        layer_end[op] = tinyc_ticks();
    } else if (hook_mode == 2) {
        uint32_t h = layer_hash[op], r, i;
        for (r = 0; r < rows; r++) {
            for (i = 0; i < row_bytes; i++) {
                h = (h ^ (uint8_t)data[r * stride + i]) * 16777619u;
            }
        }
        layer_hash[op] = h;
    }
}

void tinyc_layer_hook(int op, const int8_t *data, uint32_t bytes)
{
    tinyc_layer_hook_rows(op, data, 1, bytes, bytes);
}

static char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0u);
    while (n > 0) {
        *p++ = tmp[--n];
    }
    return p;
}

static char *put_hex8(char *p, uint32_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    int i;
    for (i = digits - 1; i >= 0; i--) {
        *p++ = hex[(v >> (4 * i)) & 0xFu];
    }
    return p;
}

static void line2(const char *tag, uint64_t a, int with_b, uint64_t b, int with_hash, uint32_t hash)
{
    char buf[96];
    char *p = buf;
    const char *t = tag;
    while (*t) {
        *p++ = *t++;
    }
    p = put_u64(p, a);
    if (with_b) {
        *p++ = ' ';
        p = put_u64(p, b);
    }
    if (with_hash) {
        *p++ = ' ';
        p = put_hex8(p, hash, 8);
    }
    *p++ = '\n';
    *p = 0;
    tinyc_print(buf);
}

static void load_input(void)
{
    uint32_t k, i, at = 0;
    for (k = 0; k < tinyc_model_input_count; k++) {
        uint8_t *in = tinyc_model_inputs[k].data();
        /* A streamed input has no address: the model asks for its rows (input.c). */
        for (i = 0; in != 0 && i < tinyc_model_inputs[k].bytes; i++) {
            in[i] = (uint8_t)tinyc_input_data[at + i];
        }
        at += tinyc_model_inputs[k].bytes;
    }
}

int main(void)
{
    uint64_t start, total;
    uint32_t i;
    char buf[8];
    tinyc_print("TINYC BEGIN\n");
    tinyc_timer_start();
#ifdef TINYC_MODEL_INIT
    if (TINYC_MODEL_INIT(model_arena, sizeof model_arena) != 0) {
        tinyc_print("TINYC ERROR the model refused the harness's arena\n");
        tinyc_exit(3);
    }
#endif

    load_input();
    hook_mode = 0;
    invoke(); /* warm-up */

    load_input();
    hook_mode = 0;
    start = tinyc_ticks();
    mark(0);
    invoke();
    mark(1);
    total = tinyc_ticks() - start;

    load_input();
    hook_mode = 1;
    start = tinyc_ticks();
    mark(2);
    invoke();

    load_input();
    for (i = 0; i < TINYC_MODEL_OPS; i++) {
        layer_hash[i] = 2166136261u; /* the FNV-1a offset basis */
    }
    hook_mode = 2;
    invoke();
    hook_mode = 0;

    line2("TINYC STATUS ", (uint64_t)invoke_status, 0, 0, 0, 0);
    line2("TINYC TOTAL ", total, 0, 0, 0, 0);
    for (i = 0; i < TINYC_MODEL_OPS; i++) {
        line2("TINYC LAYER ", i, 1, layer_end[i] - start, 1, layer_hash[i]);
    }
    line2("TINYC STACK ", tinyc_stack_high_water(), 1, tinyc_stack_size(), 0, 0);
    tinyc_print("TINYC OUTPUT ");
    {
        uint32_t k;
        for (k = 0; k < tinyc_model_output_count; k++) {
            const uint8_t *out = tinyc_model_outputs[k].data();
            for (i = 0; i < tinyc_model_outputs[k].bytes; i++) {
                char *p = put_hex8(buf, out[i], 2);
                *p = 0;
                tinyc_print(buf);
            }
        }
    }
    tinyc_print("\nTINYC END\n");
    return 0;
}
