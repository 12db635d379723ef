/*
 * detect.c: keyword spotting from C with libkws; prints what `kws detect FILE` prints.
 *
 *   detect [--model NAME|PATH] [--engine NAME] [--threshold X|LABEL=X]... [--false-alarms-per-hour X] FILE.wav...
 *   detect [options] [--rate HZ] [--channels N] [--summary] -    raw s16le PCM on stdin (default 16000 Hz mono),
 *                                                                printed like `kws stream`
 *
 * A file of at most 1.5 s is classified as one clip ("FILE: label 0.987"); a longer one is streamed
 * through the detector and each detection is printed ("FILE: label 0.912 at 1.23–2.23 s").
 * `--threshold yes=0.8` sets one keyword's threshold (kws_spotter_set_threshold); a bare value sets every
 * keyword's. At the end of stdin, what the spotter heard wrong in the input (a wrong --rate or --channels,
 * float data, silence, clipping) is printed on stderr (kws_input_warnings), as `kws stream` warns; with
 * --summary, also the frames read and those the library worked through (kws_stream_samples).
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

/* Prints each input warning the spotter raised in the stream just finished. */
static void print_input_warnings(kws_spotter *spotter) {
    uint32_t warnings = 0;
    if (kws_input_warnings(spotter, &warnings) != KWS_OK) return;
    for (uint32_t bit = 1; bit != 0 && bit <= warnings; bit <<= 1) {
        const char *message = NULL;
        if ((warnings & bit) && kws_input_warning_message(spotter, (kws_input_warning)bit, &message) == KWS_OK && message != NULL)
            fprintf(stderr, "detect: stdin: %s\n", message);
    }
}

/* Raw s16le PCM of `channels` interleaved channels at `rate` Hz; with `summary`, the frames read and the
   frames the library worked through (kws_stream_samples) on stderr at the end. */
static int detect_stdin(kws_spotter *spotter, int rate, int channels, int summary) {
    int64_t sent = 0, fed = 0;
    unsigned char bytes[4096];
    int16_t pcm[sizeof bytes / 2];
    size_t held = 0, read;
    size_t frame_bytes = 2 * (size_t)channels;
    if (kws_set_detection_callback(spotter, on_detection, NULL) != KWS_OK) return fail("stdin");
    while ((read = fread(bytes + held, 1, sizeof bytes - held, stdin)) > 0) {
        size_t available = held + read;
        size_t frames = available / frame_bytes; /* a partial frame waits for the rest of its bytes */
        for (size_t i = 0; i < frames * channels; i++) pcm[i] = (int16_t)(uint16_t)(bytes[2 * i] | bytes[2 * i + 1] << 8);
        if (kws_feed_s16(spotter, pcm, frames, rate, channels) != KWS_OK) return fail("stdin");
        sent += (int64_t)frames;
        held = available - frames * frame_bytes;
        memmove(bytes, bytes + frames * frame_bytes, held);
    }
    if (ferror(stdin)) {
        fprintf(stderr, "detect: reading stdin failed\n");
        return 1;
    }
    if (kws_finish(spotter) != KWS_OK) return fail("stdin");
    print_input_warnings(spotter);
    if (summary) {
        if (kws_stream_samples(spotter, &fed) != KWS_OK) return fail("stdin");
        fprintf(stderr, "detect: stdin: %lld frames read, %lld fed\n", (long long)sent, (long long)fed);
    }
    return 0;
}

static int usage(void) {
    fprintf(stderr, "usage: detect [--model NAME|PATH] [--engine NAME] [--threshold X|LABEL=X]... [--false-alarms-per-hour X]\n"
                    "              [--rate HZ] [--channels N] [--summary] FILE.wav... | -\n");
    return 2;
}

/* Applies the `--threshold LABEL=X` options once the spotter exists. */
static int set_keyword_thresholds(kws_spotter *spotter, char **labels, int count) {
    for (int i = 0; i < count; i++) {
        char *equals = strchr(labels[i], '=');
        *equals = '\0';
        kws_status status = kws_spotter_set_threshold(spotter, labels[i], strtof(equals + 1, NULL));
        *equals = '=';
        if (status != KWS_OK) return fail(labels[i]);
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *model = NULL;
    kws_options options = kws_default_options();
    char *keyword_thresholds[64];
    int keyword_threshold_count = 0;
    int rate = KWS_SAMPLE_RATE, channels = 1, summary = 0;
    int first = 1;
    for (; first < argc && strncmp(argv[first], "--", 2) == 0; first += 2) {
        if (strcmp(argv[first], "--summary") == 0) { /* the one option without a value */
            summary = 1;
            first -= 1;
            continue;
        }
        if (first + 1 >= argc) return usage();
        const char *value = argv[first + 1];
        if (strcmp(argv[first], "--model") == 0) {
            model = value;
        } else if (strcmp(argv[first], "--engine") == 0) {
            options.engine = value;
        } else if (strcmp(argv[first], "--threshold") == 0 && strchr(value, '=') != NULL) {
            if (keyword_threshold_count == 64) return usage();
            keyword_thresholds[keyword_threshold_count++] = argv[first + 1];
        } else if (strcmp(argv[first], "--threshold") == 0) {
            options.threshold = strtof(value, NULL);
        } else if (strcmp(argv[first], "--false-alarms-per-hour") == 0) {
            options.false_alarms_per_hour = strtof(value, NULL);
        } else if (strcmp(argv[first], "--rate") == 0) {
            rate = atoi(value);
        } else if (strcmp(argv[first], "--channels") == 0) {
            channels = atoi(value);
        } else {
            return usage();
        }
    }
    if (first >= argc) return usage();
    if (rate < KWS_MIN_SAMPLE_RATE || rate > KWS_MAX_SAMPLE_RATE || channels < 1 || channels > 1024) {
        fprintf(stderr, "detect: --rate %d --channels %d: use %d...%d Hz and 1...1024 channels\n", rate, channels,
                KWS_MIN_SAMPLE_RATE, KWS_MAX_SAMPLE_RATE);
        return 2;
    }

    kws_spotter *spotter = NULL;
    if (kws_spotter_create(model, &options, &spotter) != KWS_OK) return fail("cannot start");
    if (set_keyword_thresholds(spotter, keyword_thresholds, keyword_threshold_count) != 0) {
        kws_spotter_free(spotter);
        return 1;
    }

    int failures = 0;
    for (int i = first; i < argc; i++) {
        failures += strcmp(argv[i], "-") == 0 ? detect_stdin(spotter, rate, channels, summary) : detect_file(spotter, argv[i]);
    }
    kws_spotter_free(spotter);
    return failures > 0 ? 1 : 0;
}
