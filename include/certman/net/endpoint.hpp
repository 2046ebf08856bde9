// A listen address from configuration: "0.0.0.0:8080", "127.0.0.1:9090", "[::1]:8080", "[::]:8080".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::net {

struct endpoint {
    std::string host;  // numeric IPv4 or IPv6 (without brackets)
    std::uint16_t port = 0;

    std::string to_string() const;  // IPv6 hosts come back in brackets
    bool is_loopback() const;       // 127.0.0.0/8 or ::1
    friend bool operator==(const endpoint&, const endpoint&) = default;
};

// Parses "IPv4:port" or "[IPv6]:port"; host names are refused (a listener binds an address), port 1-65535.
// Errors: errc::invalid_argument.
result<endpoint> parse_endpoint(std::string_view text);

}  // namespace certman::net
