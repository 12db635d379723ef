#ifndef KWS_KERNELS_H
#define KWS_KERNELS_H
/*
 * kws microkernels: the few loops that Swift cannot make fast (it never fuses multiply-add and does not
 * ship CPU-specific code). Each kernel family has a plain `__scalar` reference and SIMD variants named
 * XNNPACK-style `kws_<op>_<dtype>_<tile>__<isa>`, chosen once per process into one table per operation
 * (`kws_kernels_for`, kws_kernel_table.h) from one CPU probe (`kws_cpu_features_get`). The SIMD variants
 * exist only where they can run (x86-64); elsewhere the table holds the scalar ones and callers never name a
 * variant directly (kws_vnni_peak_probe, which returns 0 there, is the exception).
 * Kernels never allocate and never read the environment; the caller owns every buffer.
 * Thread safety: every function is re-entrant.
 */
#include "kws_isa.h"
#include "kws_conv1d_f32.h"
#include "kws_kernel_table.h"
#endif
