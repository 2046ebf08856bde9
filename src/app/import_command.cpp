// `certman import`: an existing certificate (certbot live/NAME/ or PEM files) and, when asked, certbot's ACME
// account into storage. Everything is checked before anything is written (import_check.hpp; the account with
// the CA itself), so a refused import changes nothing. The daemon then treats the certificate like one it
// ordered: renewed on the normal policy, deployed at its next check.
#include <cstdio>
#include <spdlog/spdlog.h>
#include "certman/app/commands.hpp"
#include "certman/app/import_certbot.hpp"
#include "certman/app/import_check.hpp"
#include "certman/core/rfc3339.hpp"
#include "certman/crypto/pem.hpp"
#include "certman/jose/thumbprint.hpp"
#include "certman/storage/account_key_store.hpp"
#include "certman/storage/bundle.hpp"
#include "certman/storage/keys.hpp"
#include "certman/storage/lease.hpp"
#include "certman/storage/lease_owner.hpp"
#include "certman/storage/live_export.hpp"
#include "offline_command.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {

result<import_files> read_files(const import_options& o) {
    if (!o.certbot_live.empty()) return read_certbot_live(o.certbot_live);
    import_files f;
    auto cert = read_import_file(o.cert);
    if (!cert) return cert.error();
    auto key = read_import_file(o.key);
    if (!key) return key.error();
    f.certificate_pem = std::move(*cert);
    f.private_key_pem = std::move(*key);
    if (!o.chain.empty()) {
        auto chain = read_import_file(o.chain);
        if (!chain) return chain.error();
        f.chain_pem = std::move(*chain);
    }
    return f;
}

