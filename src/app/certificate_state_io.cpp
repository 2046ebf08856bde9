// Saving a certificate's renewal state (certificate_job.hpp), and what happens when storage refuses: a
// full disk, a read-only mount, a bucket that denies writes. The state carries the failure backoff, so a
// state that cannot be saved must not be forgotten, or every pass would start fresh and order again:
//  - before each order the state is saved with attempt_started (save_attempt); if storage refuses,
//    nothing is ordered and the refusal is recorded as a failure with its backoff;
//  - a state storage refused stays in this process's memory (pass_memory::unsaved_states) and wins over the stored one
//    on the next passes of this process, so the backoff holds until a write succeeds;
//  - every refusal is shown: storage_error in /status, certman_storage_errors_total in /metrics, the log.
#include <spdlog/spdlog.h>
#include "certificate_job.hpp"

namespace certman::app {
namespace asio = boost::asio;

void certificate_job::note_storage_error(std::string what) {
    st_.storage_error = std::move(what);
    ++st_.storage_errors;
}

asio::awaitable<bool> certificate_job::save_state() {
    auto text = to_json(state_);
    if (auto r = co_await d_.store.store(state_key_, text); !r) {
        note_storage_error("cannot save the renewal state " + state_key_ + ": " + r.error().message());
        spdlog::error("certificate {}: {}; its failures and backoff are kept in memory until storage accepts writes",
                      cert_.name, st_.storage_error);
        d_.memory.unsaved_states[cert_.name] = state_;
        co_return false;
    }
    d_.memory.unsaved_states.erase(cert_.name);
    st_.storage_error.clear();
    state_as_loaded_ = std::move(text);
    co_return true;
}

asio::awaitable<bool> certificate_job::save_attempt() {
    state_.attempt_started = d_.clock.now();
    if (co_await save_state()) co_return true;
    // Ordering now could store nothing: the certificate and the failure would both be lost, and the next
    // pass would order again. Record a failure (kept in memory) and back off instead.
    std::string why = st_.storage_error + "; not ordering until storage accepts writes";
    co_await fail_attempt(std::move(why), "storage", std::nullopt);
    co_return false;
}

void certificate_job::merge_unsaved_state() {
    auto it = d_.memory.unsaved_states.find(cert_.name);
    if (it == d_.memory.unsaved_states.end()) return;
    const cert_state& mem = it->second;
    // Storage moved on meanwhile (another instance, or a write that did land after all): it wins.
    if (state_.failures.last_failure > mem.failures.last_failure) {
        d_.memory.unsaved_states.erase(it);
        return;
    }
    state_.failures = mem.failures;
    state_.authz = mem.authz;
    state_.last_failure_reason = mem.last_failure_reason;
    state_.attempt_started = mem.attempt_started;
    if (state_.random01 < 0) state_.random01 = mem.random01;
}

}  // namespace certman::app
