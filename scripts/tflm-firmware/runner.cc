/*
 * TensorFlow Lite Micro on tinyc's emulator firmware (scripts/build-tflm-firmware.sh):
 * the model and the input as const data (model.S), one warm-up Invoke() and one
 * timed Invoke() on the same input, printed over semihosting as tinyc's harness
 * prints (src/emulator/qemu.ts parseHarness):
 *
 *   TINYC BEGIN
 *   TINYC TOTAL <SysTick ticks of the timed Invoke()>
 *   TINYC STACK <stack high-water bytes> <stack bytes>
 *   TINYC ARENA <arena bytes used>
 *   TINYC OUTPUT <hex of the first output tensor's bytes>
 *   TINYC END
 *
 * The cycle-counting plugin's contract: tinyc_cycle_marks[0] is stored to
 * immediately before the timed Invoke(), tinyc_cycle_marks[1] immediately after;
 * a third Invoke(), with the profiler marking, stores tinyc_cycle_marks[2] before
 * it and tinyc_cycle_marks[3 + k] at the end of the k-th op it runs (as tinyc's
 * harness does), so the bench has TFLM's cycles per op.
 *
 * Build-time macros (the script): TFLM_OP_COUNT, the number of TFLM_OP(Name)
 * lines in tflm_ops.inc (one MicroMutableOpResolver::AddName() each), and
 * TFLM_ARENA_BYTES.
 */
#include <cstddef>
#include <cstdint>

#include "tensorflow/lite/micro/cortex_m_generic/debug_log_callback.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_profiler_interface.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"

extern "C" {
#include "harness.h"

/* The marks the cycle-counting plugin watches (C linkage, exactly this name): 0-1 the timed Invoke(), 2 and 3 + op the profiled one. */
#define TFLM_MAX_MARKED_OPS 1021
__attribute__((used)) volatile uint32_t tinyc_cycle_marks[3 + TFLM_MAX_MARKED_OPS];

/* Every marker store through here, aligned so it never ends a code page (QEMU 7.2 loses a plugin's memory callback there: see templates/firmware/harness.c). */
__attribute__((noinline, aligned(32))) static void mark(uint32_t i)
{
    tinyc_cycle_marks[i] = 1u;
}

/* model.S: the .tflite file and the input tensor's bytes, each with its end. */
extern const uint8_t tflm_model[], tflm_model_end[];
extern const uint8_t tflm_input[], tflm_input_end[];

/* link.ld: C++ constructors of static objects (startup.c does not run them). */
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

/*
 * The C library's system calls, for what TFLM's library pulls in (vsnprintf in
 * its log, abort in assert): no heap, no files; an exit ends QEMU with its code.
 */
void _exit(int code)
{
    tinyc_exit(code == 0 ? 4 : code); /* abort() or exit() inside TFLM: never a success */
    for (;;) {
    }
}
int _kill(int, int) { return -1; }
int _getpid(void) { return 1; }
void *_sbrk(ptrdiff_t) { return reinterpret_cast<void *>(-1); }
int _write(int, const char *, int) { return -1; }
int _read(int, char *, int) { return -1; }
int _close(int) { return -1; }
int _lseek(int, int, int) { return -1; }
int _isatty(int) { return 0; }
int _fstat(int, void *) { return -1; }
}

namespace {

alignas(16) uint8_t arena[TFLM_ARENA_BYTES];

void fail(const char *what)
{
    tinyc_print("TINYC ERROR ");
    tinyc_print(what);
    tinyc_print("\n");
    tinyc_exit(2);
}

void print_number(const char *tag, uint64_t v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = static_cast<char>('0' + static_cast<int>(v % 10u));
        v /= 10u;
    } while (v != 0u);
    char out[24];
    for (int i = 0; i < n; i++) {
        out[i] = buf[n - 1 - i];
    }
    out[n] = 0;
    tinyc_print(tag);
    tinyc_print(out);
}

void print_hex(const uint8_t *data, size_t bytes)
{
    static const char hex[] = "0123456789abcdef";
    char chunk[65];
    size_t k = 0;
    for (size_t i = 0; i < bytes; i++) {
        chunk[k++] = hex[data[i] >> 4];
        chunk[k++] = hex[data[i] & 0xFu];
        if (k == 64) {
            chunk[k] = 0;
            tinyc_print(chunk);
            k = 0;
        }
    }
    chunk[k] = 0;
    tinyc_print(chunk);
}

