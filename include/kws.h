/*
 * kws.h: the C API of kws, on-device keyword spotting (TC-ResNet on MFCC features).
 *
 * Usage (error handling shortened; every call returns a kws_status):
 *
 *     #include <kws.h>
 *
 *     kws_options options = kws_default_options();
 *     options.false_alarms_per_hour = 0.5f;     // or a bare threshold: options.threshold = 0.9f
 *     kws_spotter *spotter = NULL;
 *     if (kws_spotter_create("tc-resnet8-int8", &options, &spotter) != KWS_OK) {
 *         fprintf(stderr, "kws: %s\n", kws_last_error());
 *         return 1;
 *     }
 *     int16_t pcm[4800];                        // e.g. 100 ms of 48 kHz stereo from a sound card
 *     while (read_audio(pcm, 2400) == 2400) {   // 2400 frames of 2 interleaved channels
 *         kws_feed_s16(spotter, pcm, 2400, 48000, 2);
 *         kws_detection d;
 *         while (kws_next_detection(spotter, &d) == KWS_OK)
 *             printf("%s %.3f at %.2f s\n", d.label, d.score, d.start_seconds);
 *     }
 *     kws_finish(spotter);                      // decides the last words; drain once more
 *     kws_spotter_free(spotter);
 *
 * Build: cc app.c $(pkg-config --cflags --libs kws)
 *
 * Thread safety: a spotter may be used from any thread but by one thread at a time (serialize the calls
 * yourself); distinct spotters are fully independent and may run concurrently, and kws_last_error() is
 * per thread. A call that finds another thread inside a call on the same spotter does nothing and
 * returns KWS_ERROR_BUSY (an atomic in-use flag), so a race is an error code, never corrupted memory
 * (kws_spotter_free racing with another call remains undefined behaviour).
 *
 * Audio: pass interleaved PCM at its own rate and channel count; a spotter averages the channels to mono
 * and resamples to KWS_SAMPLE_RATE inside. Every time in a kws_detection is on the 16 kHz time base,
 * counted from the first sample of the current stream.
 *
 * Errors: nothing in this API aborts the host process on bad input. Each call returns a kws_status;
 * on failure kws_last_error() holds a one-line message saying what was wrong.
 */
#ifndef KWS_H
#define KWS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define KWS_API __attribute__((visibility("default")))
#else
#define KWS_API
#endif

/* ---- Version and constants -------------------------------------------------------------------- */

#define KWS_VERSION_MAJOR 0
#define KWS_VERSION_MINOR 3
#define KWS_VERSION_PATCH 0
#define KWS_VERSION_STRING "0.3.0"

/** The rate the models run at; detection sample indices count samples at this rate. */
#define KWS_SAMPLE_RATE 16000
/** Input sample rates a spotter accepts, in Hz (resampled to KWS_SAMPLE_RATE). Below 4 kHz speech is
 *  unusable and upsampling would multiply memory and time (same limit as WAV files and `kws stream`). */
#define KWS_MIN_SAMPLE_RATE 4000
#define KWS_MAX_SAMPLE_RATE 1000000
/** Interleaved channels per frame a spotter accepts (averaged to mono). */
#define KWS_MAX_CHANNELS 1024
/** Longest clip kws_classify_* looks at as a whole, in seconds (the CLI's clip/stream cut-off). */
#define KWS_CLIP_MAX_SECONDS 1.5
/** Detections a spotter keeps for kws_next_detection before it drops the oldest. */
#define KWS_MAX_PENDING_DETECTIONS 256

/* ---- Status codes ----------------------------------------------------------------------------- */

typedef enum kws_status {
    /** Success. */
    KWS_OK = 0,
    /** kws_next_detection: no detection is waiting (not an error; kws_last_error() is unchanged). */
    KWS_NO_DETECTION = 1,
    /** A NULL pointer, a count, rate or channel number out of range, an option value out of range, or a
     *  false-alarm budget the model's operating points do not describe. */
    KWS_ERROR_INVALID_ARGUMENT = -1,
    /** The model was not found, could not be read, or is not a valid kws model. */
    KWS_ERROR_MODEL = -2,
    /** The audio could not be decoded (malformed or unsupported WAV) or is empty. */
    KWS_ERROR_AUDIO = -3,
    /** A file could not be opened or read. */
    KWS_ERROR_IO = -4,
    /** The call is not allowed now: the sample rate changed in the middle of a stream, or a spotter was
     *  called from inside its own detection callback. */
    KWS_ERROR_STATE = -5,
    /** Memory could not be allocated. */
    KWS_ERROR_OUT_OF_MEMORY = -6,
    /** A failure kws did not foresee; the message says what happened. */
    KWS_ERROR_INTERNAL = -7,
    /** Another thread is inside a call on this spotter right now (a spotter is for one thread at a time):
     *  nothing was done; serialize the calls, or make one spotter per thread. */
    KWS_ERROR_BUSY = -8
} kws_status;

