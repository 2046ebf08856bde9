// The alicloud-slb deployer (contract in the header; decisions in slb_plan.cpp).
#include "certman/deploy/slb_deployer.hpp"

#include <spdlog/spdlog.h>

#include <set>
#include <stdexcept>

#include "certman/cloud/alibaba/credentials_provider.hpp"
#include "certman/cloud/alibaba/slb_client.hpp"
#include "certman/core/errc.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/crypto/pem.hpp"
#include "certman/deploy/slb_plan.hpp"
#include "certman/net/http_client.hpp"

namespace certman::deploy {
namespace ali = cloud::alibaba;
using boost::asio::awaitable;

namespace {

// What one pass uploads and compares, derived from the bundle.
struct prepared {
    leaf_fingerprints leaf;
    std::string upload_name;
    std::string fullchain;  // leaf + intermediates, no blank lines (the API refuses them)
    std::string pkcs1_key;  // secret
};

std::string without_blank_lines(std::string_view pem) {
    std::string out;
    while (!pem.empty()) {
        auto n = pem.find('\n');
        auto line = pem.substr(0, n == std::string_view::npos ? pem.size() : n);
        pem.remove_prefix(n == std::string_view::npos ? pem.size() : n + 1);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
        out.append(line).append("\n");
    }
    return out;
}

class slb_deployer final : public deployer {
public:
    slb_deployer(std::string name, const slb_deployer_options& cfg, std::shared_ptr<ali::slb_client> slb)
        : name_(std::move(name)), cfg_(cfg), slb_(std::move(slb)) {}

    const std::string& name() const override { return name_; }

    awaitable<result<deploy_outcome>> deploy(const std::string& certificate_name,
                                             const storage::certificate_bundle& bundle) override {
        auto r = co_await run(certificate_name, bundle);
        if (!r) spdlog::error("deployer {}: {}", name_, r.error().message());
        co_return r;
    }

private:
    // The failure "alicloud-slb <name>: <step>: <why>" with code e.
    failure fail(std::string_view step, const std::string& why, boost::system::error_code e) const {
        return {e, "alicloud-slb " + name_ + ": " + std::string(step) + ": " + why};
    }
    // The same for a failed SLB call: its message as the why; its code and Code kept.
    failure fail(std::string_view step, const failure& cause) const {
        return cause.with_message("alicloud-slb " + name_ + ": " + std::string(step) + ": " + cause.message());
    }

    result<prepared> prepare(const std::string& certificate_name, const storage::certificate_bundle& bundle) {
        auto facts = crypto::inspect_certificate(bundle.certificate_pem);
        if (!facts) return fail("read certificate", "the stored leaf certificate does not parse", facts.error().code());
        auto key = crypto::private_key_from_pem(bundle.private_key_pem);
        if (!key) return fail("read key", "the stored private key does not parse", key.error().code());
        if (!crypto::is_rsa(key->type()))
            return fail("check key", "SLB accepts RSA certificates only, this one has a " +
                                         std::string(crypto::to_string(key->type())) +
                                         " key; set key_type = \"rsa2048\" for certificate " + certificate_name,
                        errc::unsupported);
        auto pkcs1 = crypto::to_pkcs1_pem(*key);
        if (!pkcs1) return fail("convert key", "cannot encode the key as PKCS#1", pkcs1.error().code());
        return prepared{{facts->sha1_fingerprint, facts->sha256_fingerprint},
                        slb_certificate_name(certificate_name, facts->not_after, facts->serial_hex),
                        without_blank_lines(bundle.fullchain_pem()), std::move(*pkcs1)};
    }

    awaitable<result<std::string>> resolve_load_balancer() {
        auto lbs = co_await slb_->describe_load_balancers(cfg_.load_balancer_id, cfg_.load_balancer_name);
        if (!lbs) co_return fail("find load balancer", lbs.error());
        const auto& wanted = cfg_.load_balancer_id.empty() ? cfg_.load_balancer_name : cfg_.load_balancer_id;
        std::vector<ali::load_balancer> match;
        for (auto& lb : *lbs)
            if (lb.id == wanted || (cfg_.load_balancer_id.empty() && lb.name == wanted)) match.push_back(lb);
        if (match.empty())
            co_return fail("find load balancer", "no load balancer \"" + wanted + "\" in region " + cfg_.region,
                           errc::not_found);
        if (match.size() > 1)
            co_return fail("find load balancer", std::to_string(match.size()) + " load balancers are named \"" +
                                                     wanted + "\"; configure load_balancer_id instead",
                           errc::config_error);
        co_return match.front().id;
    }

    awaitable<result<std::string>> certificate_to_serve(const prepared& p, const std::string& certificate_name,
                                                        std::vector<ali::server_certificate>& certs, bool& uploaded) {
        if (const auto* c = find_reusable(certs, p.leaf, certificate_name)) co_return c->id;
        auto up = co_await slb_->upload_server_certificate(p.upload_name, p.fullchain, p.pkcs1_key);
        if (!up) co_return fail("upload certificate " + p.upload_name, up.error());
        if (!fingerprint_matches(up->fingerprint, p.leaf))
            co_return fail("upload certificate " + p.upload_name,
                           "SLB reports fingerprint " + up->fingerprint + ", which is not our leaf's",
                           errc::protocol_error);
        uploaded = true;
        spdlog::info("deployer {}: uploaded certificate {} as {}", name_, p.upload_name, up->id);
        certs.push_back(*up);
        co_return up->id;
    }

