// Renders /metrics (Prometheus text exposition format 0.0.4) and /status (JSON) from the daemon's state.
// Pure: everything, including the clock reading for uptime, is passed in.
#pragma once
#include <chrono>
#include <string>
#include <vector>
#include "certman/app/status.hpp"
#include "certman/net/http_stats.hpp"

namespace certman::app {

struct listener_view {
    std::string name;  // "public", "admin"
    const net::http_stats* stats;
};

struct metrics_input {
    std::string version;
    std::chrono::sys_seconds process_start;
    std::vector<listener_view> listeners;
    const std::vector<certificate_status>* certificates = nullptr;
    const acme_stats* acme = nullptr;
    std::size_t challenges_published = 0;
};

std::string render_metrics(const metrics_input& in);
std::string render_status_json(const metrics_input& in, std::chrono::sys_seconds now);

}  // namespace certman::app
