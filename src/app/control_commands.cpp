// The control socket's commands inside the daemon (contract in include/certman/app/control_commands.hpp).
#include "certman/app/control_commands.hpp"
#include <boost/asio/this_coro.hpp>
#include <boost/json/parse.hpp>
#include <algorithm>
#include <filesystem>
#include <functional>
#include <spdlog/spdlog.h>
#include "certman/app/daemon.hpp"
#include "certman/app/renewal_manager.hpp"
#include "certman/app/runtime.hpp"
#include "certman/app/systemd_notify.hpp"
#include "certman/storage/bundle.hpp"
#include "certman/storage/keys.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
// The daemon and the caller must mean the same configuration (two daemons with two configurations may run
// on one machine, each with its own socket).
std::optional<command_outcome> config_mismatch(const runtime& rt, const std::string& theirs) {
    if (theirs.empty()) return std::nullopt;
    std::error_code ec;
    if (std::filesystem::equivalent(theirs, rt.config_path(), ec)) return std::nullopt;
    command_outcome o{exit_usage, "the daemon on this socket runs with " + rt.config_path() + ", not " + theirs, {}};
    o.data = boost::json::object{{"config", rt.config_path()}};
    return o;
}

asio::awaitable<command_outcome> handle_renew(runtime& rt, const control::request& r, const progress_sink& progress) {
    std::vector<certificate_config> todo;
    for (const auto& n : r.names)
        if (!rt.cfg().find_certificate(n))
            co_return command_outcome{exit_usage, rt.config_path() + ": no [[certificate]] named \"" + n + "\"", {}};
    for (const auto& c : rt.cfg().certificates)
        if (r.names.empty() || std::find(r.names.begin(), r.names.end(), c.name) != r.names.end()) todo.push_back(c);
    // As in the renewal loop: a cancelled order ends through its failure path (attempt recorded, lease
    // released) rather than by an exception in the middle of it.
    co_await asio::this_coro::throw_if_cancelled(false);
    bool all = true;
    for (auto& cert : todo) {
        const auto cs = co_await asio::this_coro::cancellation_state;
        if (cs.cancelled() != asio::cancellation_type::none)
            co_return command_outcome{exit_failed, "certman is stopping; renew the rest after it has restarted", {}};
        renew_progress lines(progress);
        const auto res = co_await rt.manager()->run_renew_now(cert.name, r.force, std::ref(lines));
        lines.finish(res.ok, res.line);
        all = all && res.ok;
    }
    co_return command_outcome{all ? exit_ok : exit_failed, "", {}};
}

command_outcome reload_now(runtime& rt) {
    notify_systemd("RELOADING=1");  // as for SIGHUP (daemon.cpp)
    auto refusal = rt.reload();
    notify_systemd("READY=1");
    if (refusal) return {exit_config, "reload refused; the daemon keeps its running configuration: " + *refusal, {}};
    return {exit_ok, "configuration reloaded from " + rt.config_path() + " (" + std::to_string(rt.cfg().certificates.size()) +
                     " certificates)", {}};
}
}  // namespace

asio::awaitable<command_outcome> revoke_stored(runtime& rt, const std::string& name, const std::string& reason) {
    if (!rt.cfg().find_certificate(name))
        spdlog::warn("certificate {}: not in {}; revoking what storage holds under that name", name, rt.config_path());
    auto& store = rt.manager()->store();
    auto raw = co_await store.load(storage::certificate_key(name));
    if (!raw)
        co_return command_outcome{exit_failed, "no stored certificate named \"" + name + "\" (" +
            (raw.error() == errc::not_found ? std::string("never obtained") : raw.error().message()) + ")", {}};
    auto bundle = storage::bundle_from_json(*raw);
    if (!bundle) co_return command_outcome{exit_failed, "the stored certificate \"" + name + "\" is unreadable", {}};
    if (auto r = co_await rt.manager()->ensure_acme_account(); !r)
        co_return command_outcome{exit_failed, "cannot use the ACME account (see the log above): " + r.error().message(), {}};
    auto* client = rt.manager()->acme_client();
    if (auto r = co_await client->revoke(bundle->certificate_pem, control::revocation_reason_code(reason)); !r)
        co_return command_outcome{exit_failed, "revocation failed: " + r.error().message(), {}};
    spdlog::info("certificate {}: revoked serial {} (reason {})", name, bundle->serial, reason);
    co_return command_outcome{exit_ok, "revoked " + name + " (serial " + bundle->serial + ", reason " + reason + ")", {}};
}

asio::awaitable<command_outcome> handle_control_command(runtime& rt, const control::request& r, const progress_sink& progress) {
    if (auto m = config_mismatch(rt, r.config)) co_return *m;
    if (rt.stop_requested()) co_return command_outcome{exit_failed, "certman is stopping", {}};
    switch (r.cmd) {
    case control::command::status:
        co_return command_outcome{exit_ok, "", boost::json::parse(rt.status_json())};
    case control::command::reload:
        co_return reload_now(rt);
    case control::command::revoke:
        if (!rt.manager()) break;
        co_return co_await revoke_stored(rt, r.names.front(), r.reason);
    case control::command::renew:
        if (!rt.manager()) break;
        co_return co_await handle_renew(rt, r, progress);
    }
    co_return command_outcome{exit_startup, "the renewal manager is not running", {}};
}

}  // namespace certman::app
