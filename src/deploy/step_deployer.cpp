#include "certman/deploy/step_deployer.hpp"
#include <spdlog/spdlog.h>

namespace certman::deploy {

boost::asio::awaitable<result<deploy_outcome>> step_deployer::deploy(const std::string& certificate_name,
                                                                     const storage::certificate_bundle& bundle) {
    auto r = co_await run(bundle);
    if (!r) spdlog::error("deployer {} (certificate {}): {}", name_, certificate_name, last_error_);
    else last_error_.clear();
    co_return r;
}

boost::system::error_code step_deployer::fail(std::string_view step, const std::string& why,
                                              boost::system::error_code code) {
    last_error_ = kind_ + " " + name_ + ": " + std::string(step) + ": " + why;
    return code;
}

}  // namespace certman::deploy
