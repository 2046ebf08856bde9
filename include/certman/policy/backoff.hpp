// Retry pacing after failed renewals. A failed order is retried after about 1 minute, then 10 minutes, then
// 100 minutes, then once a day (Let's Encrypt integration guide), each delay jittered by ±10% so a fleet
// that failed together does not retry together, and never before the CA's Retry-After (RFC 8555 §6.6).
// The state survives restarts: storage persists it with to_json()/parse_failure_state(). Pure: the time
// and the random draw are parameters.
#pragma once
#include <boost/json/value.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::policy {

using std::chrono::sys_seconds;

struct failure_state {
    int consecutive_failures = 0;            // reset by record_success()
    sys_seconds last_failure{};              // when the latest failure happened
    std::optional<sys_seconds> retry_after;  // the CA's Retry-After, as an absolute time
    std::string last_error;                  // for status pages and logs; at most max_error_bytes, valid UTF-8
};

inline constexpr std::size_t max_error_bytes = 512;

// The longest Retry-After certman obeys: 7 days, Let's Encrypt's longest rate-limit window
// (https://letsencrypt.org/docs/rate-limits/: duplicate certificates, 5 per 7 days). A CA asking for more
// (a bug, or a hostile CA that would park a whole fleet for 10,000 years) gets 7 days.
inline constexpr std::chrono::seconds max_retry_after = std::chrono::days{7};

// The un-jittered delay after n consecutive failures: 0 for n <= 0, 1 min, 10 min, 100 min, then 24 h.
std::chrono::seconds backoff_delay(int consecutive_failures) noexcept;

// Earliest time for the next attempt: last_failure + backoff_delay(n) scaled by a factor in [0.9, 1.1]
// chosen by random01 (clamped into [0, 1)), and not before retry_after. With no failures recorded it is
// retry_after if set, else the epoch, i.e. "any time now". An operator-forced retry simply ignores it.
sys_seconds next_attempt(const failure_state& s, double random01) noexcept;

// Counts one more failure at `now`. error is stored cut to max_error_bytes on a character boundary, with
// invalid UTF-8 replaced by '?', so the state always serializes to JSON that parses back. retry_after is
// capped at now + max_retry_after, then replaces the previous value; a previous one still in the future is
// kept when it is later.
void record_failure(failure_state& s, sys_seconds now, std::string_view error,
                    std::optional<sys_seconds> retry_after = std::nullopt);

// A success forgets everything: the next failure starts the schedule from 1 minute again.
void record_success(failure_state& s) noexcept;

// {"consecutive_failures": 2, "last_failure": "2026-01-02T03:04:05Z", "retry_after": "..." (absent when
// none), "last_error": "..."}; times are RFC 3339 UTC.
boost::json::value to_json(const failure_state& s);

// Reads what to_json() wrote. Members it does not know are ignored. A retry_after later than last_failure +
// max_retry_after (written by an older certman, or by hand) is read as last_failure + max_retry_after.
// Errors (errc::parse_error): not an object, a member missing or of the wrong type, a count outside
// [0, 1000000], a time that is not RFC 3339.
result<failure_state> failure_state_from_json(const boost::json::value& v);

// The same from JSON text; text that is not JSON → errc::parse_error.
result<failure_state> parse_failure_state(std::string_view json_text);

}  // namespace certman::policy
