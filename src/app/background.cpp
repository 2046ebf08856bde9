// What the runtime starts (runtime.hpp): the listeners, the control socket and the renewal manager, each
// built from the runtime's own fields and handed only what it uses.
#include <spdlog/spdlog.h>
#include "certman/app/control_server.hpp"
#include "certman/app/public_server.hpp"
#include "certman/app/renewal_manager.hpp"
#include "certman/app/runtime.hpp"

namespace certman::app {

namespace {
net::server_options admin_options(const config& cfg) {
    net::server_options o;
    o.listen = cfg.admin.listen;
    o.max_connections = 64;
    o.name = "admin";
    return o;
}
}  // namespace

result<void> runtime::serve_public() {
    public_server_ = make_public_server(executor_, cfg_, challenges_);
    return public_server_->start();
}

result<void> runtime::serve_admin() {
    if (!cfg_.admin.enabled) return {};
    admin_server_ = net::make_server(executor_, admin_options(cfg_),
                                     [this](std::string_view m, std::string_view t) { return route_admin(m, t); });
    return admin_server_->start();
}

std::optional<std::string> runtime::open_control_socket() {
    control_ = std::make_unique<control_server>(*this, cfg_.admin.control_socket, executor_, tasks_);
    return control_->start();
}

std::string runtime::listening_on() const {
    std::string out = public_server_ ? public_server_->local_endpoint().to_string() : std::string("(no listener)");
    if (admin_server_) out += ", metrics on " + admin_server_->local_endpoint().to_string();
    return out;
}

void runtime::create_manager() {
    renewal_environment env{executor_, blocking_, cfg_, config_path_, challenges_, certificates_,
                            acme_, tasks_, [this] { return stop_requested_; }};
    manager_ = std::make_unique<renewal_manager>(std::move(env));
}

result<void> runtime::start_background() {
    try {
        create_manager();
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return errc::config_error;
    }
    if (cfg_.certificates.empty()) {
        spdlog::warn("no [[certificate]] configured: serving /health and challenges only");
    }
    manager_->start();
    return {};
}
}  // namespace certman::app
