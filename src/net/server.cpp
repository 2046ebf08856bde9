#include "certman/net/server.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>
#include "certman/net/response_bytes.hpp"
#include <algorithm>
#include <optional>
#include <utility>
#include "connection.hpp"
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
    tcp::socket* socket = nullptr;  // null until the connection has an Asio socket (nothing to cancel before)
    bool reading = true;
    bool idle = false;       // between two requests of a keep-alive connection: may be reclaimed at the cap
    bool timed_out = false;  // set by the sweeper when it cancels the connection at its deadline
    deadline_clock::time_point deadline = deadline_clock::time_point::max();
    live_session* prev = nullptr;
    live_session* next = nullptr;

    void arm(deadline_clock::duration d) noexcept { deadline = deadline_clock::now() + d; }
};

// What every session shares with its server; kept alive by the sessions so stop() never leaves them dangling.
struct shared_state {
    explicit shared_state(asio::any_io_executor ex) : sweep_timer(ex), slot_timer(std::move(ex)) {}
    server_options options;
    request_handler handler;
    http_stats stats;
    bool stopping = false;
    live_session* sessions = nullptr;  // head of the intrusive list
    std::size_t session_count = 0;
    asio::steady_timer sweep_timer;    // the sweeper's tick; parked (no expiry) while there are no sessions
    bool sweeper_parked = false;
    asio::steady_timer slot_timer;     // the listener waits on it (no expiry) while max_connections are open
    bool listener_paused = false;

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
        if (listener_paused) slot_timer.cancel();  // a slot is free: accept again
    }
    // At the cap: closes up to `most` keep-alive connections that wait for their next request, as nginx reuses
    // idle keep-alive connections when it runs out (ngx_drain_connections). Returns how many it cancelled.
    std::size_t reclaim_idle(std::size_t most) noexcept {
        std::size_t n = 0;
        boost::system::error_code ec;
        for (auto* s = sessions; s && n < most; s = s->next) {
            if (!s->idle || !s->socket) continue;
            s->idle = false;
            s->socket->cancel(ec);
            ++n;
        }
        return n;
    }
};

// buffer_overflow (a chunk line or trailer that does not fit the connection's buffer) is a malformed body: 400,
// as HAProxy answers a chunk line longer than its buffer.
route_id route_for_error(const beast::error_code& ec) {
    if (ec == http::error::header_limit) return route_id::headers_too_large;
    if (ec == http::error::body_limit) return route_id::too_large;
    if (ec == framing_not_implemented()) return route_id::not_implemented;
    return route_id::bad_request;
}

// How many bytes to ask one read for: up to `want`, never past the buffer's cap (flat_buffer::prepare throws
// length_error beyond it).
std::size_t read_room(const beast::flat_buffer& buffer, std::size_t want) noexcept {
    return std::min(want, buffer.max_size() - buffer.size());
}

response_spec answer(shared_state& st, std::string_view method, std::string_view target) {
    try {
        return st.handler(method, target);
    } catch (const std::exception& e) {
        spdlog::error("{}: request handler failed: {}", st.options.name, e.what());
        return response_spec{500, "text/plain", "internal error\n", {}, route_id::not_found};
    }
}

// The connection's Asio socket, for a step that has to wait; registers it with the sweeper. False if the
// descriptor could not be registered with the reactor (the session ends).
bool promote(connection& conn, live_session& self) {
    if (conn.promote()) return false;
    self.socket = &conn.socket();
    return true;
}

// After an error answer the client may still be sending (an oversized header or body): closing with unread
// data would send a RST that can destroy our answer in the client's receive queue (RFC 9112 §9.6). So: send
// our FIN, then read and discard for a short while (at most 1 s and 1 MiB) until the client closes too.
// The connection's buffer is released first and the bytes are read into one sink shared by all lingering
// connections (nothing reads them; one io thread), as nginx lingers in a fixed buffer: a client that reconnects
// as soon as it sees our answer leaves many lingering connections behind, and they must cost next to nothing.
asio::awaitable<void> run_lingering_close(connection& conn, live_session& self, beast::flat_buffer& buffer) {
    static char sink[16384];
    buffer.clear();
    buffer.shrink_to_fit();
    if (!promote(conn, self)) co_return;
    beast::error_code ec;
    conn.socket().shutdown(tcp::socket::shutdown_send, ec);
    self.arm(std::chrono::seconds(1));
    std::size_t discarded = 0;
    while (!ec && !self.timed_out && discarded < (1u << 20)) {
        discarded += co_await conn.socket().async_read_some(asio::buffer(sink), asio::redirect_error(asio::use_awaitable, ec));
    }
}

