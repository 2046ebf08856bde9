#include "listener.hpp"
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>
#include <utility>

namespace certman::net {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

listener::listener(asio::any_io_executor ex, std::shared_ptr<server_state> st, session_starter start)
    : executor_(ex), acceptor_(ex), state_(std::move(st)), start_session_(start) {}

boost::system::error_code listener::open(const endpoint& ep) {
    boost::system::error_code ec;
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
    return ec;
}

void listener::close() noexcept {
    boost::system::error_code ec;
    acceptor_.close(ec);
}

endpoint listener::local_endpoint() const {
    boost::system::error_code ec;
    auto ep = acceptor_.local_endpoint(ec);
    return endpoint{ep.address().to_string(), ep.port()};
}

asio::awaitable<void> listener::run() {
    auto st = state_;
    bool queue_empty = true;
    while (!st->stopping) {
        boost::system::error_code ec;
        if (queue_empty) {
            co_await acceptor_.async_wait(tcp::acceptor::wait_read, asio::redirect_error(asio::use_awaitable, ec));
            if (ec == asio::error::operation_aborted || st->stopping) break;
            if (ec) {
                spdlog::warn("{}: waiting for connections failed: {}", st->options.name, ec.message());
                co_await backoff();
                continue;
            }
        }
        switch (accept_queued()) {
        case accept_result::queue_empty: queue_empty = true; break;
        case accept_result::more_queued:
            queue_empty = false;
            co_await asio::post(executor_, asio::use_awaitable);
            break;
        case accept_result::out_of_resources:
            queue_empty = false;
            co_await backoff();
            break;
        case accept_result::at_capacity:
            queue_empty = false;
            co_await wait_for_slot(std::move(*std::exchange(over_cap_, std::nullopt)));
            break;
        }
    }
}

// A new connection holds its slot for at most header_timeout unless it sends a request, so a pause ends at the
// latest then.
asio::awaitable<void> listener::wait_for_slot(connection waiting) {
    auto& st = *state_;
    ++st.stats.listener_paused;
    st.reclaim_idle(32);
    st.paused_at_cap = true;
    st.slot_timer.expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ec;
    co_await st.slot_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    st.paused_at_cap = false;
    if (!st.stopping) start_session_(executor_, std::move(waiting), state_);
}

listener::accept_result listener::accept_queued() {
    auto& st = *state_;
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
        start_session_(executor_, std::move(conn), state_);
    }
    return accept_result::more_queued;
}

asio::awaitable<void> listener::backoff() {
    boost::system::error_code ec;
    asio::steady_timer t(executor_, std::chrono::milliseconds(50));
    co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace certman::net
