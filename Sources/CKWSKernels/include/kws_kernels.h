#ifndef KWS_KERNELS_H
#define KWS_KERNELS_H
#include <stddef.h>
#include <stdint.h>
#endif
