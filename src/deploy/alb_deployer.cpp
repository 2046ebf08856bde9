// The alicloud-alb deployer (contract in include/certman/deploy/alb_deployer.hpp).
#include "certman/deploy/alb_deployer.hpp"

namespace certman::deploy {

std::unique_ptr<deployer> make_alb_deployer(boost::asio::any_io_executor executor, std::string name,
                                            const alb_deployer_options& config, cas_listener_tuning tuning) {
    return build_cas_listener_deployer(std::move(executor), std::move(name), alb_deployer_options::kind, false, config,
                                       std::move(tuning));
}

}  // namespace certman::deploy