/**
 * The message of the most recent failing kws call on the calling thread, or "" if none failed yet.
 * Like errno, successful calls leave it unchanged. The string stays valid until the next failing kws call
 * on the same thread; it is never NULL.
 */
KWS_API const char *kws_last_error(void);

/** The library's version, e.g. "0.1.0" (compare with KWS_VERSION_STRING to catch header/library skew). */
KWS_API const char *kws_version(void);

/* ---- Creating a spotter ----------------------------------------------------------------------- */

/** A keyword spotter: a loaded model, its engine, and the state of one audio stream. Opaque. */
typedef struct kws_spotter kws_spotter;

/**
 * How a spotter turns window posteriors into detections. Start from kws_default_options().
 *
 * Each keyword's threshold comes from the first of these that is set: `threshold` (a value in (0, 1]);
 * `false_alarms_per_hour`, looked up in the model's operating points (the measured threshold -> recall /
 * false-alarm table a model file may carry; `kws info MODEL` prints it); the model's own default budget, if
 * its table names one; 0.7. kws_spotter_threshold() tells which threshold a keyword got.
 */
typedef struct kws_options {
    /** Backend by name: "float", "int8", "int8-acc16", "zeroskip", "outlier" or "highway". NULL (the default)
     *  means the file's own scheme: "highway" for a *-hw<k> model, "outlier" for an ol4 one, "int8" for a
     *  quantized model file (the *-int8 models) and "float" otherwise. Copied at creation. */
    const char *engine;
    /** Smoothed posterior every keyword must reach to fire, in (0, 1]; overrides false_alarms_per_hour. 0 (the
     *  default) means not set: the model's operating point if it has one, else 0.7. */
    float threshold;
    /** Milliseconds between two evaluated 1 s windows: a multiple of 10 from 10 to 1000. Default 100. */
    int hop_ms;
    /** Posteriors are averaged over the windows of the last smoothing_ms, 0...5000. Default 300. */
    int smoothing_ms;
    /** Quiet time after a detection in which no new one starts, 0...60000 ms. Default 500. */
    int refractory_ms;
    /** False alarms per hour allowed for all keywords together (e.g. 0.5), split evenly over the keywords and
     *  turned into per-keyword thresholds by the model's operating points. 0 (the default) means not set.
     *  kws_spotter_create fails with KWS_ERROR_INVALID_ARGUMENT for NaN, infinity or a negative value, a
     *  model without operating points, or a budget above or below what its table describes. */
    float false_alarms_per_hour;
} kws_options;

/** The defaults the `kws` command line uses. */
KWS_API kws_options kws_default_options(void);

/**
 * Loads a model and makes a spotter.
 *
 * @param model    a shipped model name ("tc-resnet14-1.5-ao-int8"; NULL means the default, "tc-resnet14-1.5-ao-int8") or a path to a
 *                 .safetensors file (any string with a '/' or ending in ".safetensors"). Names are looked
 *                 up in the directories of KWS_MODEL_PATH (colon-separated), then in
 *                 <prefix>/share/kws/models of the installation this library was loaded from, then in
 *                 ./Models and the other places `kws models` searches.
 * @param options  detection settings; NULL means kws_default_options().
 * @param out      receives the spotter; set to NULL on failure.
 * @return KWS_OK; KWS_ERROR_INVALID_ARGUMENT (out is NULL, unknown engine, option out of range, a
 *         false_alarms_per_hour the model cannot meet; kws_last_error() says why and what the table allows);
 *         KWS_ERROR_MODEL (model not found, unreadable or invalid).
 */
KWS_API kws_status kws_spotter_create(const char *model, const kws_options *options, kws_spotter **out);

/**
 * The threshold keyword `label` fires at, as the options and the model's operating points chose it.
 * @return KWS_OK with *out set; KWS_ERROR_INVALID_ARGUMENT (NULL spotter, label or out; a label that is not
 *         one of the model's keywords: "_silence_" and "_unknown_" never fire).
 */
