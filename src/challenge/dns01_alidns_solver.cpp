// DNS-01 on Alibaba Cloud DNS (contract in include/certman/challenge/dns01_alidns_solver.hpp).
#include "certman/challenge/dns01_alidns_solver.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <stdexcept>

#include "certman/acme/dns01.hpp"
#include "certman/cloud/alibaba/alidns_client.hpp"
#include "certman/cloud/alibaba/credentials_provider.hpp"
#include "certman/cloud/alibaba/rpc_client.hpp"
#include "certman/core/errc.hpp"
#include "certman/net/dns_txt_lookup.hpp"
#include "certman/net/http_client.hpp"

namespace certman::challenge {
namespace {
namespace ali = cloud::alibaba;
using boost::asio::awaitable;
using steady = std::chrono::steady_clock;

const std::vector<std::string> default_resolvers{"223.5.5.5:53", "223.6.6.6:53"};

// The failure of present() for `name`: the hint folded into the message (the ACME driver and the renewal state
// keep the message only), logged once here.
failure present_failure(const failure& f, const std::string& identifier) {
    auto out = f.context("dns-01 for " + identifier);
    out = out.with_message(out.what()).with_hint({});
    spdlog::error("{}", out.message());
    return out;
}

struct added_record {
    std::string zone;
    std::string record_id;
};

class dns01_alidns_solver final : public acme::challenge_solver {
public:
    dns01_alidns_solver(boost::asio::any_io_executor executor, dns01_alidns_options options,
                        std::vector<net::endpoint> resolvers, std::shared_ptr<ali::alidns_client> client,
                        std::chrono::milliseconds query_timeout)
        : executor_(std::move(executor)), options_(std::move(options)), resolvers_(std::move(resolvers)),
          client_(std::move(client)), query_timeout_(query_timeout) {}

    std::string_view type() const override { return "dns-01"; }

    awaitable<result<void>> present(const acme::challenge_params& c) override {
        const auto name = acme::dns01_record_name(c.identifier.value);
        auto value = acme::dns01_txt_value(c.key_authorization);
        if (!value) co_return value.error();
        const auto key = name + " " + *value;
        if (added_.contains(key)) co_return result<void>{};
        auto zone = co_await zone_for(name);
        if (!zone) co_return present_failure(zone.error(), c.identifier.value);
        auto rr = ali::relative_rr(name, *zone);
        if (!rr) co_return present_failure(rr.error(), c.identifier.value);
        auto id = co_await client_->add_txt(*zone, *rr, *value, options_.ttl);
        if (!id) co_return present_failure(id.error(), c.identifier.value);
        spdlog::info("dns-01: added TXT {} (record {} in zone {})", name, *id, *zone);
        added_[key] = {*zone, *id};
        co_return result<void>{};
    }

    awaitable<result<void>> wait_ready(const acme::challenge_params& c) override {
        const auto name = acme::dns01_record_name(c.identifier.value);
        auto value = acme::dns01_txt_value(c.key_authorization);
        if (!value) co_return value.error();
        const auto deadline = steady::now() + options_.propagation_timeout;
        for (;;) {
            auto missing = co_await resolvers_missing(name, *value);
            if (missing.empty()) co_return result<void>{};
            if (steady::now() + options_.poll_interval > deadline)
                co_return failure{errc::timeout,
                                  "dns-01: TXT " + name + " not visible after " +
                                      std::to_string(options_.propagation_timeout.count()) + " s at " + missing,
                                  "raise propagation_timeout in [challenge], or check resolvers"};
            boost::asio::steady_timer timer(executor_, options_.poll_interval);
            co_await timer.async_wait(boost::asio::use_awaitable);
        }
    }

