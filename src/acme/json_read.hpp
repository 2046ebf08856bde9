// Private helpers for the ACME JSON readers: typed field access that explains what went wrong.
// Every reader fails with errc::parse_error and a message of one sentence naming the document and the field.
#pragma once
#include <boost/json.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include "certman/acme/identifier.hpp"
#include "certman/acme/problem.hpp"
#include "certman/core/result.hpp"

namespace certman::acme::detail {

// The failure path: errc::parse_error with `message`.
failure fail(std::string message);

// Parses text as JSON and requires a top-level object; `what` names the document ("order") in messages.
result<boost::json::object> parse_object(std::string_view text, std::string_view what);

// Reads a field. `what` is the document name used in messages. Missing required fields, and present fields of
// the wrong type (null included), are errors; a missing optional field is nullopt.
class reader {
public:
    reader(const boost::json::object& obj, std::string_view what) : obj_(obj), what_(what) {}

    result<std::string> str(std::string_view key) const;
    result<std::optional<std::string>> opt_str(std::string_view key) const;
    result<std::optional<bool>> opt_bool(std::string_view key) const;
    result<status> stat(std::string_view key) const;
    result<std::vector<std::string>> str_array(std::string_view key, bool required) const;
    // RFC 3339 timestamps (§7.1 "expires", "validated").
    result<std::optional<std::chrono::system_clock::time_point>> opt_time(std::string_view key) const;
    result<const boost::json::object*> opt_object(std::string_view key) const;
    result<const boost::json::array*> array(std::string_view key, bool required) const;
    failure error(std::string_view key, std::string_view problem) const;

private:
    const boost::json::object& obj_;
    std::string_view what_;
};

// {"type": ..., "value": ...} (RFC 8555 §7.1.3, §7.1.4).
result<identifier> read_identifier(const boost::json::object& obj, std::string_view what);

// An embedded problem document (order "error", challenge "error"); lenient like parse_problem. In problem.cpp.
problem read_problem(const boost::json::object& obj);

}  // namespace certman::acme::detail