KWS_API kws_status kws_spotter_threshold(const kws_spotter *spotter, const char *label, float *out);

/**
 * Sets the threshold keyword `label` fires at (per-keyword thresholds, as `kws detect --threshold yes=0.8`),
 * overriding what the options and the operating points chose for it; the other keywords keep theirs.
 * Allowed between streams: after kws_spotter_create, kws_finish or kws_reset and before the next feed.
 *
 * @param label      a keyword of the model ("yes"), or NULL for every keyword.
 * @param threshold  in (0, 1].
 * @return KWS_OK; KWS_ERROR_INVALID_ARGUMENT (NULL spotter, a label that is not one of the model's keywords,
 *         a threshold outside (0, 1]); KWS_ERROR_STATE (a stream is in progress, or called from the detection
 *         callback); KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_spotter_set_threshold(kws_spotter *spotter, const char *label, float threshold);

/**
 * Chooses every keyword's threshold from a false-alarm budget (the operating-point setting: false alarms
 * per hour for all keywords together, as kws_options.false_alarms_per_hour), replacing the thresholds chosen
 * before (kws_options.threshold and every kws_spotter_set_threshold). 0 goes back to the model's own default
 * operating point (else 0.7). Allowed between streams, like kws_spotter_set_threshold.
 *
 * @return KWS_OK; KWS_ERROR_INVALID_ARGUMENT (NULL spotter; NaN, infinity or a negative value; a model without
 *         operating points; a budget above or below what its table describes: kws_last_error() says what it
 *         allows); KWS_ERROR_STATE; KWS_ERROR_BUSY (as kws_spotter_set_threshold).
 */
KWS_API kws_status kws_spotter_set_false_alarms_per_hour(kws_spotter *spotter, float false_alarms_per_hour);

/**
 * Frees a spotter and everything it owns (its label strings included). kws_spotter_free(NULL) does
 * nothing. Freeing the same spotter twice, or using it afterwards, is undefined behaviour.
 */
KWS_API void kws_spotter_free(kws_spotter *spotter);

/** The number of labels of the spotter's model, or KWS_ERROR_INVALID_ARGUMENT if spotter is NULL. */
KWS_API int kws_label_count(const kws_spotter *spotter);

/**
 * Label `index` (0-based, in posterior order) of the spotter's model, e.g. "_silence_", "yes".
 * Owned by the spotter and valid until it is freed. NULL (and kws_last_error() set) if spotter is NULL
 * or index is out of range.
 */
KWS_API const char *kws_label(const kws_spotter *spotter, int index);

/* ---- Streaming detection ---------------------------------------------------------------------- */

/** One keyword heard in a stream. */
typedef struct kws_detection {
    /** The keyword (never "_silence_" or "_unknown_"); owned by the spotter, valid until it is freed. */
    const char *label;
    /** Peak smoothed posterior while the keyword was above threshold, in 0...1. */
    float score;
    /** First 16 kHz sample of the 1 s window that best covers the keyword, from stream start. */
    int64_t start_sample;
    /** One past the window's last sample. */
    int64_t end_sample;
    /** start_sample / 16000. */
    double start_seconds;
    /** end_sample / 16000. */
    double end_seconds;
    /** The threshold `label` had to reach (kws_spotter_threshold): why it fired. */
    float threshold;
    /** Evaluated windows of the event whose smoothed score was at least `threshold` (>= 1). */
    int32_t windows_above;
} kws_detection;

/**
 * Called for each detection as soon as it is decided, on the thread inside kws_feed_* or kws_finish.
 * `detection` is valid only during the call (its label until the spotter is freed). The callback must not
 * call kws functions on the same spotter except kws_label and kws_label_count (others return
 * KWS_ERROR_STATE; kws_spotter_free there is undefined behaviour).
 */
typedef void (*kws_detection_callback)(const kws_detection *detection, void *user_data);

