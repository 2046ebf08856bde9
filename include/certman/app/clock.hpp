// The time a renewal pass reads and waits on, passed in (STYLE.md §4) so that a pass can be tested with a
// fixed clock: now() is the wall clock (what certificates, backoff and leases are written in), sleep()
// a wait on the caller's executor. The system clock uses std::chrono::system_clock and a steady timer.
#pragma once
#include <boost/asio/awaitable.hpp>
#include <chrono>

namespace certman::app {

class clock {
public:
    virtual ~clock() = default;
    virtual std::chrono::sys_seconds now() const = 0;
    // Returns after `d`, or earlier when the awaiting coroutine is cancelled (no exception either way).
    virtual boost::asio::awaitable<void> sleep(std::chrono::milliseconds d) = 0;
};

// The process's clock; lives for the whole program.
clock& system_clock();

}  // namespace certman::app
