// The blocking pool as the app layer names it: the pool itself lives in core (include/certman/core/blocking_pool.hpp)
// so that storage/ and deploy/ can take it without including app/.
#pragma once
#include "certman/core/blocking_pool.hpp"

namespace certman::app {
using certman::blocking_pool;
using certman::call_blocking;
}  // namespace certman::app
