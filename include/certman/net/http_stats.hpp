// Request and connection counters for one listener, kept as fixed arrays so the hot path is two increments.
// Rendered into Prometheus text by the app's metrics page.
#pragma once
#include <array>
#include <cstdint>
#include "certman/net/router.hpp"

namespace certman::net {

struct http_stats {
    static constexpr std::array<unsigned, 9> statuses{200, 400, 404, 405, 413, 431, 500, 501, 503};
    static constexpr std::size_t route_count = static_cast<std::size_t>(route_id::count_);

    std::array<std::array<std::uint64_t, statuses.size() + 1>, route_count> requests{};  // [route][status index]
    std::uint64_t connections_accepted = 0;
    std::uint64_t listener_paused = 0;  // times the listener stopped accepting at max_connections (none refused)
    std::uint64_t connections_timed_out = 0;
    std::uint64_t connections_open = 0;

    void record(route_id r, unsigned status) noexcept {
        std::size_t i = 0;
        while (i < statuses.size() && statuses[i] != status) ++i;
        ++requests[static_cast<std::size_t>(r)][i];
    }
};

}  // namespace certman::net