// The certificate, checked; nullopt (message printed) when refused.
std::optional<import_checked> check_certificate(runtime& rt, const import_options& o) {
    const auto* cert = rt.cfg().find_certificate(o.name);
    if (!cert) {
        std::fprintf(stderr, "%s: no [[certificate]] named \"%s\": add it (with its domains) first\n", rt.config_path().c_str(),
                     o.name.c_str());
        return std::nullopt;
    }
    auto files = read_files(o);
    std::string trusted;
    if (files && !rt.cfg().acme.trusted_ca.empty()) {
        auto t = read_import_file(rt.cfg().acme.trusted_ca);
        if (!t) files = t.error();
        else trusted = std::move(*t);
    }
    if (!files) {
        std::fprintf(stderr, "import refused: %s\n", files.error().message().c_str());
        return std::nullopt;
    }
    auto checked = check_import(*files, *cert, trusted, std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
    if (!checked.bundle) {
        std::fprintf(stderr, "import refused: %s\n", checked.error.c_str());
        return std::nullopt;
    }
    return checked;
}

// certbot's account, checked against the CA: the key must find the account regr.json names.
asio::awaitable<std::optional<certbot_account>> check_account(runtime& rt, const import_options& o) {
    auto acct = read_certbot_account(o.account, rt.cfg().acme.directory);
    if (!acct) {
        std::fprintf(stderr, "account import refused: %s\n", acct.error().message().c_str());
        co_return std::nullopt;
    }
    acme::client_options opts;
    opts.directory_url = rt.cfg().acme.directory;
    opts.request_timeout = rt.cfg().acme.request_timeout;
    acme::client probe(rt.executor(), rt.manager()->http_client(), acct->key, opts);  // agree_tos off: never creates
    auto r = co_await probe.fetch_directory();
    if (r) {
        auto a = co_await probe.set_up_account();
        r = a;
    }
    if (!r) {
        std::fprintf(stderr, "account import refused: the CA at %s does not confirm this account: %s\n",
                     rt.cfg().acme.directory.c_str(), r.error().message().c_str());
        co_return std::nullopt;
    }
    if (probe.account_url() != acct->account_url) {
        std::fprintf(stderr, "account import refused: regr.json names %s but the CA knows this key as %s; is the "
                     "account directory from this CA?\n", acct->account_url.c_str(), probe.account_url().c_str());
        co_return std::nullopt;
    }
    co_return std::move(*acct);
}

asio::awaitable<bool> store_account(runtime& rt, const import_options& o, const certbot_account& acct) {
    auto& st = rt.manager()->store();
    const auto& dir = rt.cfg().acme.directory;
    auto existing = co_await storage::load_account_key_pem(st, dir);
    if (existing) {
        auto k = crypto::private_key_from_pem(*existing);
        if (k && *k == acct.key) {
            std::printf("account %s: already in storage\n", acct.account_url.c_str());
            co_return true;
        }
        if (!o.replace) {
            std::fprintf(stderr, "account import refused: storage already holds an account key for %s (thumbprint %s); "
                         "pass --replace to use certbot's account instead\n", dir.c_str(),
                         k ? jose::jwk_thumbprint(*k).c_str() : "unreadable");
            co_return false;
        }
    }
    auto pem = crypto::to_pem(acct.key);
    if (!pem) co_return false;
    if (auto s = co_await st.store(storage::account_key(dir), *pem); !s) {
        std::fprintf(stderr, "cannot store the account key: %s\n", s.error().message().c_str());
        co_return false;
    }
    std::printf("account %s: imported (thumbprint %s)\n", acct.account_url.c_str(), jose::jwk_thumbprint(acct.key).c_str());
    co_return true;
}

asio::awaitable<bool> store_certificate_leased(runtime& rt, const import_options& o, const import_checked& c) {
    auto& st = rt.manager()->store();
    const auto& b = *c.bundle;
    auto raw = co_await st.load(storage::certificate_key(o.name));
    if (raw) {
        auto old = storage::bundle_from_json(*raw);
        if (old && old->serial == b.serial && old->certificate_pem == b.certificate_pem) {
            std::printf("certificate %s: serial %s already in storage\n", o.name.c_str(), b.serial.c_str());
            co_return true;
        }
        if (!o.replace) {
            std::fprintf(stderr, "import refused: storage already holds certificate \"%s\" (serial %s); pass --replace "
                         "to overwrite it\n", o.name.c_str(), old ? old->serial.c_str() : "unreadable");
            co_return false;
        }
    } else if (raw.error() != errc::not_found) {
        std::fprintf(stderr, "cannot read storage: %s\n", raw.error().message().c_str());
        co_return false;
    }
    if (auto s = co_await st.store(storage::certificate_key(o.name), storage::to_json(b)); !s) {
        std::fprintf(stderr, "cannot store the certificate: %s\n", s.error().message().c_str());
        co_return false;
    }
    if (const auto* local = rt.cfg().storage.local_directory()) {  // as after an order: live/NAME for nginx/HAProxy
        if (auto pub = storage::publish_live(local->path, o.name, b); !pub)
            std::fprintf(stderr, "stored, but the live/ export failed: %s\n", pub.error().message().c_str());
    }
    spdlog::info("certificate {}: imported serial {} (valid until {})", o.name, b.serial, format_rfc3339(b.not_after));
    std::printf("certificate %s: imported serial %s, valid until %s\n%s\n", o.name.c_str(), b.serial.c_str(),
                format_rfc3339(b.not_after).c_str(), c.trust.c_str());
    for (const auto& n : c.notes) std::printf("note: %s\n", n.c_str());
    std::printf("renewed from %s when due (no order now); a running daemon deploys it at its next check, or at once "
                "after `systemctl reload certman`\n", rt.cfg().acme.directory.c_str());
    co_return true;
}

// Writes the checked certificate under the certificate's lease (storage/lease.hpp), so that it never races an
// order of a running daemon or of another instance sharing the storage.
asio::awaitable<bool> store_certificate(runtime& rt, const import_options& o, const import_checked& c) {
    auto& st = rt.manager()->store();
    const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    storage::lease holder;
    auto held = co_await storage::acquire_lease(st, o.name, storage::this_process_owner(), rt.cfg().storage.lease_ttl,
                                                now, &holder, storage::local_owner_gone);
    if (!held) {
        if (held.error() == errc::already_exists)
            std::fprintf(stderr, "import refused: certificate \"%s\" is being renewed right now (lease held by %s until "
                         "%s); run the import again when that renewal has finished (`certman status`)\n",
                         o.name.c_str(), holder.owner.c_str(), format_rfc3339(holder.expires).c_str());
        else
            std::fprintf(stderr, "cannot take the certificate's lease: %s\n", held.error().message().c_str());
        co_return false;
    }
    const bool stored = co_await store_certificate_leased(rt, o, c);
    if (auto r = co_await storage::release_lease(st, *held); !r)
        std::fprintf(stderr, "note: the certificate's lease could not be released (%s); it expires by itself at %s\n",
                     r.error().message().c_str(), format_rfc3339(held->expires).c_str());
    co_return stored;
}

}  // namespace

int import_command(const std::string& config_path, const import_options& options) {
    return run_offline_command(config_path, [&options](runtime& rt, int& rc) -> asio::awaitable<void> {
        std::optional<import_checked> cert;
        if (!options.name.empty()) {
            cert = check_certificate(rt, options);
            if (!cert) co_return;
        }
        std::optional<certbot_account> acct;
        if (!options.account.empty()) {
            acct = co_await check_account(rt, options);
            if (!acct) co_return;
            const bool stored = co_await store_account(rt, options, *acct);
            if (!stored) co_return;
        }
        if (cert) {
            const bool stored = co_await store_certificate(rt, options, *cert);
            if (!stored) co_return;
        }
        std::fflush(stdout);
        rc = exit_ok;
    });
}

}  // namespace certman::app
