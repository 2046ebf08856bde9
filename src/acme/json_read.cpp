#include "json_read.hpp"
#include "certman/core/rfc3339.hpp"

namespace certman::acme::detail {
namespace json = boost::json;

failure fail(std::string message) { return {errc::parse_error, std::move(message)}; }

result<json::object> parse_object(std::string_view text, std::string_view what) {
    error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) return fail(std::string(what) + " is not valid JSON: " + ec.message());
    if (!v.is_object()) return fail(std::string(what) + " is not a JSON object");
    return std::move(v.as_object());
}

failure reader::error(std::string_view key, std::string_view problem) const {
    return fail(std::string(what_) + ": field \"" + std::string(key) + "\" " + std::string(problem));
}

result<std::optional<std::string>> reader::opt_str(std::string_view key) const {
    const auto* v = obj_.if_contains(key);
    if (!v) return std::optional<std::string>{};
    if (!v->is_string()) return error(key, "is not a string");
    return std::optional<std::string>{std::string(v->as_string())};
}

result<std::string> reader::str(std::string_view key) const {
    auto v = opt_str(key);
    if (!v) return v.error();
    if (!*v) return error(key, "is missing");
    return std::move(**v);
}

result<std::optional<bool>> reader::opt_bool(std::string_view key) const {
    const auto* v = obj_.if_contains(key);
    if (!v) return std::optional<bool>{};
    if (!v->is_bool()) return {boost::system::in_place_error, error(key, "is not a boolean")};
    return std::optional<bool>{v->as_bool()};
}

result<status> reader::stat(std::string_view key) const {
    auto text = str(key);
    if (!text) return text.error();
    const auto s = parse_status(*text);
    if (!s) return error(key, "has unknown value \"" + *text + "\"");
    return *s;
}

result<const json::array*> reader::array(std::string_view key, bool required) const {
    const auto* v = obj_.if_contains(key);
    if (!v) {
        if (required) return error(key, "is missing");
        return static_cast<const json::array*>(nullptr);
    }
    if (!v->is_array()) return error(key, "is not an array");
    return &v->as_array();
}

result<std::vector<std::string>> reader::str_array(std::string_view key, bool required) const {
    auto arr = array(key, required);
    if (!arr) return arr.error();
    std::vector<std::string> out;
    if (!*arr) return out;
    for (const auto& e : **arr) {
        if (!e.is_string()) return error(key, "has a non-string element");
        out.emplace_back(e.as_string());
    }
    return out;
}

namespace {
// system_clock counts nanoseconds in 64 bits (years 1677..2262), RFC 3339 allows 0000..9999: a time outside
// saturates to the nearest end instead of overflowing (a far-future "expires" stays far in the future).
std::chrono::system_clock::time_point to_system_clock(sys_microseconds t) {
    using tp = std::chrono::system_clock::time_point;
    using std::chrono::microseconds;
    if (t >= std::chrono::floor<microseconds>(tp::max())) return tp::max();
    if (t <= std::chrono::ceil<microseconds>(tp::min())) return tp::min();
    return tp{t};
}
}  // namespace

result<std::optional<std::chrono::system_clock::time_point>> reader::opt_time(std::string_view key) const {
    auto text = opt_str(key);
    if (!text) return text.error();
    if (!*text) return std::optional<std::chrono::system_clock::time_point>{};
    const auto t = parse_rfc3339_us(**text);
    if (!t) return error(key, "is not an RFC 3339 timestamp: \"" + **text + "\"");
    return std::optional<std::chrono::system_clock::time_point>{to_system_clock(*t)};
}

result<const json::object*> reader::opt_object(std::string_view key) const {
    const auto* v = obj_.if_contains(key);
    if (!v) return static_cast<const json::object*>(nullptr);
    if (!v->is_object()) return error(key, "is not an object");
    return &v->as_object();
}

result<identifier> read_identifier(const json::object& obj, std::string_view what) {
    const reader r(obj, what);
    auto type = r.str("type");
    if (!type) return type.error();
    auto value = r.str("value");
    if (!value) return value.error();
    return identifier{std::move(*type), std::move(*value)};
}

}  // namespace certman::acme::detail
