// The alicloud-nlb deployer (contract in include/certman/deploy/nlb_deployer.hpp).
#include "certman/deploy/nlb_deployer.hpp"

namespace certman::deploy {

std::unique_ptr<deployer> make_nlb_deployer(boost::asio::any_io_executor executor, std::string name,
                                            const nlb_deployer_options& config, cas_listener_tuning tuning) {
    return build_cas_listener_deployer(std::move(executor), std::move(name), nlb_deployer_options::kind, true, config,
                                       std::move(tuning));
}

}  // namespace certman::deploy
