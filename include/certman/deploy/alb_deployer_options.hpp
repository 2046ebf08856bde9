// What one [[deployer]] kind = "alicloud-alb" entry configures: an ALB HTTPS listener (cas_listener_options.hpp).
#pragma once
#include <string_view>

#include "certman/deploy/cas_listener_options.hpp"

namespace certman::deploy {

struct alb_deployer_options : cas_listener_options {
    static constexpr std::string_view kind = "alicloud-alb";  // the [[deployer]] kind
    bool operator==(const alb_deployer_options&) const = default;
};

}  // namespace certman::deploy
