// The public listener (the one the load balancer talks to), built the same way by `certman run` and by the
// one-shot commands (`renew`), both through runtime::serve_public: limits and timeouts from [server], the
// pure public router over the runtime's challenge store, and — when storage is shared (kind != "dir") — the
// cluster fallback that looks a token up in storage when another instance published it
// (docs/cluster-mode.md). Nothing private is ever routed here.
#pragma once
#include <memory>
#include <boost/asio/any_io_executor.hpp>
#include "certman/app/config.hpp"
#include "certman/net/challenge_store.hpp"
#include "certman/net/server.hpp"

namespace certman::app {

// The public listener for `cfg`, answering challenges from `challenges` (which outlives it); not started yet
// (net::server::start returns the bind/listen error, and the caller says what to do).
std::unique_ptr<net::server> make_public_server(boost::asio::any_io_executor ex, const config& cfg,
                                                net::challenge_store& challenges);

}  // namespace certman::app
