// Private to src/cloud/alibaba: reading the JSON answers of Alibaba RPC APIs (SLB, Alidns). Each reader throws
// bad_shape on a field of the wrong type; guarded() turns that, and a body that is not a JSON object, into
// errc::parse_error. Pure.
#pragma once
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "certman/core/errc.hpp"
#include "certman/core/result.hpp"

namespace certman::cloud::alibaba::detail::json_shape {
namespace json = boost::json;

struct bad_shape {};

inline result<json::object> parse_object(std::string_view body) {
    boost::system::error_code ec;
    auto doc = json::parse(body, ec);
    if (ec || !doc.is_object()) return errc::parse_error;
    return std::move(doc.get_object());
}

inline std::string text(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) throw bad_shape{};
    return std::string(v->get_string());
}

inline std::int64_t number(const json::object& o, std::string_view name) {
    const auto* v = o.if_contains(name);
    if (!v || v->is_null()) return 0;
    if (v->is_int64()) return v->get_int64();
    // Over INT64_MAX: refused, not wrapped to a negative count or id.
    if (v->is_uint64()) {
        if (v->get_uint64() > static_cast<std::uint64_t>(INT64_MAX)) throw bad_shape{};
        return static_cast<std::int64_t>(v->get_uint64());
    }
    if (v->is_string()) {
        std::string_view s = v->get_string();
        std::int64_t n = 0;
        auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), n);
        if (e == std::errc{} && p == s.data() + s.size()) return n;
    }
    throw bad_shape{};
}

// "Outer":{"Inner":[…]} → the array's objects; absent → empty.
inline std::vector<const json::object*> wrapped(const json::object& o, std::string_view outer, std::string_view inner) {
    std::vector<const json::object*> out;
    const auto* w = o.if_contains(outer);
    if (!w || w->is_null()) return out;
    if (!w->is_object()) throw bad_shape{};
    const auto* a = w->get_object().if_contains(inner);
    if (!a || a->is_null()) return out;
    if (!a->is_array()) throw bad_shape{};
    for (const auto& item : a->get_array()) {
        if (!item.is_object()) throw bad_shape{};
        out.push_back(&item.get_object());
    }
    return out;
}

template <class F>
auto guarded(std::string_view body, F&& read) -> result<decltype(read(json::object{}))> {
    auto o = parse_object(body);
    if (!o) return o.error();
    try {
        return read(*o);
    } catch (const bad_shape&) {
        return errc::parse_error;
    }
}

// "Name":[{…}] → the array's objects; absent or null → empty.
inline std::vector<const json::object*> objects(const json::object& o, std::string_view name) {
    std::vector<const json::object*> out;
    const auto* a = o.if_contains(name);
    if (!a || a->is_null()) return out;
    if (!a->is_array()) throw bad_shape{};
    for (const auto& item : a->get_array()) {
        if (!item.is_object()) throw bad_shape{};
        out.push_back(&item.get_object());
    }
    return out;
}

// "Name":["…"] → the strings; absent or null → empty.
inline std::vector<std::string> strings(const json::object& o, std::string_view name) {
    std::vector<std::string> out;
    const auto* a = o.if_contains(name);
    if (!a || a->is_null()) return out;
    if (!a->is_array()) throw bad_shape{};
    for (const auto& item : a->get_array()) {
        if (!item.is_string()) throw bad_shape{};
        out.emplace_back(item.get_string());
    }
    return out;
}

// guarded() for the answer of `action`, refusing a body over `limit` bytes before parsing it; the failure's
// message names the action and says which of the two went wrong.
template <class F>
auto guarded_answer(std::string_view action, std::string_view body, std::size_t limit, F&& read)
    -> result<decltype(read(json::object{}))> {
    if (body.size() > limit)
        return failure{errc::parse_error, std::string(action) + ": the answer has " + std::to_string(body.size()) +
                                              " bytes, more than the " + std::to_string(limit) + " certman reads"};
    auto r = guarded(body, std::forward<F>(read));
    if (!r) return failure{errc::parse_error, std::string(action) + ": the answer does not have the documented shape"};
    return r;
}

}  // namespace certman::cloud::alibaba::detail::json_shape
