#include "session_list.hpp"
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace certman::net {
namespace asio = boost::asio;

void server_state::link(live_session& s) noexcept {
    s.next = sessions;
    if (sessions) sessions->prev = &s;
    sessions = &s;
    ++session_count;
    ++stats.connections_open;
}

void server_state::unlink(live_session& s) noexcept {
    if (s.prev) s.prev->next = s.next; else sessions = s.next;
    if (s.next) s.next->prev = s.prev;
    --session_count;
    --stats.connections_open;
    if (paused_at_cap) slot_timer.cancel();  // a slot is free: accept again
}

std::size_t server_state::reclaim_idle(std::size_t most) noexcept {
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

void server_state::cancel_reading() noexcept {
    boost::system::error_code ec;
    for (auto* s = sessions; s; s = s->next)
        if (s->reading && s->socket) s->socket->cancel(ec);
}

void server_state::wake_sweeper() noexcept {
    if (sweeper_parked) sweep_timer.cancel();
}

asio::awaitable<void> run_sweeper(std::shared_ptr<server_state> st) {
    for (;;) {
        if (st->stopping && st->session_count == 0) co_return;
        st->sweeper_parked = st->session_count == 0;
        if (st->sweeper_parked) st->sweep_timer.expires_at(asio::steady_timer::time_point::max());
        else st->sweep_timer.expires_after(std::chrono::milliseconds(250));
        boost::system::error_code ec;
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

}  // namespace certman::net
