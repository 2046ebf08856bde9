// Pure decisions of the SLB deployer (contract in the header).
#include "certman/deploy/slb_plan.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "certman/crypto/hex.hpp"

namespace certman::deploy {
using cloud::alibaba::server_certificate;

namespace {

constexpr std::size_t max_name = 80;
constexpr std::string_view prefix = "certman-";
// "-yyyymmdd-" + 8 hex digits
constexpr std::size_t suffix_size = 1 + 8 + 1 + 8;

std::string name_part(std::string_view certificate_name) {
    std::string out;
    for (char ch : certificate_name) {
        const auto c = static_cast<unsigned char>(ch);
        out += (std::isalnum(c) && c < 0x80) || ch == '.' || ch == '_' || ch == '-' ? ch : '-';
    }
    out.resize(std::min(out.size(), max_name - prefix.size() - suffix_size));
    return out;
}

bool all_of(std::string_view s, int (*pred)(int)) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [pred](char c) { return pred(static_cast<unsigned char>(c)); });
}

}  // namespace

bool fingerprint_matches(std::string_view slb_fingerprint, const leaf_fingerprints& leaf) {
    const auto fp = crypto::normalize_fingerprint(slb_fingerprint);
    if (fp.size() == 40) return fp == leaf.sha1;
    if (fp.size() == 64) return fp == leaf.sha256;
    return false;
}

std::string slb_certificate_name(std::string_view certificate_name, std::chrono::sys_seconds not_after,
                                 std::string_view serial_hex) {
    const std::chrono::year_month_day ymd{std::chrono::floor<std::chrono::days>(not_after)};
    char date[16];
    std::snprintf(date, sizeof date, "%04d%02u%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    std::string serial(serial_hex.substr(0, 8));
    if (serial.empty()) serial = "0";
    return std::string(prefix) + name_part(certificate_name) + "-" + date + "-" + serial;
}

bool is_upload_of(std::string_view uploaded, std::string_view certificate_name) {
    const std::string head = std::string(prefix) + name_part(certificate_name) + "-";
    if (!uploaded.starts_with(head)) return false;
    auto rest = uploaded.substr(head.size());
    if (rest.size() < 10 || rest[8] != '-') return false;
    return all_of(rest.substr(0, 8), [](int c) { return std::isdigit(c); }) &&
           all_of(rest.substr(9), [](int c) { return std::isxdigit(c); });
}

const server_certificate* find_reusable(const std::vector<server_certificate>& all, const leaf_fingerprints& leaf,
                                        std::string_view certificate_name) {
    const server_certificate* found = nullptr;
    for (const auto& c : all) {
        if (!fingerprint_matches(c.fingerprint, leaf)) continue;
        if (is_upload_of(c.name, certificate_name)) return &c;
        if (!found) found = &c;
    }
    return found;
}

std::vector<std::string> certificates_to_delete(const std::vector<server_certificate>& all,
                                                std::string_view certificate_name, std::string_view current,
                                                const std::set<std::string>& in_use, int keep_previous) {
    std::vector<const server_certificate*> ours;
    for (const auto& c : all)
        if (c.id != current && !in_use.contains(c.id) && is_upload_of(c.name, certificate_name)) ours.push_back(&c);
    std::sort(ours.begin(), ours.end(), [](const auto* a, const auto* b) {
        return a->create_ms != b->create_ms ? a->create_ms > b->create_ms : a->name > b->name;
    });
    std::vector<std::string> out;
    for (std::size_t i = static_cast<std::size_t>(std::max(keep_previous, 0));
         i < ours.size() && out.size() < max_deletions_per_deploy; ++i)
        out.push_back(ours[i]->id);
    return out;
}

}  // namespace certman::deploy
