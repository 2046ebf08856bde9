#include "certman/app/renewal_manager.hpp"
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>
#include <spdlog/spdlog.h>
#include "certman/acme/identifier.hpp"
#include "certman/app/deployer_factory.hpp"
#include "certman/app/storage_factory.hpp"
#include "certman/crypto/key_type.hpp"
#include "certman/crypto/pem.hpp"
#include "certman/storage/keys.hpp"

namespace certman::app {
namespace asio = boost::asio;

renewal_manager::renewal_manager(runtime& rt)
    : rt_(rt), account_setup_(rt.executor, 1), order_slots_(rt.executor, rt.cfg.renewal.max_concurrent_orders) {
    storage_ = open_storage(rt.cfg.storage, rt.executor);
    // Built at start when there is work, so a bad trusted_ca is a startup error; else on first use (a
    // challenge-only instance then never loads the trust store).
    if (!rt.cfg.certificates.empty()) http();
    deployers_ = make_deployers(rt.executor, rt.cfg);
    update_statuses();
}

renewal_manager::~renewal_manager() = default;

net::http_client& renewal_manager::http() {
    if (!http_) {
        net::http_client_options o;
        o.trusted_ca_file = rt_.cfg.acme.trusted_ca;
        o.user_agent = "certman";
        http_ = net::make_http_client(rt_.executor, o);
    }
    return *http_;
}

void renewal_manager::update_statuses() {
    std::vector<std::shared_ptr<certificate_status>> next;
    for (const auto& c : rt_.cfg.certificates) {
        std::shared_ptr<certificate_status> s;
        for (auto& old : rt_.certificates)
            if (old->name == c.name) s = old;
        if (!s) s = std::make_shared<certificate_status>();
        s->name = c.name;
        s->domains = c.domains;
        next.push_back(std::move(s));
    }
    for (const auto& old : rt_.certificates)
        if (!rt_.cfg.find_certificate(old->name))
            spdlog::info("certificate {}: removed from the configuration; no longer renewed (its files stay)", old->name);
    rt_.certificates = std::move(next);
}

void renewal_manager::reconfigure(deployer_map deployers) {
    update_statuses();
    if (acme_directory_ != rt_.cfg.acme.directory) acme_.reset();
    deployers_ = std::move(deployers);
    order_slots_.resize(rt_.cfg.renewal.max_concurrent_orders);
    start();
    wake();
}

std::shared_ptr<certificate_status> renewal_manager::status_of(const certificate_config& cert) {
    for (auto& s : rt_.certificates)
        if (s->name == cert.name) return s;
    auto s = std::make_shared<certificate_status>();
    s->name = cert.name;
    s->domains = cert.domains;
    // A pass that outlived its certificate's removal by a reload gets an entry of its own: listing it again
    // would bring a removed certificate back into /status and /metrics for good.
    if (rt_.cfg.find_certificate(cert.name)) rt_.certificates.push_back(s);
    return s;
}

asio::awaitable<result<void>> renewal_manager::run_ensure_acme() {
    // Concurrent orders share one account: the first coroutine sets it up, the others wait for it.
    auto setting_up = co_await account_setup_.acquire();
    if (!setting_up) co_return errc::cancelled;
    if (acme_) co_return result<void>{};
    const auto& a = rt_.cfg.acme;
    const std::string key_name = storage::account_key(a.directory);
    std::optional<crypto::private_key> key;
    auto stored = co_await storage_->load(key_name);
    if (stored) {
        auto k = crypto::private_key_from_pem(*stored);
        if (!k) {
            spdlog::error("the ACME account key in storage ({}) cannot be read; fix or remove it", key_name);
            co_return errc::corrupt_data;
        }
        key = std::move(*k);
    } else if (stored.error() == errc::not_found) {
        if (!a.agree_tos) {
            spdlog::error("no ACME account yet for {}: read the CA's terms of service and set agree_tos = true in [acme]",
                          a.directory);
            co_return errc::config_error;
        }
        auto type = crypto::parse_key_type(a.account_key_type);
        const auto kind = type ? *type : crypto::key_type::ec256;
        auto k = co_await run_blocking(rt_.blocking, [kind] { return crypto::generate_key(kind); });
        if (!k) co_return k.error();
        auto pem = crypto::to_pem(*k);
        if (!pem) co_return pem.error();
        auto created = co_await storage_->create(key_name, *pem);
        if (!created && created.error() == errc::already_exists) {  // another instance won the race: use theirs
            auto again = co_await storage_->load(key_name);
            if (!again) co_return again.error();
            auto k2 = crypto::private_key_from_pem(*again);
            if (!k2) co_return k2.error();
            key = std::move(*k2);
        } else if (!created) {
            spdlog::error("cannot store the new ACME account key: {}", storage_->last_error());
            co_return created.error();
        } else {
            key = std::move(*k);
        }
    } else {
        spdlog::error("cannot read the ACME account key: {}", storage_->last_error());
        co_return stored.error();
    }
    acme::client_options o;
    o.directory_url = a.directory;
    if (!a.email.empty()) o.emails = {a.email};
    o.agree_tos = a.agree_tos;
    o.eab_kid = a.eab_kid;
    o.eab_hmac_key = a.eab_hmac_key;
    o.request_timeout = a.request_timeout;
    auto* stats = &rt_.acme;
    auto c = std::make_shared<acme::client>(rt_.executor, http(), std::move(*key), o,
        [stats](std::string_view kind, unsigned status, double secs) {
            stats->requests[std::string(kind) + " " + std::to_string(status)]++;
            stats->request_seconds_sum += secs;
            stats->request_count++;
        });
    if (auto r = co_await c->run_directory(); !r) {
        spdlog::error("{}", c->last_failure().description);
        co_return r.error();
    }
    for (const auto& cert : rt_.cfg.certificates)
        if (!cert.profile.empty() && !acme::offers_profile(c->dir(), cert.profile)) {
            std::string offered;
            for (const auto& [n, _] : c->dir().meta.profiles) offered += (offered.empty() ? "" : ", ") + n;
            spdlog::error("{}: [certificate \"{}\"] profile: the CA does not offer \"{}\" (offered: {})", rt_.config_path,
                          cert.name, cert.profile, offered.empty() ? "none" : offered);
            co_return errc::config_error;
        }
    if (auto r = co_await c->run_account(); !r) {
        spdlog::error("{}", c->last_failure().description);
        co_return r.error();
    }
    acme_ = std::move(c);
    acme_directory_ = a.directory;
    co_return result<void>{};
}

}  // namespace certman::app
