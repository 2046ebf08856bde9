// What one [[deployer]] kind = "alicloud-slb" entry configures: the SLB/CLB instance and listeners whose
// certificate slb_deployer.hpp keeps current, and where its access key comes from. Plain values, no I/O:
// app/config.hpp composes this into its deployer variant and the config parser fills it.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace certman::deploy {

struct slb_deployer_options {
    static constexpr std::string_view kind = "alicloud-slb";  // the [[deployer]] kind
    std::string region;                      // e.g. "cn-hangzhou" (required)
    std::string load_balancer_name;          // exactly one of name and id
    std::string load_balancer_id;
    std::string endpoint;                    // "" = the region's public endpoint; https:// or loopback http://
    std::vector<int> listener_ports{443};    // HTTPS listeners to keep current
    // Credentials: access_key_id + access_key_secret_file, else the environment, else the ECS RAM role
    // (cloud/alibaba/credentials_provider.hpp; metadata_endpoint overrides the metadata service address).
    std::string access_key_id, access_key_secret_file, metadata_endpoint;
    int keep_previous = 1;                   // older certman uploads kept after a switch

    bool operator==(const slb_deployer_options&) const = default;
};

}  // namespace certman::deploy
