// ALB/NLB deploy decisions (contract in include/certman/deploy/cas_listener_plan.hpp).
#include "certman/deploy/cas_listener_plan.hpp"

#include <cstdio>

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

}  // namespace certman::deploy
