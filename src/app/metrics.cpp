#include "certman/app/metrics.hpp"
#include <boost/json.hpp>
#include <sstream>

namespace certman::app {
namespace {
std::string label(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        out += c;
    }
    return out;
}
long long ts(const std::optional<sys_seconds>& t) { return t ? t->time_since_epoch().count() : 0; }

void family(std::ostringstream& o, const char* name, const char* type, const char* help) {
    o << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
}

void render_http(std::ostringstream& o, const std::vector<listener_view>& ls) {
    family(o, "certman_http_requests_total", "counter", "HTTP requests answered, by listener, route and status code.");
    for (const auto& l : ls)
        for (std::size_t r = 0; r < net::http_stats::route_count; ++r)
            for (std::size_t s = 0; s <= net::http_stats::statuses.size(); ++s) {
                auto n = l.stats->requests[r][s];
                if (n == 0) continue;
                o << "certman_http_requests_total{listener=\"" << l.name << "\",route=\""
                  << net::to_string(static_cast<net::route_id>(r)) << "\",code=\""
                  << (s < net::http_stats::statuses.size() ? std::to_string(net::http_stats::statuses[s]) : "other")
                  << "\"} " << n << '\n';
            }
    family(o, "certman_http_connections_open", "gauge", "Open HTTP connections.");
    for (const auto& l : ls) o << "certman_http_connections_open{listener=\"" << l.name << "\"} " << l.stats->connections_open << '\n';
    family(o, "certman_http_connections_total", "counter", "HTTP connections by outcome.");
    for (const auto& l : ls) {
        o << "certman_http_connections_total{listener=\"" << l.name << "\",outcome=\"accepted\"} " << l.stats->connections_accepted << '\n';
        o << "certman_http_connections_total{listener=\"" << l.name << "\",outcome=\"timed_out\"} " << l.stats->connections_timed_out << '\n';
    }
    family(o, "certman_http_listener_paused_total", "counter",
           "Times the listener stopped accepting at max_connections (new connections waited in the listen queue).");
    for (const auto& l : ls)
        o << "certman_http_listener_paused_total{listener=\"" << l.name << "\"} " << l.stats->listener_paused << '\n';
}

void render_certs(std::ostringstream& o, const std::vector<certificate_status>& cs) {
    family(o, "certman_certificate_not_after_seconds", "gauge", "Expiry of the stored certificate (Unix time; 0 = none).");
    for (const auto& c : cs) o << "certman_certificate_not_after_seconds{name=\"" << label(c.name) << "\"} " << ts(c.not_after) << '\n';
    family(o, "certman_certificate_next_renewal_seconds", "gauge", "When certman plans the next renewal attempt (Unix time).");
    for (const auto& c : cs) o << "certman_certificate_next_renewal_seconds{name=\"" << label(c.name) << "\"} " << ts(c.next_renewal) << '\n';
    family(o, "certman_certificate_last_success_seconds", "gauge", "Last successful issuance (Unix time; 0 = never in this process).");
    for (const auto& c : cs) o << "certman_certificate_last_success_seconds{name=\"" << label(c.name) << "\"} " << ts(c.last_success) << '\n';
    family(o, "certman_certificate_consecutive_failures", "gauge", "Failed attempts since the last success.");
    for (const auto& c : cs) o << "certman_certificate_consecutive_failures{name=\"" << label(c.name) << "\"} " << c.consecutive_failures << '\n';
    family(o, "certman_storage_errors_total", "counter", "Storage reads and writes refused during this certificate's passes.");
    for (const auto& c : cs) o << "certman_storage_errors_total{name=\"" << label(c.name) << "\"} " << c.storage_errors << '\n';
    family(o, "certman_certificate_storage_ok", "gauge", "0 while the latest storage write for this certificate failed, else 1.");
    for (const auto& c : cs) o << "certman_certificate_storage_ok{name=\"" << label(c.name) << "\"} " << (c.storage_error.empty() ? 1 : 0) << '\n';
    family(o, "certman_certificate_checks_total", "counter", "Renewal passes that completed a decision for this certificate.");
    for (const auto& c : cs) o << "certman_certificate_checks_total{name=\"" << label(c.name) << "\"} " << c.checks << '\n';
    family(o, "certman_renewals_total", "counter", "Certificates obtained, by reason.");
    for (const auto& c : cs)
        for (const auto& [reason, n] : c.renewals_by_reason)
            o << "certman_renewals_total{name=\"" << label(c.name) << "\",reason=\"" << label(reason) << "\"} " << n << '\n';
    family(o, "certman_renewal_failures_total", "counter", "Failed renewal attempts, by reason.");
    for (const auto& c : cs)
        for (const auto& [reason, n] : c.failures_by_reason)
            o << "certman_renewal_failures_total{name=\"" << label(c.name) << "\",reason=\"" << label(reason) << "\"} " << n << '\n';
    family(o, "certman_deploy_total", "counter", "Deploy attempts, by certificate, deployer and result.");
    for (const auto& c : cs)
        for (const auto& [d, s] : c.deploys) {
            o << "certman_deploy_total{name=\"" << label(c.name) << "\",deployer=\"" << label(d) << "\",result=\"success\"} " << s.successes << '\n';
            o << "certman_deploy_total{name=\"" << label(c.name) << "\",deployer=\"" << label(d) << "\",result=\"failure\"} " << s.failures << '\n';
        }
    family(o, "certman_deploy_ok", "gauge", "1 when the last deploy of this certificate to this deployer succeeded.");
    for (const auto& c : cs)
        for (const auto& [d, s] : c.deploys)
            o << "certman_deploy_ok{name=\"" << label(c.name) << "\",deployer=\"" << label(d) << "\"} " << (s.ok ? 1 : 0) << '\n';
}

void render_acme(std::ostringstream& o, const acme_stats& a) {
    family(o, "certman_acme_requests_total", "counter", "Requests sent to the ACME server, by kind and HTTP status.");
    for (const auto& [k, n] : a.requests) {
        auto sp = k.find(' ');
        o << "certman_acme_requests_total{kind=\"" << label(k.substr(0, sp)) << "\",code=\""
          << label(sp == std::string::npos ? "" : k.substr(sp + 1)) << "\"} " << n << '\n';
    }
    family(o, "certman_acme_request_duration_seconds", "summary", "Time spent in ACME requests.");
    o << "certman_acme_request_duration_seconds_sum " << a.request_seconds_sum << '\n';
    o << "certman_acme_request_duration_seconds_count " << a.request_count << '\n';
    family(o, "certman_acme_bad_nonce_retries_total", "counter", "Requests retried after a badNonce error.");
    o << "certman_acme_bad_nonce_retries_total " << a.bad_nonce_retries << '\n';
}
}  // namespace

