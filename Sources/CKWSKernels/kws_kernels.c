#include "kws_kernels.h"
