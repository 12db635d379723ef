#include <assert.h>
#include "kws_int8_network.h"

void kws_int8_network_run(const kws_int8_network* network, const float* features, uint8_t* arena,
                          int64_t* time_sums, float* logits) {
    assert(network != NULL && features != NULL && arena != NULL && time_sums != NULL && logits != NULL);
    network->quantize(network->input_length, network->input_channels, features, network->input_inverse_scale,
                      network->input_zero_point, arena + network->input);
    for (size_t index = 0; index < network->layer_count; index++) {
        const kws_int8_network_layer* layer = &network->layers[index];
        layer->run(&layer->shape, &layer->params, arena + layer->input,
                   layer->has_residual ? arena + layer->residual : NULL, arena + layer->output);
    }
    const size_t channels = network->output_channels;
    const uint8_t* last = arena + network->output;
    for (size_t c = 0; c < channels; c++) time_sums[c] = 0;
    for (size_t t = 0; t < network->output_length; t++) {
        const uint8_t* row = last + t * channels;
        for (size_t c = 0; c < channels; c++) time_sums[c] += row[c];
    }
    for (size_t label = 0; label < network->labels; label++) {
        const int8_t* w = network->classifier_weights + label * channels;
        int64_t sum = 0;
        for (size_t c = 0; c < channels; c++) sum += (int64_t)w[c] * time_sums[c];
        logits[label] = (float)sum * network->classifier_scales[label];
    }
}
