// Builds the deployers for the [[deployer]] entries (one adapter per alternative of app::deployer_options): the
// one construction that `certman run`, a reload (SIGHUP) and `certman check-config` share, so that whatever
// check-config accepts, run and a reload accept too.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <map>
#include <memory>
#include <string>
#include "certman/app/config.hpp"
#include "certman/core/blocking_pool.hpp"
#include "certman/deploy/deployer.hpp"

namespace certman::app {

// Shared: a deploy that is running when a reload swaps the map keeps its deployer alive.
using deployer_map = std::map<std::string, std::shared_ptr<deploy::deployer>>;

// Throws std::runtime_error naming the deployer when it cannot be built. The files and haproxy deployers do
// their file work (user/group look-ups, writes, fsyncs) on `blocking` (null: inline, as check-config needs);
// the daemon passes its pool, which outlives every deployer.
std::unique_ptr<deploy::deployer> make_deployer(boost::asio::any_io_executor executor, const deployer_config& cfg,
                                                blocking_pool* blocking = nullptr);

// Every deployer of `cfg`, or none: throws std::runtime_error (the first failure, naming its deployer and
// the configuration file's section) without side effects on anything running.
deployer_map make_deployers(boost::asio::any_io_executor executor, const config& cfg, blocking_pool* blocking = nullptr);

}  // namespace certman::app
