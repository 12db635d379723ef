/// FFTW wisdom shipped with kws: the plans of the FFT lengths kws uses, measured once, so that every
/// process gets the same fast plan (and so the same bits) instead of re-timing algorithms at start.
///
/// Why not FFTW_MEASURE at start: it picks among algorithms by timing them, and on a busy machine six
/// runs of FFTW_MEASURE/FFTW_PATIENT for r2c 512 chose four different plans, which round differently
/// (four different spectra of one frame). FFTW_ESTIMATE is deterministic but slower.
///
/// How this was made (FFTW 3.3.10, single precision, an AMD EPYC with AVX-512, two busy cores): r2c 512
/// out of place on `fftwf_malloc`'d arrays, as kws plans it (Tests/KWSAudioTests/Fixtures/fftw/make_wisdom.c),
/// six runs each of FFTW_MEASURE and FFTW_PATIENT, which chose four distinct plans; those and FFTW_ESTIMATE's
/// were timed against each other interleaved (best of 400 × 2000 executions, three rounds) and run through the
/// golden MFCC tests (MFCCGoldenTests). This one: a radix-2 real step, then a 4 × 64 complex Cooley–Tukey
/// (`t2fv_4_avx`, `n2fv_64_avx`), 252–257 ns per transform against FFTW_ESTIMATE's 271–277 ns (7–8% faster).
/// The fastest candidate (a 32 × 8 split, 242–248 ns) was not taken: on the golden tone mix it puts
/// 4.6e-4 of float32 rounding noise into near-empty bands, over the 2.5e-4 the golden tests allow
/// (this plan: 1.5e-4, inside the 1.5e-4 to 1.9e-4 MFCCGoldenTests records for the plans seen before).
///
/// It names only SSE2 and AVX codelets, so it applies on every x86-64 CPU with AVX (every AVX2 host);
/// where it does not apply (another FFTW version or build, no AVX, another architecture) FFTW refuses the
/// wisdom-only plan and `FFTPlanCache` falls back to FFTW_ESTIMATE, which is deterministic too.
enum FFTWisdom {
    /// FFT lengths the shipped wisdom covers.
    static let lengths: Set<Int> = [512]

    /// `fftwf_export_wisdom_to_string()` of the chosen plan.
    static let text = """
(fftw-3.3.10 fftwf_wisdom #x9e7d4dee #xdb14fed1 #x34bf76a4 #xeb6e8fdf
  (fftwf_codelet_r2cf_2 2 #x11bdd #x11bdd #x0 #xeb24eaab #x2ca3ab09 #x7a6d7f81 #xcc67c730)
  (fftwf_codelet_r2cfII_2 2 #x11bdd #x11bdd #x0 #x924edee9 #x1c8ac4be #x6ab55cce #x0a294a09)
  (fftwf_codelet_n2fv_64_avx 0 #x11bdd #x11bdd #x0 #x03406dff #xc8fa0a2c #x62a9a61e #xa394d874)
  (fftwf_codelet_hc2cfdftv_2_sse2 0 #x11bdd #x11bdd #x0 #x85773c49 #x9a968ccc #xbd37e819 #xac77e6a4)
  (fftwf_codelet_t2fv_4_avx 0 #x11bdd #x11bdd #x0 #x2c50659a #x343a7df7 #xd727540d #xacfea1f9)
)
"""
}
