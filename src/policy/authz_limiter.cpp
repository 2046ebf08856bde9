#include "certman/policy/authz_limiter.hpp"
#include <algorithm>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include "certman/core/rfc3339.hpp"
#include "detail.hpp"
#include "json_state.hpp"

namespace certman::policy {
namespace {

// Keeps a name's list sorted and bounded: only the newest max_failures can decide a refusal.
void insert_bounded(std::vector<sys_seconds>& list, sys_seconds t) {
    list.insert(std::upper_bound(list.begin(), list.end(), t), t);
    if (list.size() > authz_limiter::max_failures)
        list.erase(list.begin(), list.end() - static_cast<std::ptrdiff_t>(authz_limiter::max_failures));
}

}  // namespace

void authz_limiter::record_failure(std::string_view name, sys_seconds now) {
    insert_bounded(failures_[detail::ascii_lower(name)], now);
}

std::size_t authz_limiter::recent_failures(std::string_view name, sys_seconds now) const {
    const auto it = failures_.find(detail::ascii_lower(name));
    if (it == failures_.end()) return 0;
    return static_cast<std::size_t>(
        std::count_if(it->second.begin(), it->second.end(), [&](sys_seconds t) { return t > now - window; }));
}

std::optional<sys_seconds> authz_limiter::refused_until(std::string_view name, sys_seconds now) const {
    const auto it = failures_.find(detail::ascii_lower(name));
    if (it == failures_.end() || it->second.size() < max_failures) return std::nullopt;
    // The list holds the newest max_failures, oldest first: the name is free once the oldest leaves.
    const sys_seconds oldest = std::min(it->second.front(), now);
    const sys_seconds allowed = oldest + window;
    if (allowed <= now) return std::nullopt;
    return allowed;
}

std::optional<sys_seconds> authz_limiter::refused_until(const std::vector<std::string>& names,
                                                        sys_seconds now) const {
    std::optional<sys_seconds> latest;
    for (const auto& n : names)
        if (const auto t = refused_until(n, now); t && (!latest || *t > *latest)) latest = t;
    return latest;
}

void authz_limiter::prune(sys_seconds now) {
    for (auto it = failures_.begin(); it != failures_.end();) {
        auto& list = it->second;
        list.erase(list.begin(),
                   std::find_if(list.begin(), list.end(), [&](sys_seconds t) { return t > now - window; }));
        it = list.empty() ? failures_.erase(it) : std::next(it);
    }
}

boost::json::value to_json(const authz_limiter& l) {
    boost::json::object names;
    for (const auto& [name, times] : l.entries()) {
        boost::json::array a;
        for (const auto t : times) a.emplace_back(format_rfc3339(t));
        names[name] = std::move(a);
    }
    boost::json::object root;
    root["failures"] = std::move(names);
    return root;
}

result<authz_limiter> authz_limiter_from_json(const boost::json::value& v) {
    const auto* root = v.if_object();
    const auto* names = root ? root->if_contains("failures") : nullptr;
    if (names == nullptr || !names->is_object()) return errc::parse_error;
    authz_limiter out;
    for (const auto& [key, times] : names->get_object()) {
        if (key.empty() || !times.is_array()) return errc::parse_error;
        auto& list = out.failures_[detail::ascii_lower(key)];
        for (const auto& t : times.get_array()) {
            if (!t.is_string()) return errc::parse_error;
            const auto parsed = parse_rfc3339(t.get_string());
            if (!parsed) return errc::parse_error;
            insert_bounded(list, *parsed);
        }
    }
    return out;
}

result<authz_limiter> parse_authz_limiter(std::string_view json_text) {
    auto v = detail::parse_json(json_text);
    if (!v) return v.error();
    return authz_limiter_from_json(*v);
}

}  // namespace certman::policy
