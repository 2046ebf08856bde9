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

// The loop's sleep. `pending` remembers a wake() that arrived while a pass was running (the timer was not
// waiting then, so cancelling it alone would lose the wake-up until the next check interval).
class wake_timer {
public:
    explicit wake_timer(asio::any_io_executor ex) : timer(ex) {}
    asio::steady_timer timer;
    bool pending = false;
};

renewal_manager::renewal_manager(runtime& rt) : rt_(rt), wake_(std::make_unique<wake_timer>(rt.executor)) {
    storage_ = open_storage(rt.cfg.storage, rt.executor);
    // Built at start when there is work, so a bad trusted_ca is a startup error; else on first use (a
    // challenge-only instance then never loads the trust store).
    if (!rt.cfg.certificates.empty()) http();
    build_deployers();
    reconfigure();
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

void renewal_manager::build_deployers() {
    deployers_.clear();
    for (const auto& d : rt_.cfg.deployers) deployers_[d.name] = make_deployer(rt_.executor, d);
}

void renewal_manager::reconfigure() {
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
    if (acme_directory_ != rt_.cfg.acme.directory) acme_.reset();
    build_deployers();
}

void renewal_manager::wake() {
    wake_->pending = true;
    wake_->timer.cancel();
}

std::shared_ptr<certificate_status> renewal_manager::status_of(const certificate_config& cert) {
    for (auto& s : rt_.certificates)
        if (s->name == cert.name) return s;
    auto s = std::make_shared<certificate_status>();
    s->name = cert.name;
    s->domains = cert.domains;
    rt_.certificates.push_back(s);
    return s;
}

asio::awaitable<result<void>> renewal_manager::run_ensure_acme() {
    // Concurrent orders share one account: the first coroutine sets it up, the others wait for it.
    while (acme_initializing_) {
        asio::steady_timer t(rt_.executor, std::chrono::milliseconds(20));
        co_await t.async_wait(asio::use_awaitable);
    }
    if (acme_) co_return result<void>{};
    acme_initializing_ = true;
    struct reset { bool& b; ~reset() { b = false; } } guard{acme_initializing_};
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
        auto k = crypto::generate_key(type ? *type : crypto::key_type::ec256);
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

asio::awaitable<std::vector<certificate_result>> renewal_manager::run_pass(bool force, const std::vector<std::string>& names) {
    std::vector<certificate_config> todo;
    for (const auto& c : rt_.cfg.certificates)
        if (names.empty() || std::find(names.begin(), names.end(), c.name) != names.end()) todo.push_back(c);
    std::vector<certificate_result> results(todo.size());
    std::size_t next = 0;
    int workers = std::min<int>(rt_.cfg.renewal.max_concurrent_orders, static_cast<int>(todo.size()));
    int running = workers;
    asio::steady_timer done(rt_.executor, asio::steady_timer::time_point::max());
    for (int w = 0; w < workers; ++w) {
        asio::co_spawn(rt_.executor, [&]() -> asio::awaitable<void> {
            while (next < todo.size()) {
                std::size_t i = next++;
                results[i] = co_await run_certificate(todo[i], force);
            }
        }, [&](std::exception_ptr e) {
            if (e) {
                try { std::rethrow_exception(e); } catch (const std::exception& x) { spdlog::error("renewal worker failed: {}", x.what()); }
            }
            if (--running == 0) done.cancel();
        });
    }
    while (running > 0) {
        boost::system::error_code ec;
        co_await done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    co_return results;
}

asio::awaitable<void> renewal_manager::run_renewal_loop() {
    ++rt_.background_tasks;
    std::mt19937_64 rng{std::random_device{}()};
    while (!rt_.stopping) {
        wake_->pending = false;
        co_await run_pass(false, {});
        if (rt_.stopping) break;
        if (wake_->pending) continue;  // reloaded during the pass: look at the new configuration now
        // Jitter ±10% so a fleet started together does not tick together (Let's Encrypt asks for spread).
        auto base = rt_.cfg.renewal.check_interval;
        auto earliest = base;
        const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
        auto consider = [&](std::chrono::sys_seconds at) {
            auto until = at - now;
            if (until.count() > 0 && until < earliest) earliest = until + std::chrono::seconds(1);
        };
        for (const auto& s : rt_.certificates)
            if (s->next_renewal) consider(*s->next_renewal);
        for (const auto& [name, poll] : ari_polls_)  // RFC 9773 §4.3: poll at Retry-After even with a long interval
            if (rt_.cfg.find_certificate(name)) consider(poll);
        std::uniform_real_distribution<double> jitter(0.9, 1.1);
        auto wait = std::chrono::milliseconds(static_cast<long long>(earliest.count() * 1000 * (earliest == base ? jitter(rng) : 1.0)));
        wake_->timer.expires_after(wait);
        boost::system::error_code ec;
        co_await wake_->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    --rt_.background_tasks;
}
}  // namespace certman::app