    awaitable<result<void>> point_listener(const std::string& lb, int port, const std::string& id) {
        const auto step = "update listener " + std::to_string(port);
        auto set = co_await slb_->set_https_listener_certificate(lb, port, id);
        if (!set) co_return fail(step, set.error());
        auto back = co_await slb_->describe_https_listener(lb, port);
        if (!back) co_return fail("verify listener " + std::to_string(port), back.error());
        if (back->server_certificate_id != id)
            co_return fail("verify listener " + std::to_string(port),
                           "still serves " + back->server_certificate_id + " after being set to " + id,
                           errc::protocol_error);
        co_return result<void>{};
    }

    // Best effort: a failure here is logged and retried on the next pass, the listeners are already right.
    awaitable<int> clean_up(const std::string& certificate_name, const std::vector<ali::server_certificate>& certs,
                            const std::string& current, const std::set<std::string>& in_use) {
        int deleted = 0;
        for (const auto& id : certificates_to_delete(certs, certificate_name, current, in_use, cfg_.keep_previous)) {
            auto del = co_await slb_->delete_server_certificate(id);
            if (del) {
                ++deleted;
                spdlog::info("deployer {}: deleted old certificate {}", name_, id);
            } else if (del.error().peer_code() != "CertificateAndPrivateKeyIsRefered") {
                spdlog::warn("deployer {}: cleanup: {}", name_, del.error().message());
                break;
            }
        }
        co_return deleted;
    }

    awaitable<result<deploy_outcome>> run(const std::string& certificate_name,
                                          const storage::certificate_bundle& bundle) {
        auto p = prepare(certificate_name, bundle);
        if (!p) co_return p.error();
        auto lb = co_await resolve_load_balancer();
        if (!lb) co_return lb.error();
        auto certs = co_await slb_->describe_server_certificates();
        if (!certs) co_return fail("list certificates", certs.error());

        std::vector<int> stale;
        std::string current;
        for (int port : cfg_.listener_ports) {
            auto l = co_await slb_->describe_https_listener(*lb, port);
            if (!l) co_return fail("read listener " + std::to_string(port), l.error());
            bool serves = false;
            for (const auto& c : *certs)
                if (c.id == l->server_certificate_id && fingerprint_matches(c.fingerprint, p->leaf)) serves = true;
            if (serves) current = l->server_certificate_id;
            else stale.push_back(port);
        }
        bool uploaded = false;
        if (!stale.empty()) {
            auto id = co_await certificate_to_serve(*p, certificate_name, *certs, uploaded);
            if (!id) co_return id.error();
            current = *id;
            for (int port : stale)
                if (auto r = co_await point_listener(*lb, port, current); !r) co_return r.error();
        }
        const std::set<std::string> in_use{current};  // every configured listener now serves `current`
        const int deleted = co_await clean_up(certificate_name, *certs, current, in_use);
        deploy_outcome out;
        out.changed = !stale.empty();
        out.detail = (stale.empty() ? "listeners already serve certificate " + current
                                    : std::to_string(stale.size()) + " listener(s) of " + *lb +
                                          " now serve certificate " + current + (uploaded ? " (uploaded)" : " (reused)")) +
                     (deleted ? ", deleted " + std::to_string(deleted) + " old certificate(s)" : "");
        spdlog::info("deployer {}: {}", name_, out.detail);
        co_return out;
    }

    std::string name_;
    slb_deployer_options cfg_;
    std::shared_ptr<ali::slb_client> slb_;
};

}  // namespace

std::unique_ptr<deployer> make_slb_deployer(boost::asio::any_io_executor executor, std::string name,
                                            const slb_deployer_options& config, slb_deployer_tuning options) {
    const auto bad = [&](const std::string& why) {
        return std::invalid_argument("[deployer \"" + name + "\"] alicloud-slb: " + why);
    };
    auto endpoint = ali::resolve_slb_endpoint(config.region, config.endpoint);
    if (!endpoint.error.empty()) throw bad(endpoint.error);
    if (config.load_balancer_id.empty() == config.load_balancer_name.empty())
        throw bad("expected exactly one of load_balancer_name or load_balancer_id");
    if (config.listener_ports.empty()) throw bad("expected at least one listener port");
    if (!options.http) options.http = net::make_http_client(executor, {});
    if (!options.credentials) options.credentials = ali::make_credentials_provider_for(executor, config);
    auto rpc = std::make_shared<ali::rpc_client>(
        executor, options.http, options.credentials,
        ali::rpc_client_options{endpoint.url, std::string(ali::slb_api_version), options.request_timeout, options.retry});
    return std::make_unique<slb_deployer>(std::move(name), config, std::make_shared<ali::slb_client>(std::move(rpc), config.region));
}

}  // namespace certman::deploy
