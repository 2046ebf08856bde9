// ALB/NLB deploy decisions (contract in include/certman/deploy/cas_listener_plan.hpp).
#include "certman/deploy/cas_listener_plan.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <optional>
#include <string>

namespace certman::deploy {
namespace ali = cloud::alibaba;

namespace {

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string hex_folded(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == ':') continue;
        out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
}

std::string yyyymmdd(std::chrono::sys_seconds t) {
    const std::chrono::year_month_day d{std::chrono::floor<std::chrono::days>(t)};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

bool all_in(std::string_view s, std::string_view allowed) {
    return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}

// The "<yyyymmdd>" and "<serial>" at the end of an upload name, when it has that shape.
struct name_tail {
    std::chrono::sys_days date;
    int yyyymmdd = 0;
    std::string_view serial;
};

std::optional<name_tail> parse_tail(std::string_view name) {
    const auto serial_at = name.rfind('_');
    if (serial_at == std::string_view::npos || serial_at < 9 || name[serial_at - 9] != '_') return std::nullopt;
    const auto serial = name.substr(serial_at + 1);
    const auto date = name.substr(serial_at - 8, 8);
    if (serial.size() > 16 || !all_in(serial, "0123456789abcdef") || !all_in(date, "0123456789")) return std::nullopt;
    const int n = std::stoi(std::string(date));
    const std::chrono::year_month_day ymd{std::chrono::year{n / 10000}, std::chrono::month(unsigned(n / 100 % 100)),
                                          std::chrono::day(unsigned(n % 100))};
    if (!ymd.ok()) return std::nullopt;
    return name_tail{std::chrono::sys_days{ymd}, n, serial};
}

}  // namespace

bool valid_cas_prefix(std::string_view prefix) {
    if (prefix.empty() || prefix.size() > cas_prefix_max) return false;
    for (char c : prefix)
        if (!name_char(c)) return false;
    return true;
}

std::string cas_upload_name(std::string_view prefix, std::string_view certificate_name,
                            std::chrono::sys_seconds not_after, std::string_view serial_hex) {
    std::string serial = hex_folded(serial_hex).substr(0, 16);
    for (auto& c : serial)
        if (!name_char(c)) c = '_';
    const std::string tail = "_" + yyyymmdd(not_after) + "_" + serial;
    std::string head(prefix.substr(0, cas_prefix_max));
    std::string name(certificate_name);
    for (auto& c : name)
        if (!name_char(c)) c = '_';
    const std::size_t room = cas_name_max - head.size() - 1 - tail.size();
    if (name.size() > room) name.resize(room);
    return head + "_" + name + tail;
}

bool is_our_upload(const ali::cas_certificate& c, std::string_view leaf_sha256, std::string_view upload_name) {
    const auto want = hex_folded(leaf_sha256);
    return (!want.empty() && hex_folded(c.sha2) == want) || (!upload_name.empty() && c.name == upload_name);
}

const ali::cas_certificate* find_our_upload(const std::vector<ali::cas_certificate>& uploads,
                                            std::string_view leaf_sha256, std::string_view upload_name) {
    const auto want = hex_folded(leaf_sha256);
    for (const auto& c : uploads)
        if (!want.empty() && hex_folded(c.sha2) == want) return &c;
    for (const auto& c : uploads)
        if (!upload_name.empty() && c.name == upload_name) return &c;
    return nullptr;
}

cas_listener_plan plan_cas_listener(const std::vector<std::string>& listener_certificate_ids,
                                    const std::vector<ali::cas_certificate>& uploads, std::string_view leaf_sha256,
                                    std::string_view upload_name, std::string_view region) {
    const auto current = listener_certificate_ids.empty() ? 0 : ali::cas_id_of(listener_certificate_ids.front(), region);
    for (const auto& c : uploads)
        if (current != 0 && c.id == current && is_our_upload(c, leaf_sha256, upload_name))
            return {cas_listener_step::already_deployed, c.id};
    const auto* ours = find_our_upload(uploads, leaf_sha256, upload_name);
    if (ours == nullptr) return {cas_listener_step::upload_and_point, 0};
    return {cas_listener_step::point_listener, ours->id};
}

bool is_cas_upload_of(std::string_view name, std::string_view prefix, std::string_view certificate_name) {
    const auto tail = parse_tail(name);
    return tail && name == cas_upload_name(prefix, certificate_name, tail->date, tail->serial);
}

std::vector<std::int64_t> cas_uploads_to_delete(const std::vector<ali::cas_certificate>& uploads,
                                                std::string_view prefix, std::string_view certificate_name,
                                                const ali::cas_certificate& current,
                                                const std::set<std::int64_t>& in_use, int keep_previous) {
    using age = std::pair<int, std::int64_t>;  // (yyyymmdd in the name, CertId): larger is newer
    const auto current_tail = parse_tail(current.name);
    const age now{current_tail ? current_tail->yyyymmdd : INT_MAX, current.id};
    std::vector<age> older;
    std::set<std::int64_t> seen;
    for (const auto& c : uploads) {
        if (!seen.insert(c.id).second || c.id == current.id || in_use.contains(c.id)) continue;
        if (!is_cas_upload_of(c.name, prefix, certificate_name) || is_our_upload(c, current.sha2, current.name))
            continue;
        const age a{parse_tail(c.name)->yyyymmdd, c.id};
        if (a < now) older.push_back(a);
    }
    std::sort(older.begin(), older.end(), std::greater<>{});
    std::vector<std::int64_t> out;
    for (std::size_t i = static_cast<std::size_t>(std::max(keep_previous, 0));
         i < older.size() && out.size() < max_deletions_per_deploy; ++i)
        out.push_back(older[i].second);
    return out;
}

}  // namespace certman::deploy
