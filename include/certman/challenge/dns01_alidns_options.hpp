// What [challenge] provider = "alidns" configures: the Alibaba Cloud DNS zone the dns-01 solver
// (dns01_alidns_solver.hpp) writes TXT records to, where its access key comes from, and how it checks that the
// record is visible. Plain values, no I/O: app/config.hpp composes this and the config parser fills it.
#pragma once
#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace certman::challenge {

struct dns01_alidns_options {
    static constexpr std::string_view kind = "alidns";  // the [challenge] provider
    std::string zone;       // "" = discovered with DescribeDomains (needs alidns:DescribeDomains)
    std::string endpoint;   // "" = https://alidns.aliyuncs.com; https:// or loopback http:// (tests)
    // Credentials as [[deployer]] kind "alicloud-slb" takes them: access_key_id + access_key_secret_file, else
    // the environment, else the ECS RAM role (cloud/alibaba/credentials_provider.hpp).
    std::string access_key_id, access_key_secret_file, metadata_endpoint;
    int ttl = 600;                                     // [1, 86400]; the Free edition's minimum is 600
    std::chrono::seconds propagation_timeout{120};     // wait_ready gives up after this
    std::chrono::seconds poll_interval{2};
    // "IP:port" DNS servers asked for the TXT value; every one must answer it. Empty = AliDNS's public
    // resolvers 223.5.5.5 and 223.6.6.6. Production: the zone's authoritative servers' addresses are the
    // quickest and most exact check (a public resolver may have cached the name's absence for the SOA minimum).
    std::vector<std::string> resolvers;

    bool operator==(const dns01_alidns_options&) const = default;
};

}  // namespace certman::challenge