/**
 * Sets (or, with callback NULL, removes) the detection callback. While a callback is set, detections go
 * to it and are not queued for kws_next_detection; detections queued before it was set stay queued.
 * @return KWS_OK, or KWS_ERROR_INVALID_ARGUMENT if spotter is NULL;
 *         KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_set_detection_callback(kws_spotter *spotter, kws_detection_callback callback,
                                              void *user_data);

/**
 * Feeds interleaved signed 16-bit PCM (host byte order) and runs detection on it.
 *
 * A stream has one sample rate, fixed by its first non-empty feed; a later feed at another rate fails
 * with KWS_ERROR_STATE until kws_finish or kws_reset ends the stream, and the next stream may use any rate
 * (the spotter rebuilds its resampler). The channel count may change from one call to the next.
 *
 * @param frames       frames (samples per channel) in `interleaved`; 0 is a no-op returning KWS_OK
 *                     (interleaved may then be NULL).
 * @param sample_rate  KWS_MIN_SAMPLE_RATE...KWS_MAX_SAMPLE_RATE Hz.
 * @param channels     1...KWS_MAX_CHANNELS; channels are averaged.
 * @return KWS_OK; KWS_ERROR_INVALID_ARGUMENT (NULL spotter, NULL samples with frames > 0, rate or
 *         channels out of range, frames * channels overflowing); KWS_ERROR_STATE (see above);
 *         KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_feed_s16(kws_spotter *spotter, const int16_t *interleaved, size_t frames,
                                int sample_rate, int channels);

/** kws_feed_s16 for 32-bit float samples (nominal range -1...1; NaN and infinities are read as 0, and so is
 *  a mix of channels that overflows). */
KWS_API kws_status kws_feed_f32(kws_spotter *spotter, const float *interleaved, size_t frames,
                                int sample_rate, int channels);

/**
 * Ends the stream: flushes the resampler, pads half a second of silence so the last word reaches the
 * middle of a window, and decides any open candidate (delivered like feed's detections). The spotter is
 * then ready for a new stream whose first sample is time zero.
 * @return KWS_OK, or KWS_ERROR_INVALID_ARGUMENT if spotter is NULL;
 *         KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_finish(kws_spotter *spotter);

/**
 * Frames (samples per channel, at the stream's own rate) the spotter has worked through in the current
 * stream, or in the stream kws_finish just ended (until the next feed): every frame fed, so a caller can
 * check that nothing was lost against what it sent. 0 after kws_reset and before the first feed.
 * @return KWS_OK with *out set; KWS_ERROR_INVALID_ARGUMENT (NULL spotter or out);
 *         KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_stream_samples(kws_spotter *spotter, int64_t *out);

/**
 * Takes the oldest queued detection (queued by kws_feed_* and kws_finish while no callback is set; at
 * most KWS_MAX_PENDING_DETECTIONS are kept, the oldest dropped first).
 * @return KWS_OK with *out filled; KWS_NO_DETECTION if none is waiting; KWS_ERROR_INVALID_ARGUMENT if
 *         spotter or out is NULL; KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_next_detection(kws_spotter *spotter, kws_detection *out);

/**
 * Forgets the stream (audio, resampler state, open candidate and queued detections); the next sample fed
 * is time zero and may have any rate. The callback stays set.
 * @return KWS_OK, or KWS_ERROR_INVALID_ARGUMENT if spotter is NULL;
 *         KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_reset(kws_spotter *spotter);

/* ---- Input health ----------------------------------------------------------------------------- */

/**
 * Problems a spotter listens for in the audio it is fed (bit flags for kws_input_warnings): audio that
 * decodes, but probably not as its sender meant. Each is decided within seconds (the rates on about 4 s of
 * speech) and reported once per stream; kws's own test clips and samples raise none.
 */
typedef enum kws_input_warning {
    /** Speech-level audio with almost nothing above 3 kHz: its real rate is higher than the one passed to
     *  kws_feed_* (48 kHz audio fed as 16 kHz). */
    KWS_INPUT_RATE_TOO_LOW = 1 << 0,
    /** Voices an octave up with formants twice as high: the real rate is about half the one passed
     *  (8 kHz audio fed as 16 kHz). */
    KWS_INPUT_RATE_TOO_HIGH = 1 << 1,
    /** Odd and even samples behave like two signals: interleaved channels fed as channels = 1. */
    KWS_INPUT_INTERLEAVED_CHANNELS = 1 << 2,
    /** Sample values with the bit pattern of IEEE floats read as integers (float data fed to kws_feed_s16). */
    KWS_INPUT_FLOAT_AS_INTEGER = 1 << 3,
    /** Sample values with the bit pattern of integers read as floats (integer data fed to kws_feed_f32). */
    KWS_INPUT_INTEGER_AS_FLOAT = 1 << 4,
    /** Every sample 0 for 5 s: a muted or disconnected source. */
    KWS_INPUT_DIGITAL_SILENCE = 1 << 5,
    /** At least 0.5% of the samples at full scale. */
    KWS_INPUT_CLIPPING = 1 << 6,
    /** A mean of at least 0.1 of full scale over 5 s. */
    KWS_INPUT_DC_OFFSET = 1 << 7
} kws_input_warning;

