// What the sessions of one server share: the list of open connections, each with a deadline stamp, and the
// sweeper that enforces those deadlines. Internal to src/net (server.cpp, listener.cpp, session.cpp).
//
// Contract:
//  - a session links its live_session (kept in its own coroutine frame: no allocation) for as long as it runs and
//    unlinks it before it ends; `socket` is set once the connection has an Asio socket (before that nothing waits,
//    so there is nothing to cancel) and cleared before the socket closes,
//  - a deadline is a time stamp, not a timer: arm() costs no system call and no timer-queue update (with
//    per-operation timers, each completed read or write cancelled the earliest timer and re-programmed the
//    reactor's timerfd: several system calls per `Connection: close` probe). run_sweeper() checks the stamps every
//    250 ms and cancels the socket of a session past its deadline (its pending operation ends with
//    operation_aborted, and timed_out says why),
//  - the state is shared (shared_ptr) by the server, its listener, its sweeper and every session, so stop() never
//    leaves a session with a dangling reference; one io thread, no locks.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include "certman/net/http_stats.hpp"
#include "certman/net/server.hpp"

namespace certman::net {

using deadline_clock = std::chrono::steady_clock;

// One open connection, linked into its server's list.
struct live_session {
    boost::asio::ip::tcp::socket* socket = nullptr;  // null until the connection has an Asio socket
    bool reading = true;     // waiting for (part of) a request: stop() cancels it
    bool idle = false;       // between two requests of a keep-alive connection: may be reclaimed at the cap
    bool timed_out = false;  // set by the sweeper when it cancels the connection at its deadline
    deadline_clock::time_point deadline = deadline_clock::time_point::max();
    live_session* prev = nullptr;
    live_session* next = nullptr;

    void arm(deadline_clock::duration d) noexcept { deadline = deadline_clock::now() + d; }
};

struct server_state {
    server_state(boost::asio::any_io_executor ex, server_options o, request_handler h)
        : options(std::move(o)), handler(std::move(h)), sweep_timer(ex), slot_timer(std::move(ex)) {}
    server_options options;
    request_handler handler;
    http_stats stats;
    bool stopping = false;
    live_session* sessions = nullptr;  // head of the intrusive list
    std::size_t session_count = 0;
    boost::asio::steady_timer sweep_timer;  // the sweeper's tick; parked (no expiry) while there are no sessions
    bool sweeper_parked = false;
    boost::asio::steady_timer slot_timer;   // the listener waits on it (no expiry) while max_connections are open
    bool paused_at_cap = false;             // the listener is waiting on slot_timer

    void link(live_session& s) noexcept;
    // Also wakes a listener paused at the cap: a slot is free.
    void unlink(live_session& s) noexcept;
    // At the cap: closes up to `most` keep-alive connections that wait for their next request, as nginx reuses
    // idle keep-alive connections when it runs out (ngx_drain_connections). Returns how many it cancelled.
    std::size_t reclaim_idle(std::size_t most) noexcept;
    // stop(): cancels the sessions waiting for a request (a response being written finishes).
    void cancel_reading() noexcept;
    // A new session: deadlines to watch again if the sweeper is parked.
    void wake_sweeper() noexcept;
};

// A session's entry in its server's list for as long as the session coroutine runs, shared by the fast and the
// reference session: linked when made, and when destroyed, however the coroutine ends (return, exception,
// cancellation), a timeout counted if the sweeper cut the connection, then unlinked.
class session_registration {
public:
    session_registration(server_state& st, live_session& self) noexcept : st_(st), self_(self) { st_.link(self_); }
    ~session_registration() {
        if (self_.timed_out) ++st_.stats.connections_timed_out;
        st_.unlink(self_);
    }
    session_registration(const session_registration&) = delete;
    session_registration& operator=(const session_registration&) = delete;

private:
    server_state& st_;
    live_session& self_;
};

// Enforces the sessions' deadlines (see above). Parked while there is no session, so an idle daemon does not wake
// up; ends after stop() once the last session is gone.
boost::asio::awaitable<void> run_sweeper(std::shared_ptr<server_state> st);

}  // namespace certman::net
