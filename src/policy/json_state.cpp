#include "json_state.hpp"
#include <boost/json/parse.hpp>
#include "certman/core/rfc3339.hpp"

namespace certman::policy::detail {
namespace {

bool in(unsigned char c, unsigned lo, unsigned hi) { return c >= lo && c <= hi; }

// Length of the well-formed UTF-8 sequence starting at text[i] (Unicode 15, Table 3-7), 0 if ill-formed.
std::size_t sequence_length(std::string_view text, std::size_t i) {
    const auto b = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
    const unsigned char c = b(0);
    if (c < 0x80) return 1;
    std::size_t n = 0;
    unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (in(c, 0xC2, 0xDF)) n = 2;
    else if (in(c, 0xE0, 0xEF)) { n = 3; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
    else if (in(c, 0xF0, 0xF4)) { n = 4; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
    else return 0;
    if (i + n > text.size() || !in(b(1), lo, hi)) return 0;
    for (std::size_t k = 2; k < n; ++k)
        if (!in(b(k), 0x80, 0xBF)) return 0;
    return n;
}

}  // namespace

result<boost::json::value> parse_json(std::string_view text) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(text, ec);
    if (ec) return errc::parse_error;
    return v;
}

result<std::string> get_string(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return errc::parse_error;
    return std::string(v->get_string());
}

result<std::int64_t> get_int(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return errc::parse_error;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->get_uint64());
    return errc::parse_error;
}

result<std::chrono::sys_seconds> get_time(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return errc::parse_error;
    return parse_rfc3339(v->get_string());
}

result<std::optional<std::chrono::sys_seconds>> get_optional_time(const boost::json::object& o,
                                                                  std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || v->is_null()) return std::optional<std::chrono::sys_seconds>{};
    auto t = get_time(o, key);
    if (!t) return t.error();
    return std::optional<std::chrono::sys_seconds>{*t};
}

std::string sanitize_utf8(std::string_view text, std::size_t max_bytes) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = sequence_length(text, i);
        const std::size_t take = n == 0 ? 1 : n;
        if (out.size() + take > max_bytes) break;
        if (n == 0) out.push_back('?');
        else out.append(text.substr(i, n));
        i += take;
    }
    return out;
}

}  // namespace certman::policy::detail
