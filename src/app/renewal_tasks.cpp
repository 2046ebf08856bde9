// The renewal manager's scheduling (renewal_manager.hpp): one task per certificate in the daemon, and the
// one-shot pass of `certman renew`.
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include "certman/app/renewal_manager.hpp"

namespace certman::app {
namespace asio = boost::asio;

// A certificate's sleep. `pending` remembers a wake() that arrived while its pass was running (the timer was
// not waiting then, so cancelling it alone would lose the wake-up until the next check).
struct renewal_manager::certificate_task {
    explicit certificate_task(asio::any_io_executor ex) : timer(std::move(ex)) {}
    asio::steady_timer timer;
    bool pending = false;
};

void renewal_manager::start() {
    if (env_.stop_requested()) return;
    for (const auto& c : env_.cfg.certificates) {
        if (tasks_.count(c.name)) continue;
        tasks_[c.name] = std::make_shared<certificate_task>(env_.executor);
        env_.tasks.spawn("renewal of " + c.name, run_certificate_loop(c.name));
    }
}

void renewal_manager::wake() {
    for (auto& [name, task] : tasks_) {
        task->pending = true;
        task->timer.cancel();
    }
}

// Runs passes of one certificate until it leaves the configuration or the task is cancelled. Cancellation
// does not throw here (throw_if_cancelled(false)): an order being cancelled ends through its normal failure
// path, which records the attempt and releases the lease.
asio::awaitable<void> renewal_manager::run_certificate_loop(std::string name) {
    co_await asio::this_coro::throw_if_cancelled(false);
    const auto task = tasks_.at(name);
    struct forget {
        std::map<std::string, std::shared_ptr<certificate_task>>& tasks;
        const std::string& name;
        ~forget() { tasks.erase(name); }
    } on_exit{tasks_, name};
    for (;;) {
        const auto* cert = env_.cfg.find_certificate(name);
        if (!cert) co_return;  // removed by a reload
        task->pending = false;
        co_await run_certificate(*cert, false);
        // A cancellation that arrived during the pass was spent on it (a signal fires once): look before
        // sleeping, or the stop would wait for the grace period's second cancellation.
        const auto cs = co_await asio::this_coro::cancellation_state;
        if (cs.cancelled() != asio::cancellation_type::none) co_return;
        if (!task->pending) co_await wait_next_check(name, *task);
        if (cs.cancelled() != asio::cancellation_type::none) co_return;
    }
}

std::chrono::milliseconds next_check_delay(std::chrono::sys_seconds now, std::chrono::seconds check_interval,
                                           std::optional<std::chrono::sys_seconds> next_renewal,
                                           std::optional<std::chrono::sys_seconds> ari_poll, double jitter) {
    auto earliest = check_interval;
    auto consider = [&](std::optional<std::chrono::sys_seconds> at) {
        if (!at) return;
        auto until = *at - now;
        if (until.count() > 0 && until < earliest) earliest = until + std::chrono::seconds(1);
    };
    consider(next_renewal);
    consider(ari_poll);  // RFC 9773 §4.3: poll at Retry-After
    const double factor = earliest == check_interval ? jitter : 1.0;
    return std::chrono::milliseconds(static_cast<long long>(earliest.count() * 1000 * factor));
}

// Sleeps until this certificate's next check (next_check_delay), or until wake().
asio::awaitable<void> renewal_manager::wait_next_check(const std::string& name, certificate_task& task) {
    std::optional<std::chrono::sys_seconds> next_renewal, ari_poll;
    for (const auto& s : env_.statuses)
        if (s->name == name && s->next_renewal) next_renewal = *s->next_renewal;
    if (auto it = memory_.ari_polls.find(name); it != memory_.ari_polls.end()) ari_poll = it->second;
    const double jitter = 0.9 + 0.2 * random01_();
    task.timer.expires_after(next_check_delay(clock_.now(), env_.cfg.renewal.check_interval, next_renewal, ari_poll, jitter));
    boost::system::error_code ec;
    co_await task.timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<std::vector<certificate_result>> renewal_manager::run_pass(bool force, const std::vector<std::string>& names) {
    std::vector<certificate_config> todo;
    for (const auto& c : env_.cfg.certificates)
        if (names.empty() || std::find(names.begin(), names.end(), c.name) != names.end()) todo.push_back(c);
    std::vector<certificate_result> results(todo.size());
    // Each certificate in its own task (orders are bounded by order_slots_); the pass ends with the last.
    task_group pass(env_.executor);
    for (std::size_t i = 0; i < todo.size(); ++i)
        pass.spawn("renewal of " + todo[i].name, [](renewal_manager& m, certificate_config c, bool f,
                                                    certificate_result& out) -> asio::awaitable<void> {
            out = co_await m.run_certificate(std::move(c), f);
        }(*this, todo[i], force, results[i]));
    while (!co_await pass.wait_empty(std::chrono::hours(24))) {}
    co_return results;
}
}  // namespace certman::app
