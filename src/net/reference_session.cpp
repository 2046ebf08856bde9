// The reference session: the same contract as session.cpp (session.hpp), written the plain Beast way
// (boostorg/beast example/http/server/awaitable/): a beast::tcp_stream with its own timeouts, http::async_read
// with the same request_head parser and buffer cap, and http::async_write of an http::response<string_body>. No
// fast path: every connection is registered with the reactor at once, every step is asynchronous, and answers
// go through Beast's serializer. make_reference_server() builds a server with it, so that tests can run the same
// cases against both sessions and the fast path cannot drift from what Beast itself does.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <algorithm>
#include <string>
#include "answer.hpp"
#include "request_head.hpp"
#include "session.hpp"

namespace certman::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// The same bytes as append_response (response_bytes.hpp), header order included: Beast writes fields in the order
// they are set.
http::response<http::string_body> to_message(const response_spec& spec, unsigned version, bool keep, bool head) {
    http::response<http::string_body> res{static_cast<http::status>(spec.status), version == 10 ? 10u : 11u};
    res.set(http::field::server, "certman");
    res.set(http::field::content_type, spec.content_type);
    if (!spec.allow.empty()) res.set(http::field::allow, spec.allow);
    if (head) {
        res.content_length(spec.body.size());
    } else {
        res.body() = spec.body;
        res.prepare_payload();
    }
    res.keep_alive(keep);
    return res;
}

// One request head: between keep-alive requests the first byte within idle_timeout, then the head (and body)
// within header_timeout; a new connection's whole head within header_timeout (armed by the caller at connect).
asio::awaitable<beast::error_code> read_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                request_head& parser, live_session& self, const server_options& o,
                                                bool first) {
    beast::error_code ec;
    if (!first && buffer.size() == 0) {
        self.idle = true;
        stream.expires_after(o.idle_timeout);
        const auto room = std::min<std::size_t>(4096, buffer.max_size());
        buffer.commit(co_await stream.async_read_some(buffer.prepare(room), asio::redirect_error(asio::use_awaitable, ec)));
        self.idle = false;
        if (ec) co_return ec == beast::error::timeout ? ec : beast::error_code(http::error::end_of_stream);
    }
    if (!first) stream.expires_after(o.header_timeout);
    co_await http::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

// Sends our FIN, then reads and discards for at most 1 s and 1 MiB (RFC 9112 §9.6; see lingering_close.hpp).
asio::awaitable<void> linger(beast::tcp_stream& stream) {
    char sink[4096];
    beast::error_code ec;
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    stream.expires_after(std::chrono::seconds(1));
    for (std::size_t discarded = 0; !ec && discarded < (1u << 20);)
        discarded += co_await stream.async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
}

// Records and writes one answer. Error answers (a request that could not be read) are HTTP/1.1 and not HEAD.
asio::awaitable<beast::error_code> respond(server_state& st, beast::tcp_stream& stream, const request_head* parser,
                                           const response_spec& spec, bool keep) {
    st.stats.record(spec.route, spec.status);
    auto res = to_message(spec, parser ? parser->version() : 11, keep, parser && parser->verb() == http::verb::head);
    beast::error_code ec;
    co_await http::async_write(stream, res, asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

asio::awaitable<void> run_reference_session(connection conn, std::shared_ptr<server_state> st) {
    if (conn.promote()) co_return;
    beast::tcp_stream stream(std::move(conn.socket()));
    beast::flat_buffer buffer(st->options.max_header_bytes + st->options.max_body_bytes);
    std::string method, target;
    live_session self;
    self.socket = &stream.socket();
    const session_registration registration(*st, self);

    stream.expires_after(st->options.header_timeout);
    for (bool first = true;; first = false) {
        self.reading = true;
        request_head parser(method, target);
        parser.header_limit(static_cast<std::uint32_t>(st->options.max_header_bytes));
        parser.body_limit(st->options.max_body_bytes);
        auto ec = co_await read_request(stream, buffer, parser, self, st->options, first);
        self.reading = false;
        self.timed_out = ec == beast::error::timeout;
        if (self.timed_out || ec == http::error::end_of_stream || ec == asio::error::operation_aborted) break;
        if (ec) {  // malformed or over a limit: answer once, then close
            stream.expires_after(std::chrono::seconds(5));
            ec = co_await respond(*st, stream, nullptr, fixed_response(route_for_error(ec)), false);
            self.timed_out = ec == beast::error::timeout;
            if (!ec) co_await linger(stream);
            break;
        }
        stream.expires_after(std::chrono::seconds(30));
        auto spec = call_handler(*st, method, target);
        if (auto token = cluster_token(*st, spec, parser.verb(), target)) co_await ask_cluster(*st, *token, spec);
        const bool keep = parser.keep_alive() && !st->stopping && !st->paused_at_cap;
        ec = co_await respond(*st, stream, &parser, spec, keep);
        self.timed_out = ec == beast::error::timeout;
        if (ec) break;
        if (!keep) {  // pipelined bytes after a "Connection: close" request are still unread: linger
            if (buffer.size() != 0) co_await linger(stream);
            break;
        }
    }
    self.socket = nullptr;
    beast::error_code ignored;
    stream.socket().close(ignored);
}

}  // namespace

void start_reference_session(const asio::any_io_executor& ex, connection conn, const std::shared_ptr<server_state>& st) {
    spawn_session(ex, run_reference_session(std::move(conn), st), *st);
}

}  // namespace certman::net
