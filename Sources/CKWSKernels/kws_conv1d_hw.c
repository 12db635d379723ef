#include <assert.h>
#include "kws_conv1d_hw.h"
#include "kws_kernel_table.h"

void kws_hw_unpack__scalar(int bits, size_t blocks, const uint8_t* packed, int8_t* codes) {
    assert(bits == 2 || bits == 4);
    const int per_byte = 8 / bits;
    const int mask = (1 << bits) - 1;
    const int sign = 1 << (bits - 1);
    for (size_t b = 0; b < blocks; b++) {
        const uint8_t* in = packed + b * KWS_HW_BLOCK_BYTES;
        int8_t* out = codes + b * KWS_HW_BLOCK_BYTES * per_byte;
        for (int part = 0; part < per_byte; part++) {
            for (int j = 0; j < KWS_HW_BLOCK_BYTES; j++) {
                const int raw = (in[j] >> (bits * part)) & mask;
                out[part * KWS_HW_BLOCK_BYTES + j] = (int8_t)((raw ^ sign) - sign);
            }
        }
    }
}

void kws_hw_requantize_u8__scalar(size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                                  const uint8_t* input, uint8_t* output) {
    assert(multiplier < (1u << 23) && shift <= 31u);
    const uint32_t rounding = shift > 0 ? 1u << (shift - 1) : 0u;
    for (size_t i = 0; i < count; i++) {
        const uint32_t value = ((uint32_t)input[i] * multiplier + rounding) >> shift;
        output[i] = (uint8_t)(value < maximum ? value : maximum);
    }
}

void kws_hw_unpack(kws_isa isa, int bits, size_t blocks, const uint8_t* packed, int8_t* codes) {
    kws_kernels_for(isa)->conv1d_hw.unpack(bits, blocks, packed, codes);
}

void kws_conv1d_hw(kws_isa isa, const kws_conv1d_u8s8_shape* shape, const kws_conv1d_u8s8_params* params,
                   const uint8_t* input, const uint8_t* residual, uint8_t* output) {
    kws_kernels_for(isa)->conv1d_hw.conv(shape, params, input, residual, output);
}

void kws_hw_requantize_u8(kws_isa isa, size_t count, uint32_t multiplier, uint32_t shift, uint8_t maximum,
                          const uint8_t* input, uint8_t* output) {
    kws_kernels_for(isa)->conv1d_hw.requantize(count, multiplier, shift, maximum, input, output);
}
