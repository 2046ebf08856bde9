#include "certman/app/renewal_manager.hpp"
#include <random>
#include <spdlog/spdlog.h>
#include "certman/app/storage_factory.hpp"
#include "certman/storage/live_export.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {
double draw01() {
    static std::mt19937_64 rng{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

// The live/ export of a local directory storage, on the blocking pool: the job owns copies of the root, the
// name and the bundle. `cfg` is the daemon's live configuration, which outlives every pass.
asio::awaitable<void> export_live(const config& cfg, blocking_pool& pool, std::string name,
                                  storage::certificate_bundle bundle) {
    const auto* dir = cfg.storage.local_directory();
    if (!dir) co_return;
    // Named, not a temporary inside co_await: GCC 12 destroys such a lambda's captures twice.
    auto publish = [root = dir->path, name, bundle = std::move(bundle)] { return storage::publish_live(root, name, bundle); };
    auto pub = co_await call_blocking(pool, std::move(publish));
    if (!pub) spdlog::warn("certificate {}: stored, but the live/ export failed: {}", name, pub.error().message());
}

// The adapters env.cfg describes; the ACME service is built by the manager on its storage.
renewal_adapters adapters_of(const renewal_environment& env) {
    renewal_adapters a;
    a.store = open_storage(env.cfg.storage, env.executor, &env.blocking);
    a.deployers = make_deployers(env.executor, env.cfg, &env.blocking);
    a.after_store = [&cfg = env.cfg, &pool = env.blocking](const std::string& name,
                                                           const storage::certificate_bundle& bundle) {
        return export_live(cfg, pool, name, bundle);
    };
    return a;
}
}  // namespace

renewal_manager::renewal_manager(renewal_environment env) : renewal_manager(env, adapters_of(env)) {
    // Built at start when there is work, so a bad trusted_ca is a startup error; else on first use (a
    // challenge-only instance then never loads the trust store).
    if (!env_.cfg.certificates.empty()) http();
}

renewal_manager::renewal_manager(renewal_environment env, renewal_adapters adapters)
    : env_(std::move(env)), storage_(std::move(adapters.store)), acme_(std::move(adapters.acme)),
      deployers_(std::move(adapters.deployers)), clock_(adapters.clock ? *adapters.clock : system_clock()),
      random01_(adapters.random01 ? std::move(adapters.random01) : std::function<double()>(draw01)),
      after_store_(std::move(adapters.after_store)),
      order_slots_(env_.executor, env_.cfg.renewal.max_concurrent_orders) {
    if (!acme_)
        acme_ = make_acme_service(env_.executor, env_.cfg, env_.config_path, *storage_,
                                  [this]() -> net::http_client& { return http(); }, env_.blocking, env_.acme);
    update_statuses();
}

renewal_manager::~renewal_manager() = default;

net::http_client& renewal_manager::http() {
    if (!http_) {
        net::http_client_options o;
        o.trusted_ca_file = env_.cfg.acme.trusted_ca;
        o.user_agent = "certman";
        http_ = net::make_http_client(env_.executor, o);
    }
    return *http_;
}

void renewal_manager::update_statuses() {
    std::vector<std::shared_ptr<certificate_status>> next;
    for (const auto& c : env_.cfg.certificates) {
        std::shared_ptr<certificate_status> s;
        for (auto& old : env_.statuses)
            if (old->name == c.name) s = old;
        if (!s) s = std::make_shared<certificate_status>();
        s->name = c.name;
        s->domains = c.domains;
        next.push_back(std::move(s));
    }
    for (const auto& old : env_.statuses)
        if (!env_.cfg.find_certificate(old->name))
            spdlog::info("certificate {}: removed from the configuration; no longer renewed (its files stay)", old->name);
    env_.statuses = std::move(next);
}

void renewal_manager::reconfigure(deployer_map deployers) {
    update_statuses();
    acme_->forget_account();  // set up again on next use: a new directory, or a key `certman account rollover`/`import` stored
    deployers_ = std::move(deployers);
    order_slots_.resize(env_.cfg.renewal.max_concurrent_orders);
    start();
    wake();
}

std::shared_ptr<certificate_status> renewal_manager::status_of(const certificate_config& cert) {
    for (auto& s : env_.statuses)
        if (s->name == cert.name) return s;
    auto s = std::make_shared<certificate_status>();
    s->name = cert.name;
    s->domains = cert.domains;
    // A pass that outlived its certificate's removal by a reload gets an entry of its own: listing it again
    // would bring a removed certificate back into /status and /metrics for good.
    if (env_.cfg.find_certificate(cert.name)) env_.statuses.push_back(s);
    return s;
}

asio::awaitable<certificate_result> renewal_manager::run_certificate(certificate_config cert, bool force,
                                                                     progress_callback progress) {
    if (!in_progress_.insert(cert.name).second) {
        certificate_result busy{cert.name, false, cert.name + ": an order is already running"};
        if (progress) progress(busy.line);
        co_return busy;
    }
    struct release { std::set<std::string>& s; std::string n; ~release() { s.erase(n); } } guard{in_progress_, cert.name};
    const auto status = status_of(cert);  // kept alive across a reload
    struct count_check { certificate_status& s; ~count_check() { ++s.checks; } } counted{*status};  // on every exit
    const pass_dependencies deps{env_.cfg, *storage_,   *acme_,       deployers_, clock_,      random01_,
                                 env_.blocking, env_.challenges, order_slots_, memory_, after_store_, std::move(progress)};
    co_return co_await run_certificate_pass(deps, std::move(cert), force, *status);
}

asio::awaitable<certificate_result> renewal_manager::run_renew_now(std::string name, bool force,
                                                                   progress_callback progress) {
    const auto* cert = env_.cfg.find_certificate(name);
    if (!cert) {
        certificate_result unknown{name, false, name + ": no such certificate in the configuration"};
        if (progress) progress(unknown.line);
        co_return unknown;
    }
    co_return co_await run_certificate(*cert, force, std::move(progress));
}

}  // namespace certman::app
