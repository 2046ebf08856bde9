// `certman status`: a table of what storage holds, readable without the daemon, from whichever storage
// [storage] names (a directory, or the OSS bucket a cluster shares).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>
#include "certman/app/cert_state.hpp"
#include "certman/app/commands.hpp"
#include "certman/app/config_parser.hpp"
#include "certman/app/daemon.hpp"
#include "certman/app/logging.hpp"
#include "certman/app/metrics.hpp"
#include "certman/version.hpp"
#include "certman/app/state_owner.hpp"
#include "certman/app/storage_factory.hpp"
#include "certman/app/task_group.hpp"
#include "certman/core/duration.hpp"
#include "certman/core/errc.hpp"
#include "certman/policy/renewal.hpp"
#include "certman/core/rfc3339.hpp"
#include "certman/storage/bundle.hpp"
#include "certman/storage/keys.hpp"
#include "order_results.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
// The whole command gives up after this: a blackholed endpoint would otherwise cost every request's timeout
// times its retries (about a minute for OSS) before the operator sees a word.
constexpr std::chrono::seconds status_deadline{30};

struct row {
    std::string name, domains, expires = "-", next = "now (missing)", deployed = "-", error;
    bool bad = false;  // missing or expired: exit 4
};

struct status_report {
    std::vector<row> rows;
    std::vector<certificate_status> fields;  // the same, as /status's fields (--json)
    bool done = false;
    bool storage_failed = false;
    std::string storage_error;
    std::string write_error;  // a readable storage that refuses writes (disk full, read-only)
};

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

// One certificate's row from what storage holds (nullopt = absent). Pure apart from formatting.
row describe(const config& cfg, const certificate_config& c, const std::optional<std::string>& state_raw,
             const std::optional<std::string>& bundle_raw, std::chrono::sys_seconds now) {
    row r;
    r.name = c.name;
    r.domains = join(c.domains);
    cert_state state;
    if (state_raw)
        if (auto s = parse_cert_state(*state_raw)) state = std::move(*s);
    const double random01 = state.random01 < 0 ? 0.5 : state.random01;
    if (!bundle_raw) {
        r.bad = true;
    } else if (auto b = storage::bundle_from_json(*bundle_raw)) {
        r.expires = in_words(b->not_after - now);
        const auto info = stored_info_of(*b);
        auto d = policy::should_renew(&info, wanted_of(cfg, c), now, state.ari, random01);
        r.next = d.renew ? "now (" + std::string(policy::to_string(d.reason)) + ")" : format_rfc3339(d.renew_at);
        r.deployed.clear();
        for (const auto& dep : c.deploy)
            r.deployed += (r.deployed.empty() ? "" : ",") + dep + (state.deployed[dep] == b->serial ? "" : "(pending)");
        if (r.deployed.empty()) r.deployed = "-";
        r.bad = b->not_after <= now;
    } else {
        r.expires = "unreadable";
    }
    if (state.failures.consecutive_failures > 0) {
        r.error = std::to_string(state.failures.consecutive_failures) + " failures: " + state.failures.last_error;
        r.next = format_rfc3339(policy::next_attempt(state.failures, random01));
    }
    return r;
}

// One certificate as /status describes it, from what storage holds (--json without a daemon).
certificate_status fields_of(const config& cfg, const certificate_config& c, const std::optional<std::string>& state_raw,
                             const std::optional<std::string>& bundle_raw, std::chrono::sys_seconds now) {
    certificate_status s;
    s.name = c.name;
    s.domains = c.domains;
    cert_state state;
    if (state_raw)
        if (auto p = parse_cert_state(*state_raw)) state = std::move(*p);
    const double random01 = state.random01 < 0 ? 0.5 : state.random01;
    s.consecutive_failures = state.failures.consecutive_failures;
    s.last_error = state.failures.last_error;
    if (!bundle_raw) return s;
    auto b = storage::bundle_from_json(*bundle_raw);
    if (!b) {
        s.last_error = "the stored certificate is unreadable";
        return s;
    }
    s.serial = b->serial;
    s.not_before = b->not_before;
    s.not_after = b->not_after;
    const auto info = stored_info_of(*b);
    auto d = policy::should_renew(&info, wanted_of(cfg, c), now, state.ari, random01);
    s.next_renewal = d.renew ? now : d.renew_at;
    s.next_renewal_reason = policy::to_string(d.schedule);
    if (state.failures.consecutive_failures > 0) s.next_renewal = policy::next_attempt(state.failures, random01);
    for (const auto& dep : c.deploy) {
        auto& ds = s.deploys[dep];
        ds.deployed_serial = state.deployed[dep];
        ds.ok = ds.deployed_serial == b->serial;
    }
    return s;
}

// The value under key, nullopt when there is none, or the storage's failure (its message names the key).
asio::awaitable<result<std::optional<std::string>>> read(storage::storage& st, std::string key) {
    auto r = co_await st.load(std::move(key));
    if (r) co_return std::optional<std::string>(std::move(*r));
    if (r.error() == errc::not_found) co_return std::optional<std::string>();
    co_return r.error();
}

// Only the daemon's own user probes: anyone else (a monitoring user with read access) is refused writes by
// permissions, which says nothing about the disk.
bool owns_state_directory(const config& cfg) {
    struct stat st{};
    const auto* dir = cfg.storage.local_directory();
    return dir && ::stat(dir->path.c_str(), &st) == 0 && st.st_uid == ::geteuid();
}

