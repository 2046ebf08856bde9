#include "certman/net/server.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include "certman/net/response_bytes.hpp"
#include "request_head.hpp"
#include <spdlog/spdlog.h>

namespace certman::net {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

using deadline_clock = std::chrono::steady_clock;

// One open connection, linked into its server's list from the session's own frame (no allocation), so that
// stop() can cancel the connections that are waiting for a request and the sweeper can enforce deadlines.
// A deadline is a time stamp, not a timer: arming it costs no system call and no timer-queue update (with
// per-operation timers, each completed read or write cancelled the earliest timer and re-programmed the
// reactor's timerfd: several system calls per `Connection: close` probe).
struct live_session {
    tcp::socket* socket = nullptr;
    bool reading = true;
    bool timed_out = false;  // set by the sweeper when it cancels the connection at its deadline
    deadline_clock::time_point deadline = deadline_clock::time_point::max();
    live_session* prev = nullptr;
    live_session* next = nullptr;

    void arm(deadline_clock::duration d) noexcept { deadline = deadline_clock::now() + d; }
};

// What every session shares with its server; kept alive by the sessions so stop() never leaves them dangling.
struct shared_state {
    explicit shared_state(asio::any_io_executor ex) : sweep_timer(std::move(ex)) {}
    server_options options;
    request_handler handler;
    http_stats stats;
    bool stopping = false;
    live_session* sessions = nullptr;  // head of the intrusive list
    std::size_t session_count = 0;
    asio::steady_timer sweep_timer;    // the sweeper's tick; parked (no expiry) while there are no sessions
    bool sweeper_parked = false;

