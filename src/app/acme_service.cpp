// The real acme_service (acme_service.hpp): acme::client with the account key kept in storage.
#include "certman/app/acme_service.hpp"
#include <spdlog/spdlog.h>
#include "certman/acme/directory.hpp"
#include "certman/app/account_key_pending.hpp"
#include "certman/app/async_semaphore.hpp"
#include "certman/crypto/key_type.hpp"
#include "certman/crypto/pem.hpp"
#include "certman/jose/thumbprint.hpp"
#include "certman/storage/account_key_store.hpp"
#include "certman/storage/keys.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {

acme::client_options client_options_of(const acme_config& a) {
    acme::client_options o;
    o.directory_url = a.directory;
    if (!a.email.empty()) o.emails = {a.email};
    o.agree_tos = a.agree_tos;
    o.eab_kid = a.eab_kid;
    o.eab_hmac_key = a.eab_hmac_key;
    o.request_timeout = a.request_timeout;
    return o;
}

class client_service final : public acme_service {
public:
    client_service(asio::any_io_executor ex, const config& cfg, std::string config_path, storage::storage& store,
                   std::function<net::http_client&()> http, blocking_pool& blocking, acme_stats& stats)
        : ex_(ex), cfg_(cfg), config_path_(std::move(config_path)), store_(store), http_(std::move(http)), blocking_(blocking),
          stats_(stats), account_setup_(ex, 1), directory_fetch_(ex, 1) {}

    asio::awaitable<result<void>> ensure_account() override {
        // Concurrent orders share one account: the first coroutine sets it up, the others wait for it.
        auto setting_up = co_await account_setup_.acquire();
        if (!setting_up) co_return errc::cancelled;
        if (acme_ && acme_directory_ == cfg_.acme.directory) co_return result<void>{};
        if (auto r = co_await resolve_pending_account_key(store_, http_(), client_options_of(cfg_.acme)); !r) {
            spdlog::error("{}; certman retries when the CA answers", r.error().message());
            co_return r.error();
        }
        auto key = co_await load_account_key();
        if (!key) co_return key.error();
        auto c = make_client(std::move(*key));
        if (auto r = co_await c->fetch_directory(); !r) {
            spdlog::error("{}", r.error().message());
            co_return r.error();
        }
        if (auto r = check_profiles(*c); !r) co_return r;
        if (auto r = co_await c->set_up_account(); !r) {
            spdlog::error("{}", r.error().message());
            co_return r.error();
        }
        acme_ = std::move(c);
        acme_directory_ = cfg_.acme.directory;
        co_return result<void>{};
    }

    std::string directory_url() const override { return acme_ ? acme_->directory_url() : std::string(); }

    // A CA that refuses the order may have been told of a new account key by `certman account rollover` or
    // `certman import --account` (RFC 8555 §7.3.5: the old key's signatures are refused from then on): when
    // storage holds another key, the account is set up again with it and the order tried once more.
    asio::awaitable<result<acme::issued_certificate>> order_certificate(acme::order_request request, acme::challenge_sink& sink,
                                                                acme::cancel_check cancel, std::optional<acme::problem>* ca_problem) override {
        auto client = acme_;  // kept alive across a reload
        if (!client) co_return errc::invalid_argument;
        auto r = co_await client->order_certificate(request, sink, cancel, ca_problem);
        if (r || r.error() != errc::acme_problem) co_return r;
        if (!co_await key_replaced_in_storage(*client)) co_return r;
        spdlog::warn("the ACME account key in storage is not the one certman signs with (`certman account rollover` "
                     "or `certman import --account` replaced it): setting the account up with the stored key");
        if (acme_ == client) acme_.reset();
        if (auto a = co_await ensure_account(); !a) co_return a.error();
        client = acme_;
        if (!client) co_return errc::invalid_argument;
        if (ca_problem) ca_problem->reset();
        co_return co_await client->order_certificate(std::move(request), sink, std::move(cancel), ca_problem);
    }

    asio::awaitable<std::optional<renewal_info_answer>> fetch_renewal_info(std::string cert_id) override {
        auto base = co_await renewal_info_url();
        if (!base) co_return std::nullopt;
        net::http_request req;
        req.url = *base + "/" + cert_id;
        req.timeout = cfg_.acme.request_timeout;
        auto url = req.url;
        auto res = co_await http_().send(std::move(req));
        co_return renewal_info_answer{std::move(url), std::move(res)};
    }

    acme::client* client() override { return acme_.get(); }
    void forget_account() override { acme_.reset(); }

private:
    asio::awaitable<result<crypto::private_key>> load_account_key();
    asio::awaitable<bool> key_replaced_in_storage(const acme::client& c);
    result<void> check_profiles(const acme::client& c) const;
    std::shared_ptr<acme::client> make_client(crypto::private_key key);
    asio::awaitable<std::optional<std::string>> renewal_info_url();

    asio::any_io_executor ex_;
    const config& cfg_;
    std::string config_path_;
    storage::storage& store_;
    std::function<net::http_client&()> http_;
    blocking_pool& blocking_;
    acme_stats& stats_;
    async_semaphore account_setup_;         // one coroutine sets the account up, the others wait for it
    std::shared_ptr<acme::client> acme_;    // shared: orders in flight keep theirs across a reload
    std::string acme_directory_;
    std::optional<acme::directory> directory_;  // for ARI; fetched without an account
    std::string directory_url_;
    async_semaphore directory_fetch_;           // one directory GET at a time (renewal_info_url)
    std::uint64_t directory_fetches_ = 0;       // directory GETs ended so far
};