std::string render_metrics(const metrics_input& in) {
    std::ostringstream o;
    family(o, "certman_build_info", "gauge", "certman's version.");
    o << "certman_build_info{version=\"" << label(in.version) << "\"} 1\n";
    family(o, "certman_process_start_time_seconds", "gauge", "Start time of the process (Unix time).");
    o << "certman_process_start_time_seconds " << in.process_start.time_since_epoch().count() << '\n';
    family(o, "certman_challenges_published", "gauge", "HTTP-01 key authorizations currently served.");
    o << "certman_challenges_published " << in.challenges_published << '\n';
    render_http(o, in.listeners);
    if (in.certificates) render_certs(o, *in.certificates);
    if (in.acme) render_acme(o, *in.acme);
    return o.str();
}

std::string render_status_json(const metrics_input& in, sys_seconds now) {
    namespace json = boost::json;
    json::object root;
    root["version"] = in.version;
    root["uptime_seconds"] = (now - in.process_start).count();
    root["challenges_published"] = in.challenges_published;
    json::array certs;
    auto opt = [](const std::optional<sys_seconds>& t) -> json::value {
        if (!t) return nullptr;
        return t->time_since_epoch().count();
    };
    if (in.certificates)
        for (const auto& c : *in.certificates) {
            json::object o;
            o["name"] = c.name;
            json::array d;
            for (const auto& n : c.domains) d.emplace_back(n);
            o["domains"] = std::move(d);
            o["serial"] = c.serial;
            o["not_after"] = opt(c.not_after);
            o["next_renewal"] = opt(c.next_renewal);
            o["next_renewal_reason"] = c.next_renewal_reason;
            o["last_success"] = opt(c.last_success);
            o["consecutive_failures"] = c.consecutive_failures;
            o["checks"] = c.checks;
            o["last_error"] = c.last_error;
            o["storage_error"] = c.storage_error;
            o["storage_errors"] = c.storage_errors;
            json::object deps;
            for (const auto& [name, s] : c.deploys)
                deps[name] = json::object{{"ok", s.ok}, {"last_attempt", opt(s.last_attempt)},
                                          {"deployed_serial", s.deployed_serial}, {"last_error", s.last_error}};
            o["deploys"] = std::move(deps);
            certs.emplace_back(std::move(o));
        }
    root["certificates"] = std::move(certs);
    return json::serialize(root) + "\n";
}
}  // namespace certman::app
