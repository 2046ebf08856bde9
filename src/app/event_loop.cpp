// Ownership and shutdown order of a command's event loop (contract in include/certman/app/event_loop.hpp).
#include "certman/app/event_loop.hpp"
#include <spdlog/spdlog.h>

namespace certman::app {

event_loop::event_loop() = default;

event_loop::~event_loop() {
    disarm();
    pool_.join();
    io_.destroy_pending_handlers();
}

boost::asio::any_io_executor event_loop::executor() { return io_.get_executor(); }

void event_loop::arm_hard_stop(std::chrono::steady_clock::duration after) {
    if (hard_stop_.joinable()) return;
    hard_stop_ = std::thread([this, at = std::chrono::steady_clock::now() + after] {
        std::unique_lock lock(mutex_);
        if (cv_.wait_until(lock, at, [this] { return done_; })) return;
        spdlog::warn("stopping took too long: abandoning what is still running");
        io_.stop();
    });
}

void event_loop::disarm() {
    {
        std::lock_guard lock(mutex_);
        done_ = true;
    }
    cv_.notify_all();
    if (hard_stop_.joinable()) hard_stop_.join();
}

void event_loop::run() {
    io_.run();
    disarm();
    pool_.join();
    io_.destroy_pending_handlers();
}

}  // namespace certman::app
