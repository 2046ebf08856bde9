#include "certman/app/deployer_factory.hpp"
#include <stdexcept>

namespace certman::app {

std::unique_ptr<deploy::deployer> make_deployer(boost::asio::any_io_executor executor, const deployer_config& cfg) {
    (void)executor;
    throw std::runtime_error("[deployer \"" + cfg.name + "\"] kind \"" + cfg.kind + "\" is not available in this build");
}
}  // namespace certman::app
