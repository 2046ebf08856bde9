// `certman status` from a running daemon (control_status_table.hpp).
#include "control_status_table.hpp"
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include "certman/app/daemon.hpp"
#include "certman/core/rfc3339.hpp"

namespace certman::app {
namespace json = boost::json;

namespace {
std::optional<std::int64_t> number(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    if (!v || !v->is_int64()) return std::nullopt;
    return v->get_int64();
}

std::string text(const json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::string at(std::int64_t unix) { return format_rfc3339(std::chrono::sys_seconds(std::chrono::seconds(unix))); }
}  // namespace

int print_live_status(const json::value& status) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    std::printf("%-16s %-40s %-21s %-22s %-24s %s\n", "NAME", "DOMAINS", "NOT AFTER", "NEXT RENEWAL", "DEPLOYED", "LAST ERROR");
    int rc = exit_ok;
    std::string storage_errors;  // the daemon could not save (disk full, bucket denied): it cannot renew
    const auto* certs = status.is_object() ? status.as_object().if_contains("certificates") : nullptr;
    if (!certs || !certs->is_array()) return exit_failed;
    for (const auto& c : certs->as_array()) {
        if (!c.is_object()) continue;
        const auto& o = c.as_object();
        std::string domains, deployed;
        if (const auto* d = o.if_contains("domains"); d && d->is_array())
            for (const auto& n : d->as_array())
                if (n.is_string()) domains += (domains.empty() ? "" : ",") + std::string(n.get_string());
        if (const auto* d = o.if_contains("deploys"); d && d->is_object())
            for (const auto& [name, s] : d->as_object()) {
                const bool ok = s.is_object() && s.as_object().if_contains("ok") && s.as_object().at("ok") == true;
                deployed += (deployed.empty() ? "" : ",") + std::string(name) + (ok ? "" : "(pending)");
            }
        const auto not_after = number(o, "not_after");
        const auto next = number(o, "next_renewal");
        if (!not_after || *not_after <= now) rc = exit_failed;
        std::printf("%-16s %-40s %-21s %-22s %-24s %s\n", text(o, "name").c_str(), domains.c_str(),
                    not_after ? at(*not_after).c_str() : "-", next ? at(*next).c_str() : "-",
                    deployed.empty() ? "-" : deployed.c_str(), text(o, "last_error").c_str());
        if (const auto e = text(o, "storage_error"); !e.empty()) storage_errors += "STORAGE ERROR: " + text(o, "name") + ": " + e + "\n";
    }
    if (!storage_errors.empty()) {
        std::fputs(storage_errors.c_str(), stdout);
        rc = exit_failed;
    }
    return rc;
}

}  // namespace certman::app
