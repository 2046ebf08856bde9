#include "certman/policy/backoff.hpp"
#include <algorithm>
#include <boost/json/object.hpp>
#include "certman/core/rfc3339.hpp"
#include "json_state.hpp"
#include "detail.hpp"

namespace certman::policy {
namespace {
using namespace std::chrono;
constexpr std::int64_t max_count = 1'000'000;  // a day apart, that is millennia: anything above is corrupt
}  // namespace

seconds backoff_delay(int consecutive_failures) noexcept {
    switch (consecutive_failures) {
    case 1: return minutes{1};
    case 2: return minutes{10};
    case 3: return minutes{100};
    default: return consecutive_failures <= 0 ? seconds{0} : seconds{hours{24}};
    }
}

sys_seconds next_attempt(const failure_state& s, double random01) noexcept {
    if (s.consecutive_failures <= 0) return s.retry_after.value_or(sys_seconds{});
    const double factor = 0.9 + 0.2 * detail::unit(random01);
    const auto delay = static_cast<seconds::rep>(static_cast<double>(backoff_delay(s.consecutive_failures).count()) * factor);
    const sys_seconds at = s.last_failure + seconds{delay};
    return s.retry_after ? std::max(at, *s.retry_after) : at;
}

void record_failure(failure_state& s, sys_seconds now, std::string_view error, std::optional<sys_seconds> retry_after) {
    if (s.consecutive_failures < max_count) ++s.consecutive_failures;
    s.last_failure = now;
    s.last_error = detail::sanitize_utf8(error, max_error_bytes);
    if (retry_after) retry_after = std::min(*retry_after, now + max_retry_after);
    const bool keep_old = s.retry_after && *s.retry_after > now && (!retry_after || *s.retry_after > *retry_after);
    if (!keep_old) s.retry_after = retry_after;
}

void record_success(failure_state& s) noexcept {
    s.consecutive_failures = 0;
    s.last_failure = sys_seconds{};
    s.retry_after.reset();
    s.last_error.clear();
}

boost::json::value to_json(const failure_state& s) {
    boost::json::object o;
    o["consecutive_failures"] = s.consecutive_failures;
    o["last_failure"] = format_rfc3339(s.last_failure);
    if (s.retry_after) o["retry_after"] = format_rfc3339(*s.retry_after);
    o["last_error"] = s.last_error;
    return o;
}

result<failure_state> failure_state_from_json(const boost::json::value& v) {
    if (!v.is_object()) return errc::parse_error;
    const auto& o = v.get_object();
    const auto count = detail::get_int(o, "consecutive_failures");
    auto last = detail::get_time(o, "last_failure");
    auto retry = detail::get_optional_time(o, "retry_after");
    auto error = detail::get_string(o, "last_error");
    if (!count || !last || !retry || !error) return errc::parse_error;
    if (*count < 0 || *count > max_count) return errc::parse_error;
    if (*retry) *retry = std::min(**retry, *last + max_retry_after);
    return failure_state{static_cast<int>(*count), *last, *retry, std::move(*error)};
}

result<failure_state> parse_failure_state(std::string_view json_text) {
    auto v = detail::parse_json(json_text);
    if (!v) return v.error();
    return failure_state_from_json(*v);
}

}  // namespace certman::policy
