#include "certman/deploy/step_deployer.hpp"
#include <spdlog/spdlog.h>

namespace certman::deploy {

boost::asio::awaitable<result<deploy_outcome>> step_deployer::deploy(const std::string& certificate_name,
                                                                     const storage::certificate_bundle& bundle) {
    auto r = co_await run(bundle);
    if (!r) spdlog::error("deployer {} (certificate {}): {}", name_, certificate_name, r.error().message());
    co_return r;
}

failure step_deployer::fail(std::string_view step, const std::string& why, boost::system::error_code code) const {
    return {code, kind_ + " " + name_ + ": " + std::string(step) + ": " + why};
}

failure step_deployer::fail(std::string_view step, const failure& cause) const {
    return cause.with_message(kind_ + " " + name_ + ": " + std::string(step) + ": " + cause.message());
}

}  // namespace certman::deploy
