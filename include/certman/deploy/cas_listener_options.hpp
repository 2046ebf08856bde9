// What an alicloud-alb or alicloud-nlb [[deployer]] entry configures (alb_deployer_options.hpp,
// nlb_deployer_options.hpp derive from this): the listener whose default certificate cas_listener_deployer.hpp
// keeps current, where CAS and the load-balancer API are, and where the access key comes from. Plain values, no
// I/O: app/config.hpp composes the derived types into its deployer variant and the config parser fills them.
#pragma once
#include <string>
#include <string_view>

namespace certman::deploy {

struct cas_listener_options {
    std::string region;            // e.g. "cn-hangzhou" (required): the listener's region and the CertIdentifier's
    std::string listener_id;       // ALB "lsn-…", NLB "lsn-…@443" (required)
    std::string endpoint;          // ALB/NLB API: "" = https://<alb|nlb>.<region>.aliyuncs.com; https:// or loopback http://
    std::string cas_endpoint;      // CAS API: "" = cloud/alibaba/cas_model.hpp resolve_cas_endpoint
    // Credentials: access_key_id + access_key_secret_file, else the environment, else the ECS RAM role
    // (cloud/alibaba/credentials_provider.hpp; metadata_endpoint overrides the metadata service address).
    std::string access_key_id, access_key_secret_file, metadata_endpoint;
    std::string cert_name_prefix = "certman";  // CAS upload names start with it (1-16 letters, digits, '_')
    int keep_previous = 1;  // older certman uploads of a certificate kept in CAS after a switch (0-100)

    bool operator==(const cas_listener_options&) const = default;
};

// "" when `config` is usable for `kind` ("alicloud-alb" or "alicloud-nlb"), else one line: no region or
// listener_id, an endpoint that is neither https:// nor loopback http://, a bad cert_name_prefix, keep_previous
// outside 0-100, half a static key. Pure; the config parser and the deployer factories both use it.
std::string check_cas_listener_options(const cas_listener_options& config, std::string_view kind);

}  // namespace certman::deploy
