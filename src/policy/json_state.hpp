// Internal to the policy layer: reading the small JSON state documents that backoff and authz_limiter
// persist. Every reader answers errc::parse_error for a missing member or a wrong type.
#pragma once
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include "certman/core/result.hpp"

namespace certman::policy::detail {

// Parses JSON text (strict: no comments, valid UTF-8) → errc::parse_error on any failure.
result<boost::json::value> parse_json(std::string_view text);

result<std::string> get_string(const boost::json::object& o, std::string_view key);
result<std::int64_t> get_int(const boost::json::object& o, std::string_view key);
// An RFC 3339 string member.
result<std::chrono::sys_seconds> get_time(const boost::json::object& o, std::string_view key);
// Like get_time, but an absent or null member is std::nullopt.
result<std::optional<std::chrono::sys_seconds>> get_optional_time(const boost::json::object& o, std::string_view key);

// Cuts text to at most max_bytes without splitting a UTF-8 sequence and replaces invalid bytes by '?'.
std::string sanitize_utf8(std::string_view text, std::size_t max_bytes);

}  // namespace certman::policy::detail
