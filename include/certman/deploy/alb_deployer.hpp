// The alicloud-alb deployer: keeps the default certificate of one ALB HTTPS listener current through CAS
// (flow and contract: cas_listener_deployer.hpp; ALB calls: cloud/alibaba/alb_client.hpp).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "certman/deploy/alb_deployer_options.hpp"
#include "certman/deploy/cas_listener_deployer.hpp"

namespace certman::deploy {

// Throws std::invalid_argument naming the deployer when the options are unusable (check_cas_listener_options).
std::unique_ptr<deployer> make_alb_deployer(boost::asio::any_io_executor executor, std::string name,
                                            const alb_deployer_options& config, cas_listener_tuning tuning = {});

}  // namespace certman::deploy