/**
 * The input problems heard in the current stream, or in the stream kws_finish ended (until the next feed
 * starts a new one; kws_reset forgets them): a bitwise OR of kws_input_warning values, 0 when none. Once the
 * samples are known to be misread (a format or channel warning), the checks that would only describe the
 * misread bytes (rates, clipping, DC offset) stay quiet.
 * @return KWS_OK with *warnings set; KWS_ERROR_INVALID_ARGUMENT (NULL spotter or warnings);
 *         KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_input_warnings(kws_spotter *spotter, uint32_t *warnings);

/**
 * The message of one raised input warning: one line with the numbers it was decided on, e.g. "odd and even
 * samples behave like two signals over the last 2.0 s (energy ratio 1.00, …): interleaved channels read as
 * one". *message is NULL when that warning has not been raised. The string is owned by the spotter and valid
 * until its next kws_feed_*, kws_finish or kws_reset, or until it is freed.
 * @param warning  one kws_input_warning value (a single bit).
 * @return KWS_OK with *message set; KWS_ERROR_INVALID_ARGUMENT (NULL spotter or message, a value that is not
 *         one kws_input_warning); KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_input_warning_message(kws_spotter *spotter, kws_input_warning warning, const char **message);

/* ---- Classifying a clip ----------------------------------------------------------------------- */

/** The model's verdict on one clip. */
typedef struct kws_classification {
    /** Index of the most probable label (the first one on ties). */
    int index;
    /** That label (may be "_silence_" or "_unknown_"); owned by the spotter, valid until it is freed. */
    const char *label;
    /** Its posterior, in 0...1. */
    float score;
    /** Number of values in `posteriors` (= kws_label_count). */
    size_t label_count;
    /** Softmax posteriors in kws_label order; owned by the spotter, valid until its next kws_classify_*
     *  call or until it is freed. */
    const float *posteriors;
} kws_classification;

/**
 * Classifies a clip (a spoken word of at most KWS_CLIP_MAX_SECONDS) as one 1 s window: shorter clips are
 * padded with silence at the end, longer ones are cut to their central second. Does not touch the
 * spotter's stream.
 *
 * @param count  frames in `interleaved`; must be at least 1.
 * @return KWS_OK with *out filled; KWS_ERROR_INVALID_ARGUMENT (NULL spotter, samples or out, count 0,
 *         rate or channels out of range); KWS_ERROR_STATE (called from the detection callback);
 *         KWS_ERROR_BUSY (another thread is inside a call on this spotter).
 */
KWS_API kws_status kws_classify_s16(kws_spotter *spotter, const int16_t *interleaved, size_t count,
                                    int sample_rate, int channels, kws_classification *out);

/** kws_classify_s16 for 32-bit float samples. */
KWS_API kws_status kws_classify_f32(kws_spotter *spotter, const float *interleaved, size_t count,
                                    int sample_rate, int channels, kws_classification *out);

/* ---- Reading WAV files ------------------------------------------------------------------------ */

/**
 * Decodes a WAV file (PCM 8/16/24/32-bit, float 32/64-bit, WAVE_FORMAT_EXTENSIBLE) to mono float samples
 * at the file's own rate, with kws's validating decoder. Channels are averaged. A file whose data chunk is
 * cut short still decodes (the whole frames it has), as in `kws detect`.
 *
 * @param samples      receives a malloc'd buffer of *count samples; release it with kws_free_samples.
 * @param count        receives the number of samples (at least 1 on success).
 * @param sample_rate  receives the file's sample rate in Hz.
 * @return KWS_OK; KWS_ERROR_INVALID_ARGUMENT (a NULL argument); KWS_ERROR_IO (cannot open or read
 *         the file); KWS_ERROR_AUDIO (not a WAV kws can decode, or no samples);
 *         KWS_ERROR_OUT_OF_MEMORY. On failure the outputs are set to NULL / 0.
 */
KWS_API kws_status kws_read_wav(const char *path, float **samples, size_t *count, int *sample_rate);

/** Frees a buffer from kws_read_wav; NULL is a no-op. */
KWS_API void kws_free_samples(float *samples);

#ifdef __cplusplus
}
#endif

#endif /* KWS_H */
