#include "certman/net/endpoint.hpp"
#include <arpa/inet.h>
#include <charconv>

namespace certman::net {
namespace {
bool is_ipv4(const std::string& h) {
    in_addr a{};
    return inet_pton(AF_INET, h.c_str(), &a) == 1;
}
bool is_ipv6(const std::string& h) {
    in6_addr a{};
    return inet_pton(AF_INET6, h.c_str(), &a) == 1;
}
}  // namespace

std::string endpoint::to_string() const {
    if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
    return host + ":" + std::to_string(port);
}

bool endpoint::is_loopback() const {
    if (is_ipv4(host)) return host.rfind("127.", 0) == 0;
    in6_addr a{};
    if (inet_pton(AF_INET6, host.c_str(), &a) != 1) return false;
    return IN6_IS_ADDR_LOOPBACK(&a);
}

result<endpoint> parse_endpoint(std::string_view text) {
    std::string host;
    std::string_view port_text;
    if (!text.empty() && text.front() == '[') {
        auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
            return errc::invalid_argument;
        host = std::string(text.substr(1, close - 1));
        port_text = text.substr(close + 2);
        if (!is_ipv6(host)) return errc::invalid_argument;
    } else {
        auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return errc::invalid_argument;
        host = std::string(text.substr(0, colon));
        port_text = text.substr(colon + 1);
        if (!is_ipv4(host)) return errc::invalid_argument;
    }
    unsigned port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port == 0 || port > 65535)
        return errc::invalid_argument;
    return endpoint{host, static_cast<std::uint16_t>(port)};
}
}  // namespace certman::net
