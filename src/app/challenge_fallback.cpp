// Cluster-mode challenge lookups (contract in challenge_fallback.hpp).
#include "challenge_fallback.hpp"
#include <unordered_map>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include "certman/storage/keys.hpp"

namespace certman::app {
namespace asio = boost::asio;

bool plausible_token(std::string_view token) {
    if (token.size() < 22 || token.size() > 256) return false;
    for (char c : token)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
            return false;
    return true;
}

namespace {
using clock = std::chrono::steady_clock;

// One read that others may wait for: the owner fills `value` and cancels `done`.
template <class T>
struct flight {
    asio::steady_timer done;
    T value{};
    explicit flight(asio::any_io_executor ex) : done(std::move(ex), asio::steady_timer::time_point::max()) {}
};

struct lookups_state {
    struct known { std::optional<std::string> value; clock::time_point until; };
    std::shared_ptr<storage::storage> store;
    challenge_fallback_options options;
    std::unordered_map<std::string, known> cache;
    std::unordered_map<std::string, std::shared_ptr<flight<std::optional<std::string>>>> in_flight;
    std::size_t reads = 0;  // bucket reads in flight, against options.max_lookups
    bool lease_seen = false;
    clock::time_point lease_until{};
    std::shared_ptr<flight<bool>> listing;
};

// Waits for another request's read of the same thing; the flight is kept alive by the shared pointer.
template <class T>
asio::awaitable<T> wait_for_flight(std::shared_ptr<flight<T>> shared) {
    boost::system::error_code ec;
    co_await shared->done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    co_return shared->value;
}

// Whether some instance holds an order lease, from the cached listing of leases/ (refreshed when stale;
// concurrent callers share one listing).
asio::awaitable<bool> ask_lease_held(lookups_state& s, asio::any_io_executor ex) {
    if (clock::now() < s.lease_until) co_return s.lease_seen;
    if (s.listing) co_return co_await wait_for_flight(s.listing);
    auto mine = std::make_shared<flight<bool>>(ex);
    s.listing = mine;
    struct land {
        lookups_state& s;
        flight<bool>& f;
        ~land() {
            s.lease_seen = f.value;
            s.lease_until = clock::now() + (f.value ? s.options.lease_seen_ttl : s.options.no_lease_ttl);
            s.listing.reset();
            f.done.cancel();
        }
    } landing{s, *mine};
    mine->value = true;  // unless the listing proves otherwise (see the header: failures count as "held")
    auto keys = co_await s.store->list(std::string(storage::leases_prefix));
    if (keys) mine->value = !keys->empty();
    co_return mine->value;
}
}  // namespace

challenge_fallback make_challenge_fallback(boost::asio::any_io_executor ex, std::shared_ptr<storage::storage> lookups,
                                           challenge_fallback_options options) {
    auto state = std::make_shared<lookups_state>();
    state->store = std::move(lookups);
    state->options = options;
    return [ex, state](std::string token) -> asio::awaitable<std::optional<std::string>> {
        auto& s = *state;
        if (!plausible_token(token)) co_return std::nullopt;
        if (auto it = s.cache.find(token); it != s.cache.end() && it->second.until > clock::now())
            co_return it->second.value;
        if (auto it = s.in_flight.find(token); it != s.in_flight.end())  // someone is reading it: share
            co_return co_await wait_for_flight(it->second);
        if (!co_await ask_lease_held(s, ex)) co_return std::nullopt;
        if (s.reads >= s.options.max_lookups) co_return std::nullopt;  // not cached: a real token may retry
        if (auto it = s.in_flight.find(token); it != s.in_flight.end())  // started while we listed
            co_return co_await wait_for_flight(it->second);
        auto mine = std::make_shared<flight<std::optional<std::string>>>(ex);
        s.in_flight.emplace(token, mine);
        ++s.reads;
        struct land {  // on every exit (exceptions too): publish the answer and wake the waiters
            lookups_state& s;
            const std::string& token;
            flight<std::optional<std::string>>& f;
            bool answered = false;  // the bucket said found or not found (a failed read is not remembered)
            ~land() {
                --s.reads;
                s.in_flight.erase(token);
                if (s.cache.size() > 10000) s.cache.clear();
                if (answered)
                    s.cache[token] = {f.value, clock::now() + (f.value ? std::chrono::seconds(10) : std::chrono::seconds(2))};
                f.done.cancel();
            }
        } landing{s, token, *mine};
        auto found = co_await s.store->load(storage::challenge_key(token));
        if (found) mine->value = std::move(*found);
        landing.answered = found || found.error() == errc::not_found;
        co_return mine->value;
    };
}

}  // namespace certman::app