    void link(live_session& s) noexcept {
        s.next = sessions;
        if (sessions) sessions->prev = &s;
        sessions = &s;
        ++session_count;
        ++stats.connections_open;
    }
    void unlink(live_session& s) noexcept {
        if (s.prev) s.prev->next = s.next; else sessions = s.next;
        if (s.next) s.next->prev = s.prev;
        --session_count;
        --stats.connections_open;
    }
};

route_id route_for_error(const beast::error_code& ec) {
    if (ec == http::error::header_limit) return route_id::headers_too_large;
    if (ec == http::error::body_limit) return route_id::too_large;
    return route_id::bad_request;
}

response_spec answer(shared_state& st, std::string_view method, std::string_view target) {
    try {
        return st.handler(method, target);
    } catch (const std::exception& e) {
        spdlog::error("{}: request handler failed: {}", st.options.name, e.what());
        return response_spec{500, "text/plain", "internal error\n", {}, route_id::not_found};
    }
}

// After an error answer the client may still be sending (an oversized header or body): closing with unread
// data would send a RST that can destroy our answer in the client's receive queue (RFC 9112 §9.6). So: send
// our FIN, then read and discard for a short while (at most 1 s and 1 MiB) until the client closes too.
asio::awaitable<void> run_lingering_close(tcp::socket& socket, live_session& self, beast::flat_buffer& buffer) {
    beast::error_code ec;
    socket.shutdown(tcp::socket::shutdown_send, ec);
    self.arm(std::chrono::seconds(1));
    std::size_t discarded = 0;
    while (!ec && !self.timed_out && discarded < (1u << 20)) {
        buffer.clear();
        discarded += co_await socket.async_read_some(buffer.prepare(16384), asio::redirect_error(asio::use_awaitable, ec));
    }
}

// read a request / answer it / repeat, per connection. method, target and out keep their capacity across the
// requests of a keep-alive connection; the response goes out in one write of preformatted bytes. Deadlines
// (idle, header, write) are stamps in `self` that the server's sweeper enforces.
asio::awaitable<void> run_session(tcp::socket socket, std::shared_ptr<shared_state> st) {
    beast::flat_buffer buffer;
    std::string method, target, out;
    live_session self;
    self.socket = &socket;
    st->link(self);
    struct cleanup {
        shared_state& st;
        live_session& self;
        ~cleanup() {
            if (self.timed_out) ++st.stats.connections_timed_out;
            st.unlink(self);
        }
    } guard{*st, self};

    for (;;) {
        self.reading = true;
        beast::error_code ec;
        if (buffer.size() == 0) {  // idle: wait for the first byte of the next request
            self.arm(st->options.idle_timeout);
            auto n = co_await socket.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
            buffer.commit(n);
            if (ec || self.timed_out) break;
        }
        request_head parser(method, target);
        parser.header_limit(static_cast<std::uint32_t>(st->options.max_header_bytes));
        parser.body_limit(st->options.max_body_bytes);
        self.arm(st->options.header_timeout);
        co_await http::async_read(socket, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        self.reading = false;
        if (self.timed_out || ec == http::error::end_of_stream || ec == asio::error::operation_aborted) break;
        out.clear();
        if (ec) {  // malformed or over a limit: answer once, then close
            auto spec = fixed_response(route_for_error(ec));
            st->stats.record(spec.route, spec.status);
            append_response(out, spec, 11, false, false);
            self.arm(std::chrono::seconds(5));
            co_await asio::async_write(socket, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
            if (!ec && !self.timed_out) co_await run_lingering_close(socket, self, buffer);
            break;
        }
        self.arm(std::chrono::seconds(30));  // covers the cluster lookup below and the write
        auto spec = answer(*st, method, target);
        if (spec.status == 404 && st->options.challenge_fallback && parser.verb() != http::verb::post) {
            if (auto token = challenge_token(target)) {
                if (auto found = co_await st->options.challenge_fallback(std::string(*token))) spec = challenge_response(*found);
            }
        }
        st->stats.record(spec.route, spec.status);
        const bool keep = parser.keep_alive() && !st->stopping;
        append_response(out, spec, parser.version(), keep, parser.verb() == http::verb::head);
        co_await asio::async_write(socket, asio::buffer(out), asio::redirect_error(asio::use_awaitable, ec));
        if (ec || self.timed_out) break;
        if (!keep) {  // pipelined bytes after a "Connection: close" request are still unread: linger
            if (buffer.size() != 0) co_await run_lingering_close(socket, self, buffer);
            break;
        }
    }
    // A plain close: after a complete request nothing is left unread, so close() sends the FIN (no RST), and it
    // is one system call fewer per probe than shutdown + close.
    beast::error_code ignored;
    socket.close(ignored);
}

// Enforces the sessions' deadlines: every 250 ms it cancels the connections whose deadline has passed (their
// pending read or write ends with operation_aborted and timed_out set). Parked while there is no session, so
// an idle daemon does not wake up; ends after stop() once the last session is gone.
asio::awaitable<void> run_sweeper(std::shared_ptr<shared_state> st) {
    for (;;) {
        if (st->stopping && st->session_count == 0) co_return;
        st->sweeper_parked = st->session_count == 0;
        if (st->sweeper_parked) st->sweep_timer.expires_at(asio::steady_timer::time_point::max());
        else st->sweep_timer.expires_after(std::chrono::milliseconds(250));
        beast::error_code ec;
        co_await st->sweep_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        st->sweeper_parked = false;
        const auto now = deadline_clock::now();
        for (auto* s = st->sessions; s; s = s->next) {
            if (s->deadline > now || s->timed_out) continue;
            s->timed_out = true;
            s->socket->cancel(ec);
        }
    }
}

class beast_server final : public server {
public:
    beast_server(asio::any_io_executor ex, server_options options, request_handler handler)
        : executor_(ex), acceptor_(ex), state_(std::make_shared<shared_state>(ex)) {
        state_->options = std::move(options);
        state_->handler = std::move(handler);
    }

    result<void> start() override {
        boost::system::error_code ec;
        const auto& ep = state_->options.listen;
        auto address = asio::ip::make_address(ep.host, ec);
        if (ec) return ec;
        tcp::endpoint where(address, ep.port);
        acceptor_.open(where.protocol(), ec);
        if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
        if (!ec && where.protocol() == tcp::v6()) acceptor_.set_option(asio::ip::v6_only(false), ec);
        if (!ec) acceptor_.bind(where, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) return ec;
        asio::co_spawn(executor_, run_listener(), [name = state_->options.name](std::exception_ptr e) {
            if (!e) return;
            try { std::rethrow_exception(e); } catch (const std::exception& x) {
                spdlog::critical("{}: listener stopped: {}", name, x.what());
            }
        });
        asio::co_spawn(executor_, run_sweeper(state_), [name = state_->options.name](std::exception_ptr e) {
            if (!e) return;
            try { std::rethrow_exception(e); } catch (const std::exception& x) {
                spdlog::critical("{}: deadline sweeper stopped: {}", name, x.what());
            }
        });
        return {};
    }

    void stop() override {
        if (state_->stopping) return;
        state_->stopping = true;
        boost::system::error_code ec;
        acceptor_.close(ec);
        for (auto* s = state_->sessions; s; s = s->next)
            if (s->reading) s->socket->cancel(ec);
        state_->sweep_timer.cancel();  // a parked sweeper ends now if no session is left
    }

    const http_stats& stats() const override { return state_->stats; }
    std::size_t open_connections() const override { return state_->session_count; }
    endpoint local_endpoint() const override {
        boost::system::error_code ec;
        auto ep = acceptor_.local_endpoint(ec);
        return endpoint{ep.address().to_string(), ep.port()};
    }

private:
    asio::awaitable<void> run_listener() {
        auto st = state_;
        while (!st->stopping) {
            boost::system::error_code ec;
            tcp::socket socket = co_await acceptor_.async_accept(asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::operation_aborted || st->stopping) break;
            if (ec) {  // EMFILE and friends: back off briefly instead of spinning
                spdlog::warn("{}: accept failed: {}", st->options.name, ec.message());
                asio::steady_timer t(executor_, std::chrono::milliseconds(50));
                co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
                continue;
            }
            if (st->session_count >= st->options.max_connections) {
                ++st->stats.connections_rejected;
                socket.close(ec);
                continue;
            }
            ++st->stats.connections_accepted;
            socket.set_option(tcp::no_delay(true), ec);
            if (st->sweeper_parked) st->sweep_timer.cancel();  // deadlines to watch again
            asio::co_spawn(executor_, run_session(std::move(socket), st), [name = st->options.name](std::exception_ptr e) {
                if (!e) return;
                try { std::rethrow_exception(e); } catch (const std::exception& x) {
                    spdlog::error("{}: session failed: {}", name, x.what());
                }
            });
        }
    }

    asio::any_io_executor executor_;
    tcp::acceptor acceptor_;
    std::shared_ptr<shared_state> state_;
};
}  // namespace

std::unique_ptr<server> make_server(asio::any_io_executor executor, server_options options, request_handler handler) {
    return std::make_unique<beast_server>(executor, std::move(options), std::move(handler));
}
}  // namespace certman::net
