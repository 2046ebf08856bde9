// `certman status`: a table of what storage holds, readable without the daemon.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include "certman/app/cert_state.hpp"
#include "certman/app/commands.hpp"
#include "certman/app/config_parser.hpp"
#include "certman/app/daemon.hpp"
#include "certman/core/duration.hpp"
#include "certman/policy/renewal.hpp"
#include "certman/policy/rfc3339.hpp"
#include "certman/storage/bundle.hpp"
#include "certman/storage/dir_storage.hpp"
#include "certman/storage/keys.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
    return out;
}

std::string in_words(std::chrono::seconds d) {
    if (d.count() < 0) return "EXPIRED " + format_duration(-d) + " ago";
    auto days = d.count() / 86400;
    if (days >= 2) return std::to_string(days) + "d";
    return format_duration(std::chrono::seconds(d.count() / 60 * 60));
}

asio::awaitable<void> run_status(const config& cfg, storage::storage& st, int& rc) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    std::printf("%-16s %-40s %-12s %-22s %-24s %s\n", "NAME", "DOMAINS", "EXPIRES IN", "NEXT RENEWAL", "DEPLOYED", "LAST ERROR");
    rc = exit_ok;
    for (const auto& c : cfg.certificates) {
        std::string expires = "-", next = "now (missing)", deployed = "-", error;
        cert_state state;
        if (auto raw = co_await st.load(storage::state_key(c.name)))
            if (auto s = parse_cert_state(*raw)) state = std::move(*s);
        if (auto raw = co_await st.load(storage::certificate_key(c.name))) {
            if (auto b = storage::bundle_from_json(*raw)) {
                expires = in_words(b->not_after - now);
                policy::stored_info info{b->names, b->key_type, b->not_before, b->not_after, b->profile};
                policy::wanted want{c.domains, c.key_type, c.renew_before ? c.renew_before : cfg.renewal.renew_before, c.profile};
                auto d = policy::should_renew(&info, want, now, state.ari, state.random01 < 0 ? 0.5 : state.random01);
                next = d.renew ? "now (" + std::string(policy::to_string(d.reason)) + ")" : policy::format_rfc3339(d.renew_at);
                deployed.clear();
                for (const auto& dep : c.deploy)
                    deployed += (deployed.empty() ? "" : ",") + dep + (state.deployed[dep] == b->serial ? "" : "(pending)");
                if (deployed.empty()) deployed = "-";
                if (b->not_after <= now) rc = exit_failed;
            } else {
                expires = "unreadable";
            }
        } else {
            rc = exit_failed;
        }
        if (state.failures.consecutive_failures > 0) {
            error = std::to_string(state.failures.consecutive_failures) + " failures: " + state.failures.last_error;
            next = policy::format_rfc3339(policy::next_attempt(state.failures, state.random01 < 0 ? 0.5 : state.random01));
        }
        std::printf("%-16s %-40s %-12s %-22s %-24s %s\n", c.name.c_str(), join(c.domains).c_str(), expires.c_str(),
                    next.c_str(), deployed.c_str(), error.c_str());
    }
}
}  // namespace

int status_command(const std::string& config_path) {
    auto loaded = load_config_file(config_path);
    if (auto* e = std::get_if<config_error>(&loaded)) {
        std::fprintf(stderr, "%s\n", e->message.c_str());
        return exit_config;
    }
    const auto& cfg = std::get<config>(loaded);
    if (cfg.storage.kind != "dir") {
        std::fprintf(stderr, "status reads [storage] kind = \"dir\" only in this build\n");
        return exit_config;
    }
    auto st = storage::make_dir_storage(cfg.storage.path);
    asio::io_context io(1);
    int rc = exit_failed;
    asio::co_spawn(io, run_status(cfg, *st, rc), [](std::exception_ptr) {});
    io.run();
    return rc;
}
}  // namespace certman::app
