// The alicloud-nlb deployer: keeps the server certificate of one NLB TCPSSL listener current through CAS
// (flow and contract: cas_listener_deployer.hpp; NLB calls, write parameters in a form body:
// cloud/alibaba/nlb_client.hpp).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "certman/deploy/cas_listener_deployer.hpp"
#include "certman/deploy/nlb_deployer_options.hpp"

namespace certman::deploy {

// Throws std::invalid_argument naming the deployer when the options are unusable (check_cas_listener_options).
std::unique_ptr<deployer> make_nlb_deployer(boost::asio::any_io_executor executor, std::string name,
                                            const nlb_deployer_options& config, cas_listener_tuning tuning = {});

}  // namespace certman::deploy
