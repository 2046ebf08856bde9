// Starts the renewal manager inside the daemon (runtime::start_background).
#include <boost/asio/co_spawn.hpp>
#include <spdlog/spdlog.h>
#include "certman/app/renewal_manager.hpp"
#include "certman/app/runtime.hpp"

namespace certman::app {

result<void> runtime::start_background() {
    try {
        manager = std::make_unique<renewal_manager>(*this);
    } catch (const std::exception& e) {
        spdlog::error("{}", e.what());
        return errc::config_error;
    }
    on_stop.push_back([this] { manager->wake(); });
    on_reload.push_back([this](const config&) {
        manager->reconfigure();
        manager->wake();
    });
    if (cfg.certificates.empty()) {
        spdlog::warn("no [[certificate]] configured: serving /health and challenges only");
    }
    boost::asio::co_spawn(executor, manager->run_renewal_loop(), [](std::exception_ptr e) {
        if (!e) return;
        try { std::rethrow_exception(e); } catch (const std::exception& x) { spdlog::critical("renewal loop failed: {}", x.what()); }
    });
    return {};
}
}  // namespace certman::app
