// Progress for control-socket callers: the daemon's log lines about their certificates
// (log_subscription, control_commands.hpp). One spdlog sink, installed once, hands each message to the
// live subscriptions; a message is posted to the runtime's executor, so subscribers are called on the
// daemon's thread whichever thread logged (the blocking pool's threads log too).
#include <boost/asio/post.hpp>
#include <list>
#include <mutex>
#include <spdlog/details/null_mutex.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include "certman/app/control_commands.hpp"
#include "certman/app/runtime.hpp"

namespace certman::app {
namespace asio = boost::asio;

struct log_subscription::impl {
    asio::any_io_executor executor;
    std::vector<std::string> names;
    progress_sink sink;
};

namespace {
struct registry {
    std::mutex mutex;
    std::list<std::weak_ptr<log_subscription::impl>> subscribers;
};
registry& subscribers() {
    static registry r;  // outlives every logger call (function-local static, never destroyed before exit)
    return r;
}

class forwarding_sink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        const std::string line(msg.payload.data(), msg.payload.size());
        auto& r = subscribers();
        std::lock_guard lock(r.mutex);
        for (const auto& weak : r.subscribers) {
            auto s = weak.lock();
            if (!s || !log_line_concerns(line, s->names)) continue;
            asio::post(s->executor, [weak, line] {
                if (auto alive = weak.lock()) alive->sink(line);
            });
        }
    }
    void flush_() override {}
};

}  // namespace

void install_log_forwarding() {
    static std::once_flag once;
    std::call_once(once, [] { spdlog::default_logger()->sinks().push_back(std::make_shared<forwarding_sink>()); });
}

bool log_line_concerns(std::string_view message, const std::vector<std::string>& names) {
    constexpr std::string_view prefix = "certificate ";
    if (message.substr(0, prefix.size()) != prefix) return false;
    const auto rest = message.substr(prefix.size());
    if (names.empty()) return true;
    for (const auto& n : names)
        if (rest.substr(0, n.size()) == n && rest.size() > n.size() && (rest[n.size()] == ':' || rest[n.size()] == ' ' ||
                                                                          rest[n.size()] == ';'))
            return true;
    return false;
}

log_subscription::log_subscription(runtime& rt, std::vector<std::string> names, progress_sink sink)
    : impl_(std::make_shared<impl>(impl{rt.executor(), std::move(names), std::move(sink)})) {
    install_log_forwarding();
    auto& r = subscribers();
    std::lock_guard lock(r.mutex);
    r.subscribers.push_back(impl_);
}

log_subscription::~log_subscription() {
    auto& r = subscribers();
    std::lock_guard lock(r.mutex);
    r.subscribers.remove_if([this](const auto& w) { return w.expired() || w.lock() == impl_; });
}

}  // namespace certman::app
