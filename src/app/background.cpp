// Starts the renewal manager inside the daemon (runtime::start_background).
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
    if (cfg.certificates.empty()) {
        spdlog::warn("no [[certificate]] configured: serving /health and challenges only");
    }
    manager->start();
    return {};
}
}  // namespace certman::app
