// Plain HTTP request/response values shared by the pure layers (ACME state machine, cloud signers) and the
// I/O layer (net::http_client). No Beast types here, so pure code can build and test without Asio.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certman::net {

using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_request {
    std::string method = "GET";         // GET, HEAD, POST, PUT, DELETE
    std::string url;                    // absolute: http(s)://host[:port]/path?query
    header_list headers;                // sent as given; Host, Content-Length and User-Agent are added
    std::string body;
    std::chrono::milliseconds timeout{30'000};  // whole exchange: resolve, connect, TLS, write, read
};

struct http_response {
    unsigned status = 0;
    header_list headers;  // in arrival order; names as sent by the peer
    std::string body;

    // First header with this name (case-insensitive), or nullopt.
    std::optional<std::string_view> header(std::string_view name) const;
    // Every header with this name (case-insensitive), in order (e.g. several Link headers).
    std::vector<std::string_view> headers_named(std::string_view name) const;
};

// ASCII case-insensitive comparison for header names.
bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace certman::net
