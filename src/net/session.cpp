#include "session.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <spdlog/spdlog.h>
#include <algorithm>
#include <string>
#include "certman/net/response_bytes.hpp"
#include "answer.hpp"
#include "lingering_close.hpp"
#include "request_head.hpp"

namespace certman::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// How many bytes to ask one read for: up to `want`, never past the buffer's cap (flat_buffer::prepare throws
// length_error beyond it).
std::size_t read_room(const beast::flat_buffer& buffer, std::size_t want) noexcept {
    return std::min(want, buffer.max_size() - buffer.size());
}

// Waits for the first byte of the next request within `wait`: a recv() if bytes are already queued, else an
// asynchronous read. The buffer is empty here.
asio::awaitable<beast::error_code> await_request(connection& conn, live_session& self, beast::flat_buffer& buffer,
                                                 deadline_clock::duration wait) {
    self.arm(wait);
    beast::error_code ec;
    const std::size_t room = read_room(buffer, 4096);
    std::size_t n = conn.promoted() ? 0 : conn.read_some(buffer.prepare(room), ec);
    if (conn.promoted() || would_block(ec)) {
        if (!promote(conn, self)) co_return asio::error::bad_descriptor;
        ec = {};
        n = co_await conn.socket().async_read_some(buffer.prepare(room), asio::redirect_error(asio::use_awaitable, ec));
    }
    buffer.commit(n);
    co_return ec;
}

// Parses one request head (header deadline armed by the caller): from the bytes at hand if they hold it, else
// reading asynchronously from where the parser stopped.
asio::awaitable<beast::error_code> read_request(connection& conn, live_session& self, beast::flat_buffer& buffer,
                                                request_head& parser) {
    beast::error_code ec;
    if (!conn.promoted()) {
        http::read(conn, buffer, parser, ec);
        if (!would_block(ec)) co_return ec;
        if (!promote(conn, self)) co_return asio::error::bad_descriptor;
        ec = {};
    }
    co_await http::async_read(conn.socket(), buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
}

// Sends one response: one send() when the socket buffer takes it (the usual case), the rest asynchronously.
// last: the connection closes after it (the bytes leave with the FIN, see connection::send).
asio::awaitable<beast::error_code> write(connection& conn, live_session& self, const std::string& out, bool last) {
    conn.before_write();
    beast::error_code ec;
    std::size_t sent = 0;
    if (!conn.promoted()) {
        while (sent < out.size()) {
            sent += conn.send(asio::buffer(out.data() + sent, out.size() - sent), last, ec);
            if (ec) break;
        }
        if (!would_block(ec)) co_return ec;
        if (!promote(conn, self)) co_return asio::error::bad_descriptor;
        ec = {};
    }
    const asio::socket_base::message_flags flags = last ? MSG_MORE : 0;
    while (sent < out.size() && !ec) {
        sent += co_await conn.socket().async_send(asio::buffer(out.data() + sent, out.size() - sent), flags,
                                                  asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return ec;
}

// A malformed request or one over a limit: answered once, then the connection lingers and closes.
asio::awaitable<void> answer_error(server_state& st, connection& conn, live_session& self, beast::flat_buffer& buffer,
                                   std::string& out, const beast::error_code& error) {
    auto spec = fixed_response(route_for_error(error));
    st.stats.record(spec.route, spec.status);
    append_response(out, spec, 11, false, false);
    self.arm(std::chrono::seconds(5));
    const auto ec = co_await write(conn, self, out, true);
    if (!ec && !self.timed_out) co_await lingering_close(conn, self, buffer);
}

// read a request / answer it / repeat. method, target and out keep their capacity across the requests of a
// keep-alive connection. See session.hpp for the contract.
asio::awaitable<void> run_session(connection conn, std::shared_ptr<server_state> st) {
    beast::flat_buffer buffer(st->options.max_header_bytes + st->options.max_body_bytes);
    std::string method, target, out;
    live_session self;
    const session_registration registration(*st, self);

    for (bool first = true;; first = false) {
        self.reading = true;
        beast::error_code ec;
        if (buffer.size() == 0) {  // wait for the first byte of the next request: a new connection has header_timeout
            self.idle = !first;
            ec = co_await await_request(conn, self, buffer, first ? st->options.header_timeout : st->options.idle_timeout);
            self.idle = false;
            if (ec || self.timed_out) break;
        }
        request_head parser(method, target);
        parser.header_limit(static_cast<std::uint32_t>(st->options.max_header_bytes));
        parser.body_limit(st->options.max_body_bytes);
        if (!first) self.arm(st->options.header_timeout);  // a new connection's head is due header_timeout after connect
        ec = co_await read_request(conn, self, buffer, parser);
        self.reading = false;
        if (self.timed_out || ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
            ec == asio::error::bad_descriptor)
            break;
        out.clear();
        if (ec) {
            co_await answer_error(*st, conn, self, buffer, out, ec);
            break;
        }
        self.arm(std::chrono::seconds(30));  // covers the cluster lookup and the write
        auto spec = call_handler(*st, method, target);
        if (auto token = cluster_token(*st, spec, parser.verb(), target)) co_await ask_cluster(*st, *token, spec);
        st->stats.record(spec.route, spec.status);
        const bool keep = parser.keep_alive() && !st->stopping && !st->paused_at_cap;
        append_response(out, spec, parser.version(), keep, parser.verb() == http::verb::head);
        ec = co_await write(conn, self, out, !keep);
        if (ec || self.timed_out) break;
        if (!keep) {  // pipelined bytes after a "Connection: close" request are still unread: linger
            if (buffer.size() != 0) co_await lingering_close(conn, self, buffer);
            break;
        }
    }
    // A plain close: after a complete request nothing is left unread, so close() sends the FIN (no RST), and it
    // is one system call fewer per probe than shutdown + close.
    self.socket = nullptr;
    conn.close();
}

}  // namespace

void spawn_session(const asio::any_io_executor& ex, asio::awaitable<void> session, server_state& st) {
    ++st.stats.connections_accepted;
    st.wake_sweeper();
    asio::co_spawn(ex, std::move(session), [name = st.options.name](std::exception_ptr e) {
        if (!e) return;
        try { std::rethrow_exception(e); } catch (const std::exception& x) {
            spdlog::error("{}: session failed: {}", name, x.what());
        }
    });
}

void start_session(const asio::any_io_executor& ex, connection conn, const std::shared_ptr<server_state>& st) {
    spawn_session(ex, run_session(std::move(conn), st), *st);
}

}  // namespace certman::net
