#include "answer.hpp"
#include <boost/beast/http/error.hpp>
#include <spdlog/spdlog.h>
#include <string>
#include "request_head.hpp"

namespace certman::net {
namespace http = boost::beast::http;

response_spec call_handler(server_state& st, std::string_view method, std::string_view target) {
    try {
        return st.handler(method, target);
    } catch (const std::exception& e) {
        spdlog::error("{}: request handler failed: {}", st.options.name, e.what());
        return response_spec{500, "text/plain", "internal error\n", {}, route_id::not_found};
    }
}

std::optional<std::string_view> cluster_token(const server_state& st, const response_spec& spec, http::verb verb,
                                              std::string_view target) noexcept {
    if (spec.status != 404 || !st.options.challenge_fallback || verb == http::verb::post) return std::nullopt;
    return challenge_token(target);
}

boost::asio::awaitable<void> ask_cluster(server_state& st, std::string_view token, response_spec& spec) {
    if (auto found = co_await st.options.challenge_fallback(std::string(token))) spec = challenge_response(*found);
}

route_id route_for_error(const boost::beast::error_code& ec) {
    if (ec == http::error::header_limit) return route_id::headers_too_large;
    if (ec == http::error::body_limit) return route_id::too_large;
    if (ec == framing_not_implemented()) return route_id::not_implemented;
    return route_id::bad_request;
}

}  // namespace certman::net
