// Makes the FFTW wisdom kws ships (Sources/KWSAudio/FFTWisdom.swift) and times candidate plans.
//   cc -O2 make_wisdom.c -o make_wisdom -lfftw3f
//   ./make_wisdom patient > a.wis     (repeat: on a busy machine the chosen plan varies run to run)
//   ./make_wisdom time a.wis b.wis estimate   (interleaved timing, best of 400 x 2000 executions each)
// The plan is made as kws makes it: r2c of 512 floats, out of place, on fftwf_malloc'd arrays.
#include <fftw3.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

int main(int argc, char** argv) {
    float* in = fftwf_malloc(512 * sizeof(float));
    fftwf_complex* out = fftwf_malloc(257 * sizeof(fftwf_complex));
    if (argc == 2) {
        unsigned flags = strcmp(argv[1], "measure") == 0 ? FFTW_MEASURE : FFTW_PATIENT;
        fftwf_plan plan = fftwf_plan_dft_r2c_1d(512, in, out, flags);
        if (!plan) return 1;
        fftwf_fprint_plan(plan, stderr);
        fprintf(stderr, "\n");
        char* wisdom = fftwf_export_wisdom_to_string();
        fputs(wisdom, stdout);
        return 0;
    }
    if (argc < 3 || strcmp(argv[1], "time") != 0) return 2;
    int n = argc - 2;
    fftwf_plan plans[16];
    for (int i = 0; i < n && i < 16; i++) {
        fftwf_forget_wisdom();
        if (strcmp(argv[i + 2], "estimate") == 0) {
            plans[i] = fftwf_plan_dft_r2c_1d(512, in, out, FFTW_ESTIMATE);
        } else {
            if (!fftwf_import_wisdom_from_filename(argv[i + 2])) return 3;
            plans[i] = fftwf_plan_dft_r2c_1d(512, in, out, FFTW_MEASURE | FFTW_WISDOM_ONLY);
        }
        if (!plans[i]) return 4;
    }
    for (int i = 0; i < 512; i++) in[i] = i < 480 ? (float)((i * 7919) % 1000) / 1000.0f - 0.5f : 0;
    double best[16];
    for (int i = 0; i < n; i++) best[i] = 1e30;
    for (int round = 0; round < 400; round++)
        for (int i = 0; i < n; i++) {
            double start = now_ns();
            for (int k = 0; k < 2000; k++) fftwf_execute_dft_r2c(plans[i], in, out);
            double t = (now_ns() - start) / 2000;
            if (t < best[i]) best[i] = t;
        }
    for (int i = 0; i < n; i++) printf("%-24s %.1f ns\n", argv[i + 2], best[i]);
    return 0;
}
