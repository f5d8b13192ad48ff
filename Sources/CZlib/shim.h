// The system zlib, for its CRC-32 (the gzip trailer check of HearthProtocol): compress-nio
// links zlib already but does not export it.
#ifndef HEARTH_CZLIB_SHIM_H
#define HEARTH_CZLIB_SHIM_H

#include <zlib.h>

#endif
