// What a session answers, shared by the fast session (session.cpp) and the reference session
// (reference_session.cpp) so both answer alike: the request handler with its exceptions contained, the cluster's
// answer for a challenge token the handler does not know, and the route of a request that could not be read.
// Internal to src/net.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/verb.hpp>
#include <string_view>
#include "certman/net/router.hpp"
#include "session_list.hpp"

namespace certman::net {

// The handler's response; an exception becomes 500 and is logged.
response_spec call_handler(server_state& st, std::string_view method, std::string_view target);

// Cluster mode: whether a request the handler answered `spec` is asked of the cluster (a 404 for a non-POST
// request with a well-formed challenge token, and a fallback is configured); the token, if so.
std::optional<std::string_view> cluster_token(const server_state& st, const response_spec& spec, boost::beast::http::verb verb,
                                              std::string_view target) noexcept;
// Replaces spec with the cluster's key authorization for `token` if another instance published it. Called only
// when cluster_token() said so, so a request the handler answers costs no coroutine frame.
boost::asio::awaitable<void> ask_cluster(server_state& st, std::string_view token, response_spec& spec);

// The fixed answer's route for a request that could not be read: 431 (header_limit), 413 (body_limit), 501
// (framing_not_implemented), else 400 — also buffer_overflow (a chunk line or trailer that does not fit the
// connection's buffer is a malformed body, as HAProxy answers a chunk line longer than its buffer).
route_id route_for_error(const boost::beast::error_code& ec);

}  // namespace certman::net
