// One connection on the control socket (control_session.hpp). Beast's session shape: read, handle, write.
#include "control_session.hpp"
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <deque>
#include <spdlog/spdlog.h>
#include "certman/app/control_commands.hpp"
#include "certman/app/control_protocol.hpp"
#include "certman/app/daemon.hpp"
#include "certman/app/runtime.hpp"

namespace certman::app {
namespace asio = boost::asio;
using namespace asio::experimental::awaitable_operators;
using stream = asio::local::stream_protocol;

namespace {
// Lines waiting for the socket. The writer never throws: a caller that went away (Ctrl-C) does not stop
// the command it started; its lines are dropped.
struct outbox {
    explicit outbox(asio::any_io_executor ex) : wake(std::move(ex)) {}
    std::deque<std::string> lines;
    asio::steady_timer wake;
    bool closed = false;    // the command is done: write what is left, then end
    bool broken = false;    // the peer is gone
    void push(std::string line) {
        lines.push_back(std::move(line));
        wake.cancel();
    }
};

asio::awaitable<void> run_writer(stream::socket& s, outbox& out) {
    // The daemon stopping cancels the command; its last lines (the failure, "certman is stopping") must still
    // reach the caller, so the writer's own operations are not aborted by that cancellation.
    co_await asio::this_coro::throw_if_cancelled(false);
    for (;;) {
        while (!out.lines.empty()) {
            boost::system::error_code ec;
            if (!out.broken) co_await asio::async_write(s, asio::buffer(out.lines.front()), asio::redirect_error(asio::use_awaitable, ec));
            if (ec) out.broken = true;
            out.lines.pop_front();
        }
        if (out.closed) co_return;
        out.wake.expires_at(asio::steady_timer::time_point::max());
        boost::system::error_code ec;
        co_await out.wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
}

asio::awaitable<void> handle_command(runtime& rt, control::request r, outbox& out) {
    command_outcome result{exit_failed, "internal error", {}};
    try {
        const progress_sink progress = [&out](std::string_view line) { out.push(control::progress_line(line)); };
        result = co_await handle_control_command(rt, r, progress);
    } catch (const boost::system::system_error& e) {
        if (e.code() == asio::error::operation_aborted) result.message = "certman is stopping";
        else result.message = std::string("internal error: ") + e.what();
    } catch (const std::exception& e) {
        spdlog::error("control socket: command failed: {}", e.what());
        result.message = std::string("internal error: ") + e.what();
    }
    out.push(control::done_line(result.exit_code, result.message, result.data ? &*result.data : nullptr));
    out.closed = true;
    out.wake.cancel();
}

// One request line within control::request_timeout; nullopt at end of stream, on timeout or overflow (the
// reason is logged at debug: the peer is local and allowed, but still not trusted to be well-formed).
asio::awaitable<std::optional<std::string>> read_line(stream::socket& s, std::string& buffer) {
    asio::steady_timer timer(s.get_executor(), control::request_timeout);
    boost::system::error_code ec;
    auto read = asio::async_read_until(s, asio::dynamic_buffer(buffer, control::max_line_bytes + 1), '\n',
                                       asio::redirect_error(asio::use_awaitable, ec));
    auto outcome = co_await (std::move(read) || timer.async_wait(asio::use_awaitable));
    if (outcome.index() == 1 || ec) {
        spdlog::debug("control socket: no request line ({})", outcome.index() == 1 ? "timeout" : ec.message());
        co_return std::nullopt;
    }
    const auto n = std::get<0>(outcome);
    std::string line = buffer.substr(0, n - 1);
    buffer.erase(0, n);
    co_return line;
}
}  // namespace

asio::awaitable<void> run_control_session(runtime& rt, stream::socket s, std::shared_ptr<std::size_t> sessions) {
    struct count { std::shared_ptr<std::size_t> n; ~count() { --*n; } } counted{std::move(sessions)};
    std::string buffer;
    for (std::size_t i = 0; i < control::max_requests; ++i) {
        auto line = co_await read_line(s, buffer);
        if (!line) co_return;
        auto parsed = control::parse_request(*line);
        if (!parsed) {
            const auto refusal = control::done_line(exit_usage, "bad request: " + parsed.error().message());
            boost::system::error_code ec;
            co_await asio::async_write(s, asio::buffer(refusal), asio::redirect_error(asio::use_awaitable, ec));
            co_return;
        }
        auto& r = *parsed;
        spdlog::info("control socket: {}", control::to_line(r).substr(0, 200));
        outbox out(s.get_executor());
        co_await (handle_command(rt, std::move(r), out) && run_writer(s, out));
        if (out.broken) co_return;
    }
}

asio::awaitable<void> refuse_control_session(stream::socket s, uid_t daemon_uid, gid_t daemon_gid) {
    const auto line = control::done_line(
        exit_denied, "permission denied: the control socket serves root, uid " + std::to_string(daemon_uid) +
                         " (certman's user) and members of gid " + std::to_string(daemon_gid) +
                         " (certman's group: `usermod -aG <group> $USER`, then log in again) only");
    boost::system::error_code ec;
    co_await asio::async_write(s, asio::buffer(line), asio::redirect_error(asio::use_awaitable, ec));
    // Take the request the caller may have sent (bounded as for anyone): closing with it unread would reset
    // the connection, and the caller could lose the refusal.
    std::string ignored;
    if (!ec) co_await read_line(s, ignored);
}

}  // namespace certman::app
