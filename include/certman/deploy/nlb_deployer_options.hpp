// What one [[deployer]] kind = "alicloud-nlb" entry configures: an NLB TCPSSL listener (cas_listener_options.hpp).
#pragma once
#include <string_view>

#include "certman/deploy/cas_listener_options.hpp"

namespace certman::deploy {

struct nlb_deployer_options : cas_listener_options {
    static constexpr std::string_view kind = "alicloud-nlb";  // the [[deployer]] kind
    bool operator==(const nlb_deployer_options&) const = default;
};

}  // namespace certman::deploy