    awaitable<void> cleanup(const acme::challenge_params& c) override {
        const auto name = acme::dns01_record_name(c.identifier.value);
        auto value = acme::dns01_txt_value(c.key_authorization);
        if (!value) co_return;
        const auto it = added_.find(name + " " + *value);
        if (it == added_.end()) co_return;
        const auto rec = it->second;
        added_.erase(it);
        auto r = co_await client_->delete_record(rec.record_id, rec.zone);
        if (!r) spdlog::warn("dns-01: cannot delete TXT {} (record {}): {}", name, rec.record_id, r.error().what());
        else spdlog::info("dns-01: deleted TXT {} (record {})", name, rec.record_id);
    }

private:
    awaitable<result<std::string>> zone_for(const std::string& name) {
        if (!options_.zone.empty()) co_return options_.zone;
        if (auto it = zones_.find(name); it != zones_.end()) co_return it->second;
        auto zone = co_await client_->find_zone(name);
        if (zone) zones_[name] = *zone;
        co_return zone;
    }

    // "" when every resolver answers the value, else "a:53 (why), b:53 (why)".
    awaitable<std::string> resolvers_missing(const std::string& name, const std::string& value) {
        std::string missing;
        for (const auto& ep : resolvers_) {
            auto r = co_await net::lookup_txt(ep, name, query_timeout_);
            std::string why;
            if (!r) why = r.error().message();
            else if (r->truncated) why = "truncated answer, over TCP too";
            else if (std::find(r->values.begin(), r->values.end(), value) == r->values.end())
                why = r->rcode == 3 ? "NXDOMAIN" : std::to_string(r->values.size()) + " other TXT value(s)";
            if (!why.empty()) missing += (missing.empty() ? "" : ", ") + ep.to_string() + " (" + why + ")";
        }
        co_return missing;
    }

    boost::asio::any_io_executor executor_;
    dns01_alidns_options options_;
    std::vector<net::endpoint> resolvers_;
    std::shared_ptr<ali::alidns_client> client_;
    std::chrono::milliseconds query_timeout_;
    std::map<std::string, added_record> added_;  // "<name> <value>" → what present() added
    std::map<std::string, std::string> zones_;   // discovered zone per record name
};

std::vector<net::endpoint> parse_resolvers(const std::vector<std::string>& configured) {
    std::vector<net::endpoint> out;
    for (const auto& text : configured.empty() ? default_resolvers : configured)
        if (auto ep = net::parse_endpoint(text)) out.push_back(*ep);
    return out;
}

}  // namespace

std::string check_dns01_alidns_options(const dns01_alidns_options& o) {
    if (auto e = ali::resolve_alidns_endpoint(o.endpoint); !e.error.empty()) return e.error;
    if (o.ttl < 1 || o.ttl > 86400) return "ttl " + std::to_string(o.ttl) + " is outside [1, 86400] (Alidns)";
    if (o.propagation_timeout.count() <= 0) return "propagation_timeout must be positive";
    if (o.poll_interval.count() <= 0) return "poll_interval must be positive";
    for (const auto& r : o.resolvers)
        if (!net::parse_endpoint(r)) return "resolver \"" + r + "\" is not \"IP:port\" (e.g. \"223.5.5.5:53\")";
    return {};
}

std::unique_ptr<acme::challenge_solver> make_dns01_alidns_solver(boost::asio::any_io_executor executor,
                                                                 const dns01_alidns_options& options,
                                                                 dns01_alidns_tuning tuning) {
    if (auto bad = check_dns01_alidns_options(options); !bad.empty())
        throw std::invalid_argument("[challenge] alidns: " + bad);
    if (!tuning.http) {
        net::http_client_options h;
        h.max_body_bytes = 1024 * 1024;  // a page of 100 domains or records is a few tens of KiB
        tuning.http = net::make_http_client(executor, h);
    }
    if (!tuning.credentials) tuning.credentials = ali::make_credentials_provider_for(executor, options);
    ali::rpc_client_options r{ali::resolve_alidns_endpoint(options.endpoint).url, std::string(ali::alidns_api_version),
                              tuning.request_timeout, tuning.retry, ali::signature_style::v3_acs3_hmac_sha256};
    auto rpc = std::make_shared<ali::rpc_client>(executor, tuning.http, tuning.credentials, std::move(r));
    return std::make_unique<dns01_alidns_solver>(executor, options, parse_resolvers(options.resolvers),
                                                 std::make_shared<ali::alidns_client>(std::move(rpc)),
                                                 tuning.dns_query_timeout);
}

}  // namespace certman::challenge