// Waits for the first byte of the next request within `wait`: a recv() if bytes are already queued, else an
// asynchronous read. The buffer is empty here.
asio::awaitable<beast::error_code> run_await_request(connection& conn, live_session& self, beast::flat_buffer& buffer,
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
asio::awaitable<beast::error_code> run_read_request(connection& conn, live_session& self, beast::flat_buffer& buffer,
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
asio::awaitable<beast::error_code> run_write(connection& conn, live_session& self, const std::string& out, bool last) {
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

// read a request / answer it / repeat, per connection. method, target and out keep their capacity across the
// requests of a keep-alive connection; the response goes out in one write of preformatted bytes. Deadlines
// (first byte, idle, header, write) are stamps in `self` that the server's sweeper enforces once the connection
// has an Asio socket (before that, nothing waits). The buffer never holds more than max_header_bytes +
// max_body_bytes: whatever a request does beyond that (an endless chunk extension or trailer) ends it with 400.
asio::awaitable<void> run_session(connection conn, std::shared_ptr<shared_state> st) {
    beast::flat_buffer buffer(st->options.max_header_bytes + st->options.max_body_bytes);
    std::string method, target, out;
    live_session self;
    st->link(self);
    struct cleanup {
        shared_state& st;
        live_session& self;
        ~cleanup() {
            if (self.timed_out) ++st.stats.connections_timed_out;
            st.unlink(self);
        }
    } guard{*st, self};

    for (bool first = true;; first = false) {
        self.reading = true;
        beast::error_code ec;
        if (buffer.size() == 0) {  // wait for the first byte of the next request: a new connection has header_timeout
            const auto wait = first ? st->options.header_timeout : st->options.idle_timeout;
            self.idle = !first;
            ec = co_await run_await_request(conn, self, buffer, wait);
            self.idle = false;
            if (ec || self.timed_out) break;
        }
        request_head parser(method, target);
        parser.header_limit(static_cast<std::uint32_t>(st->options.max_header_bytes));
        parser.body_limit(st->options.max_body_bytes);
        if (!first) self.arm(st->options.header_timeout);  // a new connection's head is due header_timeout after connect
        ec = co_await run_read_request(conn, self, buffer, parser);
        self.reading = false;
        if (self.timed_out || ec == http::error::end_of_stream || ec == asio::error::operation_aborted ||
            ec == asio::error::bad_descriptor)
            break;
        out.clear();
        if (ec) {  // malformed or over a limit: answer once, then close
            auto spec = fixed_response(route_for_error(ec));
            st->stats.record(spec.route, spec.status);
            append_response(out, spec, 11, false, false);
            self.arm(std::chrono::seconds(5));
            ec = co_await run_write(conn, self, out, true);
            if (!ec && !self.timed_out) co_await run_lingering_close(conn, self, buffer);
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
        const bool keep = parser.keep_alive() && !st->stopping && !st->listener_paused;
        append_response(out, spec, parser.version(), keep, parser.verb() == http::verb::head);
        ec = co_await run_write(conn, self, out, !keep);
        if (ec || self.timed_out) break;
        if (!keep) {  // pipelined bytes after a "Connection: close" request are still unread: linger
            if (buffer.size() != 0) co_await run_lingering_close(conn, self, buffer);
            break;
        }
    }
    // A plain close: after a complete request nothing is left unread, so close() sends the FIN (no RST), and it
    // is one system call fewer per probe than shutdown + close.
    self.socket = nullptr;
    conn.close();
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
            if (s->socket) s->socket->cancel(ec);
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
        if (!ec) acceptor_.native_non_blocking(true, ec);  // accept4() must return EAGAIN, never block the loop
        if (ec) return ec;
        prefer_piggybacked_acks(acceptor_.native_handle());
        protocol_ = where.protocol();
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
            if (s->reading && s->socket) s->socket->cancel(ec);
        state_->sweep_timer.cancel();  // a parked sweeper ends now if no session is left
        state_->slot_timer.cancel();   // a listener waiting for a slot ends
    }

    const http_stats& stats() const override { return state_->stats; }
    std::size_t open_connections() const override { return state_->session_count; }
    endpoint local_endpoint() const override {
        boost::system::error_code ec;
        auto ep = acceptor_.local_endpoint(ec);
        return endpoint{ep.address().to_string(), ep.port()};
    }

private:
    // Waits until the listener is readable, then takes the queued connections with accept4() (non-blocking
    // descriptors, see connection.hpp), at most 64 before letting the sessions run. The listener's events are
    // edge-triggered: the loop waits again only after accept4() said the queue is empty.
    asio::awaitable<void> run_listener() {
        auto st = state_;
        bool queue_empty = true;
        while (!st->stopping) {
            boost::system::error_code ec;
            if (queue_empty) {
                co_await acceptor_.async_wait(tcp::acceptor::wait_read, asio::redirect_error(asio::use_awaitable, ec));
                if (ec == asio::error::operation_aborted || st->stopping) break;
                if (ec) {
                    spdlog::warn("{}: waiting for connections failed: {}", st->options.name, ec.message());
                    co_await run_backoff();
                    continue;
                }
            }
            switch (accept_queued(*st)) {
            case accept_result::queue_empty: queue_empty = true; break;
            case accept_result::more_queued:
                queue_empty = false;
                co_await asio::post(executor_, asio::use_awaitable);
                break;
            case accept_result::out_of_resources:  // EMFILE and friends: back off briefly instead of spinning
                queue_empty = false;
                co_await run_backoff();
                break;
            case accept_result::at_capacity:
                queue_empty = false;
                co_await run_wait_for_slot(*st, std::move(*std::exchange(over_cap_, std::nullopt)));
                break;
            }
        }
    }

    enum class accept_result { queue_empty, more_queued, out_of_resources, at_capacity };

    // With max_connections open, the listener stops taking connections, as HAProxy (maxconn) and nginx
    // (worker_connections) do: new ones wait in the kernel's listen queue (a health probe is served as soon as a
    // slot frees) instead of being closed at once. The one connection accepted over the cap is held until then;
    // since someone is waiting, idle keep-alive connections are closed to make room (nginx:
    // ngx_drain_connections) and, while paused, answers end their connection (Connection: close). A new
    // connection holds its slot for at most header_timeout unless it sends a request.
    asio::awaitable<void> run_wait_for_slot(shared_state& st, connection waiting) {
        ++st.stats.connections_rejected;
        st.reclaim_idle(32);
        st.listener_paused = true;
        st.slot_timer.expires_at(asio::steady_timer::time_point::max());
        boost::system::error_code ec;
        co_await st.slot_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        st.listener_paused = false;
        if (!st.stopping) start_session(st, std::move(waiting));
    }

    accept_result accept_queued(shared_state& st) {
        for (int taken = 0; taken < 64; ++taken) {
            if (st.stopping) return accept_result::queue_empty;
            const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (fd < 0) {
                const int err = errno;
                if (err == EAGAIN || err == EWOULDBLOCK) return accept_result::queue_empty;
                if (err == EINTR || err == ECONNABORTED || err == EPROTO || err == EPERM) continue;  // that one is gone
                spdlog::warn("{}: accept failed: {}", st.options.name, std::generic_category().message(err));
                return accept_result::out_of_resources;
            }
            connection conn(fd, executor_, protocol_);
            if (st.session_count >= st.options.max_connections) {
                over_cap_.emplace(std::move(conn));
                return accept_result::at_capacity;
            }
            start_session(st, std::move(conn));
        }
        return accept_result::more_queued;
    }

    void start_session(shared_state& st, connection conn) {
        ++st.stats.connections_accepted;
        if (st.sweeper_parked) st.sweep_timer.cancel();  // deadlines to watch again
        asio::co_spawn(executor_, run_session(std::move(conn), state_), [name = st.options.name](std::exception_ptr e) {
            if (!e) return;
            try { std::rethrow_exception(e); } catch (const std::exception& x) {
                spdlog::error("{}: session failed: {}", name, x.what());
            }
        });
    }

    asio::awaitable<void> run_backoff() {
        boost::system::error_code ec;
        asio::steady_timer t(executor_, std::chrono::milliseconds(50));
        co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }

    asio::any_io_executor executor_;
    tcp::acceptor acceptor_;
    tcp protocol_ = tcp::v4();
    std::shared_ptr<shared_state> state_;
    std::optional<connection> over_cap_;  // accepted at max_connections, handed to run_wait_for_slot
};
}  // namespace

std::unique_ptr<server> make_server(asio::any_io_executor executor, server_options options, request_handler handler) {
    return std::make_unique<beast_server>(executor, std::move(options), std::move(handler));
}
}  // namespace certman::net
