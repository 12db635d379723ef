/*
 * detect.c: keyword spotting from C with libkws; prints what `kws detect FILE` prints.
 *
 *   detect [--model NAME|PATH] [--engine NAME] [--threshold X] [--false-alarms-per-hour X] FILE.wav...
 *   detect [options] -        raw s16le 16 kHz mono PCM on stdin, printed like `kws stream`
 *
 * A file of at most 1.5 s is classified as one clip ("FILE: label 0.987"); a longer one is streamed
 * through the detector and each detection is printed ("FILE: label 0.912 at 1.23–2.23 s").
 *
 * Build: cc -std=c99 -O2 -o detect detect.c $(pkg-config --cflags --libs kws)
 */
#include <kws.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* U+2013 EN DASH, as the kws CLI prints between start and end. */
#define EN_DASH "\xe2\x80\x93"

static void print_detection(const char *file, const kws_detection *d) {
    if (file != NULL) printf("%s: ", file);
    printf("%s %.3f at %.2f" EN_DASH "%.2f s\n", d->label, d->score, d->start_seconds, d->end_seconds);
    fflush(stdout);
}

/* Streams print each detection the moment it is decided, from inside kws_feed_s16 / kws_finish. */
static void on_detection(const kws_detection *detection, void *user_data) {
    (void)user_data;
    print_detection(NULL, detection);
}

static int fail(const char *what) {
    fprintf(stderr, "detect: %s: %s\n", what, kws_last_error());
    return 1;
}

/* Samples the file has once resampled to 16 kHz (ceil(count * 16000 / rate)), as `kws detect` counts. */
static double duration_at_16k(size_t count, int sample_rate) {
    uint64_t resampled = ((uint64_t)count * KWS_SAMPLE_RATE + (uint64_t)sample_rate - 1) / (uint64_t)sample_rate;
    return (double)resampled / KWS_SAMPLE_RATE;
}

static int detect_file(kws_spotter *spotter, const char *path) {
    float *samples = NULL;
    size_t count = 0;
    int rate = 0;
    if (kws_read_wav(path, &samples, &count, &rate) != KWS_OK) return fail(path);

    int status = 0;
    if (duration_at_16k(count, rate) <= KWS_CLIP_MAX_SECONDS) {
        kws_classification result;
        if (kws_classify_f32(spotter, samples, count, rate, 1, &result) == KWS_OK) {
            printf("%s: %s %.3f\n", path, result.label, result.score);
        } else {
            status = fail(path);
        }
    } else if (kws_feed_f32(spotter, samples, count, rate, 1) == KWS_OK && kws_finish(spotter) == KWS_OK) {
        kws_detection detection;
        while (kws_next_detection(spotter, &detection) == KWS_OK) print_detection(path, &detection);
    } else {
        status = fail(path);
        kws_reset(spotter);
    }
    kws_free_samples(samples);
    return status;
}

static int detect_stdin(kws_spotter *spotter) {
    unsigned char bytes[4096];
    int16_t pcm[sizeof bytes / 2];
    size_t read;
    if (kws_set_detection_callback(spotter, on_detection, NULL) != KWS_OK) return fail("stdin");
    while ((read = fread(bytes, 1, sizeof bytes, stdin)) > 0) {
        size_t frames = read / 2; /* a trailing odd byte at EOF is not a sample */
        for (size_t i = 0; i < frames; i++) pcm[i] = (int16_t)(uint16_t)(bytes[2 * i] | bytes[2 * i + 1] << 8);
        if (kws_feed_s16(spotter, pcm, frames, KWS_SAMPLE_RATE, 1) != KWS_OK) return fail("stdin");
    }
    if (ferror(stdin)) {
        fprintf(stderr, "detect: reading stdin failed\n");
        return 1;
    }
    return kws_finish(spotter) == KWS_OK ? 0 : fail("stdin");
}

static int usage(void) {
    fprintf(stderr, "usage: detect [--model NAME|PATH] [--engine NAME] [--threshold X] [--false-alarms-per-hour X] FILE.wav... | -\n");
    return 2;
}

int main(int argc, char **argv) {
    const char *model = NULL;
    kws_options options = kws_default_options();
    int first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
        if (first + 1 >= argc) return usage();
        if (strcmp(argv[first], "--model") == 0) {
            model = argv[first + 1];
        } else if (strcmp(argv[first], "--engine") == 0) {
            options.engine = argv[first + 1];
        } else if (strcmp(argv[first], "--threshold") == 0) {
            options.threshold = strtof(argv[first + 1], NULL);
        } else if (strcmp(argv[first], "--false-alarms-per-hour") == 0) {
            options.false_alarms_per_hour = strtof(argv[first + 1], NULL);
        } else {
            return usage();
        }
    }
    if (first >= argc) return usage();

    kws_spotter *spotter = NULL;
    if (kws_spotter_create(model, &options, &spotter) != KWS_OK) return fail("cannot start");

    int failures = 0;
    for (int i = first; i < argc; i++) {
        failures += strcmp(argv[i], "-") == 0 ? detect_stdin(spotter) : detect_file(spotter, argv[i]);
    }
    kws_spotter_free(spotter);
    return failures > 0 ? 1 : 0;
}
