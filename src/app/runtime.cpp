#include "certman/app/runtime.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <spdlog/spdlog.h>
#include "certman/app/config_parser.hpp"
#include "certman/app/control_server.hpp"
#include "certman/app/deployer_factory.hpp"
#include "certman/app/logging.hpp"
#include "certman/app/metrics.hpp"
#include "certman/app/renewal_manager.hpp"
#include "certman/version.hpp"

namespace certman::app {

namespace {
std::chrono::sys_seconds now_seconds() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

// The storage that orders in flight are using cannot change under them; only lease_ttl applies on a reload.
// The backend (kind and every option of it); lease_ttl may change on a reload.
bool same_storage(const storage_config& a, const storage_config& b) { return a.backend == b.backend; }
}  // namespace

runtime::runtime(boost::asio::any_io_executor ex, blocking_pool& pool, std::string path, config c)
    : executor_(ex), blocking_(pool), config_path_(std::move(path)), cfg_(std::move(c)),
      started_at_(now_seconds()), tasks_(ex) {}

runtime::~runtime() = default;

void runtime::stop(std::chrono::seconds grace) {
    if (stop_requested_) return;
    stop_requested_ = true;
    if (public_server_) public_server_->stop();
    if (admin_server_) admin_server_->stop();
    if (control_) control_->stop();
    // The last resort, should something ignore cancellation: stop the io_context after grace + 2 s.
    if (hard_stop_) hard_stop_(grace + std::chrono::seconds(2));
    tasks_.emit(boost::asio::cancellation_type::terminal);  // why not `total` first: task_group.hpp
    boost::asio::co_spawn(executor_, stop_gracefully(grace), boost::asio::detached);
}

// The tasks have been cancelled and are winding down (an order records its attempt and releases its lease).
// Whatever they started since and still runs after the grace period is cancelled once more; the hard stop
// armed by stop() remains the bound.
boost::asio::awaitable<void> runtime::stop_gracefully(std::chrono::seconds grace) {
    // Named, not in the if: GCC 12 miscompiles co_await on a converted argument inside a condition.
    const std::chrono::steady_clock::duration within = grace;
    const bool drained = co_await tasks_.wait_empty(within);
    if (drained) co_return;
    spdlog::warn("grace period over: cancelling the {} remaining task(s) again", tasks_.size());
    tasks_.emit(boost::asio::cancellation_type::terminal);
}

std::optional<std::string> runtime::reload() {
    auto loaded = load_config_file(config_path_);
    if (auto* e = std::get_if<config_error>(&loaded)) {
        spdlog::error("reload rejected, keeping the running configuration: {}", e->message);
        return e->message;
    }
    config next = std::move(std::get<config>(loaded));
    // Everything the new configuration needs is built aside; nothing running is touched until it all exists.
    deployer_map deployers;
    try {
        deployers = make_deployers(executor_, next, &blocking_);
    } catch (const std::exception& e) {
        spdlog::error("reload rejected, keeping the running configuration: {}", e.what());
        return std::string(e.what());
    }
    if (next.admin.control_socket != cfg_.admin.control_socket) {
        spdlog::warn("reload: [admin] control_socket changed; restart certman to apply it (kept {})",
                     cfg_.admin.control_socket);
        next.admin.control_socket = cfg_.admin.control_socket;
    }
    if (!(next.server.listen == cfg_.server.listen) || !(next.admin.listen == cfg_.admin.listen))
        spdlog::warn("reload: listen addresses changed; restart certman to apply them (kept {} and {})",
                     cfg_.server.listen.to_string(), cfg_.admin.listen.to_string());
    next.server.listen = cfg_.server.listen;
    next.admin.listen = cfg_.admin.listen;
    if (!same_storage(next.storage, cfg_.storage)) {
        spdlog::warn("reload: [storage] changed; restart certman to apply it (kept the running storage)");
        const auto ttl = next.storage.lease_ttl;
        next.storage = cfg_.storage;
        next.storage.lease_ttl = ttl;
    }
    if (next.acme.trusted_ca != cfg_.acme.trusted_ca) {
        spdlog::warn("reload: [acme] trusted_ca changed; restart certman to apply it");
        next.acme.trusted_ca = cfg_.acme.trusted_ca;
    }
    setup_logging(next.log);
    cfg_ = std::move(next);
    if (manager_) manager_->reconfigure(std::move(deployers));
    spdlog::info("configuration reloaded from {} ({} certificates, {} deployers)", config_path_, cfg_.certificates.size(),
                 cfg_.deployers.size());
    return std::nullopt;
}

net::response_spec runtime::route_admin(std::string_view method, std::string_view target) {
    const auto path = net::target_path(target);
    net::route_id id = net::route_id::not_found;
    if (path == "/metrics") id = net::route_id::metrics;
    else if (path == "/status") id = net::route_id::status;
    if (id == net::route_id::not_found) return net::fixed_response(id);
    if (method != "GET" && method != "HEAD") return net::fixed_response(net::route_id::method_not_allowed);
    net::response_spec s;
    s.route = id;
    if (id == net::route_id::status) {
        s.content_type = "application/json";
        s.body = status_json();
        return s;
    }
    s.content_type = "text/plain; version=0.0.4; charset=utf-8";
    s.body = render_now(true);
    return s;
}

std::string runtime::status_json() const { return render_now(false); }

std::string runtime::render_now(bool metrics) const {
    metrics_input in;
    in.version = certman::version;
    in.process_start = started_at_;
    if (public_server_) in.listeners.push_back({"public", &public_server_->stats()});
    if (admin_server_) in.listeners.push_back({"admin", &admin_server_->stats()});
    std::vector<certificate_status> snapshot;
    snapshot.reserve(certificates_.size());
    for (const auto& c : certificates_) snapshot.push_back(*c);
    in.certificates = &snapshot;
    in.acme = &acme_;
    in.challenges_published = challenges_.size();
    return metrics ? render_metrics(in) : render_status_json(in, now_seconds());
}
}  // namespace certman::app

