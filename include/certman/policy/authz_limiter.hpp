// A client-side guard for Let's Encrypt's "authorization failures per name per account" limit (5 per
// hour, refilling one per 12 minutes): certman stops validating a name once 4 of its authorizations
// failed within the last hour, so a broken setup (wrong DNS, closed port 80) never trips the CA's limit or
// its longer "zombie" pausing. Pure: time is a parameter. Persisted with to_json()/parse_authz_limiter()
// so a restart loop cannot reset the count.
#pragma once
#include <boost/json/value.hpp>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/core/result.hpp"

namespace certman::policy {

using std::chrono::sys_seconds;

class authz_limiter {
public:
    static constexpr std::size_t max_failures = 4;              // per name inside one window
    static constexpr std::chrono::seconds window = std::chrono::hours{1};

    // Records a failed authorization (challenge invalid) for name at now. Names compare case-insensitively.
    void record_failure(std::string_view name, sys_seconds now);

    // nullopt when name may be tried at now; otherwise the time it becomes allowed again (when the oldest
    // of the last max_failures failures leaves the window). Failures stamped after now (the clock went
    // back) count as happening now, so a clock step never blocks a name for longer than one window.
    std::optional<sys_seconds> refused_until(std::string_view name, sys_seconds now) const;

    // The same for an order with several names: refused while any name is, until the latest of them.
    std::optional<sys_seconds> refused_until(const std::vector<std::string>& names, sys_seconds now) const;

    // Failures of name inside the window ending at now.
    std::size_t recent_failures(std::string_view name, sys_seconds now) const;

    // Drops failures that left the window, and names with none left; keeps the persisted state small.
    void prune(sys_seconds now);

    // Lower-cased name → its last failures, oldest first, at most max_failures each.
    const std::map<std::string, std::vector<sys_seconds>, std::less<>>& entries() const noexcept { return failures_; }

private:
    friend result<authz_limiter> authz_limiter_from_json(const boost::json::value& v);
    std::map<std::string, std::vector<sys_seconds>, std::less<>> failures_;
};

// {"failures": {"example.com": ["2026-01-02T03:04:05Z", ...], ...}}
boost::json::value to_json(const authz_limiter& l);

// Reads what to_json() wrote (more than max_failures times per name are accepted, the newest kept).
// Errors (errc::parse_error): not an object, "failures" missing or not an object, an empty name, a value
// that is not an array of RFC 3339 strings.
result<authz_limiter> authz_limiter_from_json(const boost::json::value& v);

// The same from JSON text; text that is not JSON → errc::parse_error.
result<authz_limiter> parse_authz_limiter(std::string_view json_text);

}  // namespace certman::policy
