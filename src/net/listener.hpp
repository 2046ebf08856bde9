// The listening socket and its accept loop. Internal to src/net (owned by server.cpp).
//
// Fast path (measured for load-balancer traffic, see connection.hpp): the listener waits until it is readable,
// then takes the queued connections with accept4() (non-blocking descriptors, no Asio socket yet), at most 64
// before letting the sessions run. Its events are edge-triggered: it waits again only after accept4() said the
// queue is empty. Quick-ACK is turned off on the listening socket (prefer_piggybacked_acks), which the accepted
// connections inherit. EMFILE and friends: it backs off 50 ms instead of spinning.
//
// The cap: with max_connections open, the listener stops taking connections, as HAProxy (maxconn) and nginx
// (worker_connections) do: new ones wait in the kernel's listen queue (a health probe is served as soon as a slot
// frees) instead of being closed at once. The one connection accepted over the cap is held until then; since
// someone is waiting, up to 32 idle keep-alive connections are closed to make room (nginx: ngx_drain_connections)
// and, while paused, answers end their connection (Connection: close). Each pause counts in
// http_stats::listener_paused.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>
#include <optional>
#include "certman/net/endpoint.hpp"
#include "connection.hpp"
#include "session.hpp"
#include "session_list.hpp"

namespace certman::net {

class listener {
public:
    // start: spawns the session of each accepted connection (session.hpp).
    listener(boost::asio::any_io_executor ex, std::shared_ptr<server_state> st, session_starter start);

    // Binds and listens on `where` (IPv6 addresses accept IPv4 too). Errors: address parse, bind, listen.
    boost::system::error_code open(const endpoint& where);
    // The accept loop; ends when stopping (close() wakes it from any wait). Starts a session per connection.
    boost::asio::awaitable<void> run();
    void close() noexcept;
    endpoint local_endpoint() const;

private:
    enum class accept_result { queue_empty, more_queued, out_of_resources, at_capacity };
    accept_result accept_queued();
    boost::asio::awaitable<void> wait_for_slot(connection waiting);
    boost::asio::awaitable<void> backoff();

    boost::asio::any_io_executor executor_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::ip::tcp protocol_ = boost::asio::ip::tcp::v4();
    std::shared_ptr<server_state> state_;
    session_starter start_session_;
    std::optional<connection> over_cap_;  // accepted at max_connections, handed to wait_for_slot
};

}  // namespace certman::net
