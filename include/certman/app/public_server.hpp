// The public listener (the one the load balancer talks to), built the same way by `certman run` and by the
// one-shot commands (`renew`): limits and timeouts from [server], the pure public router over the runtime's
// challenge store, and — when storage is shared (kind != "dir") — the cluster fallback that looks a token up
// in storage when another instance published it (docs/cluster-mode.md). Nothing private is ever routed here.
#pragma once
#include "certman/app/runtime.hpp"
#include "certman/core/result.hpp"

namespace certman::app {

// Creates rt.public_server and starts it. Errors: the bind/listen error (the caller says what to do).
result<void> start_public_server(runtime& rt);

}  // namespace certman::app