void log_line(const char *s)
{
    tinyc_print(s);
}

void load_input(TfLiteTensor *input)
{
    const size_t bytes = static_cast<size_t>(tflm_input_end - tflm_input);
    if (bytes != input->bytes) {
        print_number("TINYC ERROR input file bytes ", bytes);
        print_number(" != input tensor bytes ", input->bytes);
        tinyc_print("\n");
        tinyc_exit(2);
    }
    uint8_t *to = reinterpret_cast<uint8_t *>(input->data.raw);
    for (size_t i = 0; i < bytes; i++) {
        to[i] = tflm_input[i];
    }
}

void add_ops(tflite::MicroMutableOpResolver<TFLM_OP_COUNT> &resolver)
{
#define TFLM_OP(name) \
    if (resolver.Add##name() != kTfLiteOk) fail("cannot register op " #name);
#include "tflm_ops.inc"
#undef TFLM_OP
}

/* Marks the end of every op while `on` (the interpreter calls it around each op); idle otherwise. */
class MarkingProfiler : public tflite::MicroProfilerInterface {
public:
    bool on = false;
    uint32_t BeginEvent(const char *) override { return next_++; }
    void EndEvent(uint32_t op) override
    {
        if (on && op < TFLM_MAX_MARKED_OPS) mark(3u + op);
    }
    void Restart() { next_ = 0; }

private:
    uint32_t next_ = 0;
};

/* A third Invoke(), each op's end marked. */
void profiled_invoke(tflite::MicroInterpreter &interpreter, MarkingProfiler &profiler)
{
    load_input(interpreter.input(0));
    profiler.Restart();
    profiler.on = true;
    mark(2);
    if (interpreter.Invoke() != kTfLiteOk) fail("profiled Invoke() failed");
    profiler.on = false;
}

/* The warm-up Invoke(), then the timed one between the plugin's marks; the SysTick ticks of the timed one. */
uint64_t timed_invoke(tflite::MicroInterpreter &interpreter)
{
    load_input(interpreter.input(0));
    if (interpreter.Invoke() != kTfLiteOk) fail("warm-up Invoke() failed");
    load_input(interpreter.input(0));
    const uint64_t start = tinyc_ticks();
    mark(0);
    const TfLiteStatus status = interpreter.Invoke();
    mark(1);
    const uint64_t ticks = tinyc_ticks() - start;
    if (status != kTfLiteOk) fail("Invoke() failed");
    return ticks;
}

}  // namespace

int main(void)
{
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++) {
        (*f)();
    }
    tinyc_print("TINYC BEGIN\n");
    RegisterDebugLogCallback(log_line);
    tinyc_timer_start();

    const tflite::Model *model = tflite::GetModel(tflm_model);
    if (model->version() != TFLITE_SCHEMA_VERSION) fail("unsupported .tflite schema version");
    /* On the stack, not static: no destructor to register (no __cxa_atexit). */
    tflite::MicroMutableOpResolver<TFLM_OP_COUNT> resolver;
    add_ops(resolver);
    MarkingProfiler profiler;
    tflite::MicroInterpreter interpreter(model, resolver, arena, sizeof arena, nullptr, &profiler);
    if (interpreter.AllocateTensors() != kTfLiteOk) fail("AllocateTensors() failed (arena too small? set TFLM_ARENA_BYTES)");

    const uint64_t ticks = timed_invoke(interpreter);
    profiled_invoke(interpreter, profiler);
    print_number("TINYC TOTAL ", ticks);
    print_number("\nTINYC STACK ", tinyc_stack_high_water());
    print_number(" ", tinyc_stack_size());
    print_number("\nTINYC ARENA ", interpreter.arena_used_bytes());
    tinyc_print("\nTINYC OUTPUT ");
    const TfLiteTensor *output = interpreter.output(0);
    print_hex(reinterpret_cast<const uint8_t *>(output->data.raw), output->bytes);
    tinyc_print("\nTINYC END\n");
    return 0;
}
