// What one [[deployer]] kind = "haproxy" entry configures: the runtime API socket and the certificate name
// haproxy_deployer.hpp replaces. Plain values, no I/O: app/config.hpp composes this into its deployer variant.
#pragma once
#include <chrono>
#include <string>
#include <string_view>

namespace certman::deploy {

struct haproxy_deployer_options {
    static constexpr std::string_view kind = "haproxy";  // the [[deployer]] kind
    std::string socket;                      // runtime API (stats socket ... level admin) path
    std::string crt_path;                    // the PEM file HAProxy loads (cert + key); absolute
    std::chrono::seconds timeout{30};        // connect, write and read, each

    bool operator==(const haproxy_deployer_options&) const = default;
};

}  // namespace certman::deploy
