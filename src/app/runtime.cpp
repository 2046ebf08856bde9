#include "certman/app/runtime.hpp"
#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>
#include "certman/app/config_parser.hpp"
#include "certman/app/logging.hpp"
#include "certman/app/metrics.hpp"
#include "certman/app/renewal_manager.hpp"
#include "certman/version.hpp"

namespace certman::app {

namespace {
std::chrono::sys_seconds now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}
}  // namespace

runtime::runtime(boost::asio::any_io_executor ex, std::string path, config c)
    : executor(ex), config_path(std::move(path)), cfg(std::move(c)), started_at(now_seconds()) {}

runtime::~runtime() = default;

void runtime::stop(std::chrono::seconds grace) {
    if (stopping) return;
    stopping = true;
    if (public_server) public_server->stop();
    if (admin_server) admin_server->stop();
    for (auto& f : on_stop) f();
    grace_deadline_ = std::chrono::steady_clock::now() + grace;
    grace_timer_ = std::make_unique<boost::asio::steady_timer>(executor);
    wait_for_drain();
}

// Polls until every connection and background task has finished (then io_context::run returns by itself)
// or the grace period is over (then the io_context is stopped).
void runtime::wait_for_drain() {
    const bool drained = (!public_server || public_server->open_connections() == 0) &&
                         (!admin_server || admin_server->open_connections() == 0) && background_tasks == 0;
    if (drained) return;
    if (std::chrono::steady_clock::now() >= grace_deadline_) {
        spdlog::warn("grace period over: closing the remaining connections and tasks");
        if (hard_stop) hard_stop();
        return;
    }
    grace_timer_->expires_after(std::chrono::milliseconds(20));
    grace_timer_->async_wait([this](boost::system::error_code ec) {
        if (!ec) wait_for_drain();
    });
}

void runtime::reload() {
    auto loaded = load_config_file(config_path);
    if (auto* e = std::get_if<config_error>(&loaded)) {
        spdlog::error("reload rejected, keeping the running configuration: {}", e->message);
        return;
    }
    config next = std::move(std::get<config>(loaded));
    if (!(next.server.listen == cfg.server.listen) || !(next.admin.listen == cfg.admin.listen))
        spdlog::warn("reload: listen addresses changed; restart certman to apply them (kept {} and {})",
                     cfg.server.listen.to_string(), cfg.admin.listen.to_string());
    next.server.listen = cfg.server.listen;
    next.admin.listen = cfg.admin.listen;
    setup_logging(next.log);
    cfg = std::move(next);
    for (auto& f : on_reload) f(cfg);
    spdlog::info("configuration reloaded from {} ({} certificates, {} deployers)", config_path, cfg.certificates.size(),
                 cfg.deployers.size());
}

net::response_spec runtime::route_admin(std::string_view method, std::string_view target) {
    const auto path = net::target_path(target);
    net::route_id id = net::route_id::not_found;
    if (path == "/metrics") id = net::route_id::metrics;
    else if (path == "/status") id = net::route_id::status;
    if (id == net::route_id::not_found) return net::fixed_response(id);
    if (method != "GET" && method != "HEAD") return net::fixed_response(net::route_id::method_not_allowed);
    metrics_input in;
    in.version = certman::version;
    in.process_start = started_at;
    if (public_server) in.listeners.push_back({"public", &public_server->stats()});
    if (admin_server) in.listeners.push_back({"admin", &admin_server->stats()});
    std::vector<certificate_status> snapshot;
    snapshot.reserve(certificates.size());
    for (const auto& c : certificates) snapshot.push_back(*c);
    in.certificates = &snapshot;
    in.acme = &acme;
    in.challenges_published = challenges.size();
    net::response_spec s;
    s.route = id;
    if (id == net::route_id::metrics) {
        s.content_type = "text/plain; version=0.0.4; charset=utf-8";
        s.body = render_metrics(in);
    } else {
        s.content_type = "application/json";
        s.body = render_status_json(in, now_seconds());
    }
    return s;
}
}  // namespace certman::app

