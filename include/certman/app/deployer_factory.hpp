// Builds the deployer for a [[deployer]] entry (alicloud-slb, haproxy, files).
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include "certman/app/config.hpp"
#include "certman/deploy/deployer.hpp"

namespace certman::app {
// Throws std::runtime_error naming the deployer when it cannot be built.
std::unique_ptr<deploy::deployer> make_deployer(boost::asio::any_io_executor executor, const deployer_config& cfg);
}  // namespace certman::app