// The account key in storage, or a new one stored (another instance may win that race: then theirs).
asio::awaitable<result<crypto::private_key>> client_service::load_account_key() {
    const auto& a = cfg_.acme;
    const std::string key_name = storage::account_key(a.directory);
    auto stored = co_await storage::load_account_key_pem(store_, a.directory);
    if (stored) {
        auto k = crypto::private_key_from_pem(*stored);
        if (!k) {
            spdlog::error("the ACME account key in storage ({}) cannot be read; fix or remove it", key_name);
            co_return errc::corrupt_data;
        }
        co_return std::move(*k);
    }
    if (stored.error() != errc::not_found) {
        spdlog::error("cannot read the ACME account key: {}", stored.error().message());
        co_return stored.error();
    }
    if (!a.agree_tos) {
        spdlog::error("no ACME account yet for {}: read the CA's terms of service and set agree_tos = true in [acme]",
                      a.directory);
        co_return errc::config_error;
    }
    auto type = crypto::parse_key_type(a.account_key_type);
    const auto kind = type ? *type : crypto::key_type::ec256;
    auto k = co_await call_blocking(blocking_, [kind] { return crypto::generate_key(kind); });
    if (!k) co_return k.error();
    auto pem = crypto::to_pem(*k);
    if (!pem) co_return pem.error();
    auto created = co_await store_.create(key_name, *pem);
    if (!created && created.error() == errc::already_exists) {  // another instance won the race: use theirs
        auto again = co_await store_.load(key_name);
        if (!again) co_return again.error();
        co_return crypto::private_key_from_pem(*again);
    }
    if (!created) {
        spdlog::error("cannot store the new ACME account key: {}", created.error().message());
        co_return created.error();
    }
    co_return std::move(*k);
}

// Whether storage holds a readable account key for the configured directory other than the one `c` signs with.
asio::awaitable<bool> client_service::key_replaced_in_storage(const acme::client& c) {
    auto stored = co_await storage::load_account_key_pem(store_, cfg_.acme.directory);
    if (!stored) co_return false;
    auto key = crypto::private_key_from_pem(*stored);
    co_return key && jose::jwk_thumbprint(*key) != c.thumbprint();
}

result<void> client_service::check_profiles(const acme::client& c) const {
    for (const auto& cert : cfg_.certificates)
        if (!cert.profile.empty() && !acme::offers_profile(c.dir(), cert.profile)) {
            std::string offered;
            for (const auto& [n, _] : c.dir().meta.profiles) offered += (offered.empty() ? "" : ", ") + n;
            spdlog::error("{}: [certificate \"{}\"] profile: the CA does not offer \"{}\" (offered: {})", config_path_,
                          cert.name, cert.profile, offered.empty() ? "none" : offered);
            return errc::config_error;
        }
    return {};
}

std::shared_ptr<acme::client> client_service::make_client(crypto::private_key key) {
    auto* stats = &stats_;
    return std::make_shared<acme::client>(ex_, http_(), std::move(key), client_options_of(cfg_.acme),
        [stats](std::string_view kind, unsigned status, double secs) {
            stats->requests[std::string(kind) + " " + std::to_string(status)]++;
            stats->request_seconds_sum += secs;
            stats->request_count++;
        });
}

// Every certificate's first pass asks at once (a start with hundreds of stored certificates): one GET of the
// directory serves them all. Those that waited on a fetch take its outcome, failed or not, instead of sending
// their own (Let's Encrypt limits the directory to 40 requests per second per IP address): a fetch that
// ended after a caller arrived answers that caller.
asio::awaitable<std::optional<std::string>> client_service::renewal_info_url() {
    const auto fetches_seen = directory_fetches_;
    const auto one_at_a_time = co_await directory_fetch_.acquire();
    if (!one_at_a_time) co_return std::nullopt;
    const bool cached = directory_ && directory_url_ == cfg_.acme.directory;
    if (!cached && directory_fetches_ == fetches_seen) {
        struct count_done { std::uint64_t& n; ~count_done() { ++n; } } done{directory_fetches_};
        net::http_request req;
        req.url = cfg_.acme.directory;
        req.timeout = cfg_.acme.request_timeout;
        auto res = co_await http_().send(std::move(req));
        if (!res || res->status != 200) co_return std::nullopt;  // the order path reports an unreachable CA
        auto dir = acme::parse_directory(res->body);
        if (!dir) co_return std::nullopt;
        directory_ = std::move(*dir);
        directory_url_ = cfg_.acme.directory;
    }
    if (!directory_ || directory_url_ != cfg_.acme.directory) co_return std::nullopt;
    co_return directory_->renewal_info;
}

}  // namespace

std::unique_ptr<acme_service> make_acme_service(asio::any_io_executor ex, const config& cfg, std::string config_path,
                                                storage::storage& store, std::function<net::http_client&()> http,
                                                blocking_pool& blocking, acme_stats& stats) {
    return std::make_unique<client_service>(std::move(ex), cfg, std::move(config_path), store, std::move(http), blocking,
                                            stats);
}

}  // namespace certman::app
