#include "certman/app/deployer_factory.hpp"
#include <stdexcept>
#include "certman/deploy/files_deployer.hpp"
#include "certman/deploy/haproxy_deployer.hpp"
#include "certman/deploy/slb_deployer.hpp"

namespace certman::app {

std::unique_ptr<deploy::deployer> make_deployer(boost::asio::any_io_executor executor, const deployer_config& cfg) {
    if (cfg.kind == "alicloud-slb") return deploy::make_slb_deployer(executor, cfg);
    if (cfg.kind == "haproxy") return deploy::make_haproxy_deployer(executor, cfg);
    if (cfg.kind == "files") return deploy::make_files_deployer(executor, cfg);
    throw std::runtime_error("[deployer \"" + cfg.name + "\"] unknown kind \"" + cfg.kind + "\"");
}

deployer_map make_deployers(boost::asio::any_io_executor executor, const config& cfg) {
    deployer_map built;
    for (const auto& d : cfg.deployers) built[d.name] = make_deployer(executor, d);
    return built;
}
}  // namespace certman::app