// A directory that can be read may still refuse writes (a full disk): then the daemon can save neither new
// certificates nor its backoff. Probed with a small write beside the renewal states, removed at once. (Not for OSS:
// a status command should not pay for, or need permission for, writes to a shared bucket.)
asio::awaitable<void> probe_write(storage::storage& st, status_report& out) {
    const std::string key = std::string(storage::state_prefix) + "status-probe-" + std::to_string(::getpid()) + ".probe";
    if (auto w = co_await st.store(key, "certman status write probe\n"); !w) {
        out.write_error = w.error().message();
        co_return;
    }
    co_await st.remove(key);
}

// Reads every configured certificate; stops at the first storage error (a table of "missing" rows would
// hide that the storage itself is unreachable).
asio::awaitable<void> collect_status(const config& cfg, storage::storage& st, status_report& out) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    for (const auto& c : cfg.certificates) {
        auto state = co_await read(st, storage::state_key(c.name));
        if (!state) {
            out.storage_failed = true;
            out.storage_error = state.error().message();
            co_return;
        }
        auto bundle = co_await read(st, storage::certificate_key(c.name));
        if (!bundle) {
            out.storage_failed = true;
            out.storage_error = bundle.error().message();
            co_return;
        }
        out.rows.push_back(describe(cfg, c, *state, *bundle, now));
        out.fields.push_back(fields_of(cfg, c, *state, *bundle, now));
    }
    if (owns_state_directory(cfg)) co_await probe_write(st, out);
}

// collect_status, whose internal error (an exception) becomes the report's storage error; either way the
// deadline is called off.
asio::awaitable<void> collect_then_call_off(const config& cfg, storage::storage& st, status_report& out,
                                            asio::steady_timer& deadline) {
    try {
        co_await collect_status(cfg, st, out);
    } catch (const std::exception& x) {
        out.storage_failed = true;
        out.storage_error = std::string("internal error: ") + x.what();
    }
    out.done = true;
    deadline.cancel();
}

// What to check when storage cannot be read, by kind.
std::string storage_advice(const storage_config& s, const std::string& config_path) {
    if (!s.local_directory())
        return "check [storage] in " + config_path + ": bucket, region/endpoint (the default internal endpoint "
               "answers only from ECS in that region; elsewhere set endpoint = \"oss-<region>.aliyuncs.com\") and "
               "credentials (access_key_id + access_key_secret_file, else ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET, else "
               "the ECS instance's RAM role), which need oss:GetObject on the prefix";
    return "check [storage] path in " + config_path + ": it must be readable by this user (run status as the "
           "user the daemon runs as)";
}

int print_table(const status_report& report, const std::string& where) {
    std::printf("%-16s %-40s %-12s %-22s %-24s %s\n", "NAME", "DOMAINS", "EXPIRES IN", "NEXT RENEWAL", "DEPLOYED", "LAST ERROR");
    int rc = exit_ok;
    for (const auto& r : report.rows) {
        std::printf("%-16s %-40s %-12s %-22s %-24s %s\n", r.name.c_str(), r.domains.c_str(), r.expires.c_str(),
                    r.next.c_str(), r.deployed.c_str(), r.error.c_str());
        if (r.bad) rc = exit_failed;
    }
    if (!report.write_error.empty()) {
        std::printf("STORAGE ERROR: %s refuses writes (%s): certman can save neither new certificates nor its "
                    "renewal state\n", where.c_str(), report.write_error.c_str());
        rc = exit_failed;
    }
    return rc;
}

// `status --json` without a daemon: /status's document from storage (uptime 0, no live counters).
int print_json(const status_report& report) {
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    metrics_input in;
    in.version = certman::version;
    in.process_start = now;  // no daemon: uptime 0
    in.certificates = &report.fields;
    std::fputs(render_status_json(in, now).c_str(), stdout);
    int rc = report.write_error.empty() ? exit_ok : exit_failed;
    for (const auto& r : report.rows)
        if (r.bad) rc = exit_failed;
    return rc;
}
}  // namespace

int status_command(const std::string& config_path, bool json) {
    auto loaded = load_config_file(config_path);
    if (auto* e = std::get_if<config_error>(&loaded)) {
        std::fprintf(stderr, "%s\n", e->message.c_str());
        return exit_config;
    }
    const auto& cfg = std::get<config>(loaded);
    if (auto refusal = check_state_owner(cfg)) {
        std::fprintf(stderr, "certman: %s\n", refusal->c_str());
        return exit_usage;
    }
    setup_logging(cfg.log);   // on stderr: stdout carries only the table (storage retries log warnings)
    asio::io_context io(1);
    std::unique_ptr<storage::storage> st;
    try {
        st = open_storage(cfg.storage, io.get_executor());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", config_path.c_str(), e.what());
        return exit_config;
    }
    const std::string where = st->describe();
    status_report report;
    asio::steady_timer deadline(io, status_deadline);
    deadline.async_wait([&](boost::system::error_code ec) {
        if (ec || report.done) return;
        std::fprintf(stderr, "certman status: storage %s did not answer within %llds\ncertman status: %s\n",
                     where.c_str(), static_cast<long long>(status_deadline.count()),
                     storage_advice(cfg.storage, config_path).c_str());
        std::fflush(nullptr);
        // Requests are still in flight inside the storage's client; unwinding them is not worth the risk
        // in a one-shot command that has nothing left to save.
        std::_Exit(exit_startup);
    });
    task_group tasks(io.get_executor());  // destroyed before io
    tasks.spawn("status", collect_then_call_off(cfg, *st, report, deadline));
    io.run();
    if (report.storage_failed) {
        std::fprintf(stderr, "certman status: cannot read storage %s: %s\ncertman status: %s\n", where.c_str(),
                     report.storage_error.c_str(), storage_advice(cfg.storage, config_path).c_str());
        return exit_startup;
    }
    return json ? print_json(report) : print_table(report, where);
}
}  // namespace certman::app
