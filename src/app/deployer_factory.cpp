// [[deployer]] entries → deployers (contract in include/certman/app/deployer_factory.hpp). One visitor arm per
// alternative of deployer_options: a new kind that has no arm here does not compile.
#include "certman/app/deployer_factory.hpp"
#include "certman/core/variant_kind.hpp"
#include "certman/deploy/alb_deployer.hpp"
#include "certman/deploy/files_deployer.hpp"
#include "certman/deploy/haproxy_deployer.hpp"
#include "certman/deploy/nlb_deployer.hpp"
#include "certman/deploy/slb_deployer.hpp"

namespace certman::app {

std::unique_ptr<deploy::deployer> make_deployer(boost::asio::any_io_executor executor, const deployer_config& cfg,
                                                blocking_pool* blocking) {
    return std::visit(
        overloaded{
            [&](const deploy::slb_deployer_options& o) { return deploy::make_slb_deployer(executor, cfg.name, o); },
            [&](const deploy::haproxy_deployer_options& o) {
                return deploy::make_haproxy_deployer(executor, cfg.name, o, blocking);
            },
            [&](const deploy::files_deployer_options& o) {
                return deploy::make_files_deployer(executor, cfg.name, o, blocking);
            },
            [&](const deploy::alb_deployer_options& o) { return deploy::make_alb_deployer(executor, cfg.name, o); },
            [&](const deploy::nlb_deployer_options& o) { return deploy::make_nlb_deployer(executor, cfg.name, o); },
        },
        cfg.options);
}

deployer_map make_deployers(boost::asio::any_io_executor executor, const config& cfg, blocking_pool* blocking) {
    deployer_map built;
    for (const auto& d : cfg.deployers) built[d.name] = make_deployer(executor, d, blocking);
    return built;
}
}  // namespace certman::app
