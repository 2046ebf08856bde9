// `certman account show` and `certman account rollover` (RFC 8555 §7.3.5). Neither starts the public server.
// Rollover order, so that a crash at any instant leaves a usable account (account_key_pending.hpp):
//   1. the new key is stored as pending;  2. the CA is asked to switch (keyChange);
//   3. the new key replaces the account key;  4. the pending object is removed.
// A crash after 1 or 2 leaves a pending key that the next start resolves by asking the CA which key it knows.
#include <cstdio>
#include <spdlog/spdlog.h>
#include "account_failure.hpp"
#include "certman/acme/account.hpp"
#include "certman/app/blocking_pool.hpp"
#include "certman/app/commands.hpp"
#include "certman/crypto/key_type.hpp"
#include "certman/crypto/pem.hpp"
#include "certman/jose/thumbprint.hpp"
#include "certman/storage/account_key_store.hpp"
#include "certman/storage/keys.hpp"
#include "offline_command.hpp"

namespace certman::app {
namespace asio = boost::asio;

namespace {

// The account as the CA sees it (POST-as-GET to the account URL, §7.3.3... "account" object).
asio::awaitable<void> print_account(acme::client& c, const std::string& directory) {
    std::printf("directory:  %s\naccount:    %s\n", directory.c_str(), c.account_url().c_str());
    auto res = co_await c.post(c.account_url(), "", "account");
    if (res && res->status == 200)
        if (auto a = acme::parse_account(res->body)) {
            std::string contact;
            for (const auto& m : a->contact) contact += (contact.empty() ? "" : ", ") + m;
            std::printf("status:     %s\ncontact:    %s\n", std::string(acme::to_string(a->status)).c_str(),
                        contact.empty() ? "(none)" : contact.c_str());
        }
    std::printf("thumbprint: %s\n", c.thumbprint().c_str());
    std::fflush(stdout);
}

}  // namespace

int account_show_command(const std::string& config_path) {
    return run_offline_command(config_path, [](runtime& rt, int& rc) -> asio::awaitable<void> {
        const auto& dir = rt.cfg().acme.directory;
        auto& st = rt.manager()->store();
        auto stored = co_await storage::load_account_key_pem(st, dir);
        bool none = !stored && stored.error() == errc::not_found;
        if (none) {
            auto pending = co_await st.load(storage::pending_account_key(dir));
            none = !pending;
        }
        if (none) {
            std::printf("no ACME account in storage for %s yet: certman creates one with its first order "
                        "(or bring certbot's with `certman import --account`)\n", dir.c_str());
            rc = exit_ok;
            co_return;
        }
        if (auto r = co_await rt.manager()->ensure_acme_account(); !r) {
            std::fprintf(stderr, "%s\n", account_failure_text(r.error().code(), dir).c_str());
            co_return;
        }
        co_await print_account(*rt.manager()->acme_client(), dir);
        std::printf("stored in:  %s %s\n", st.describe().c_str(), storage::account_key(dir).c_str());
        rc = exit_ok;
    });
}

int account_rollover_command(const std::string& config_path) {
    return run_offline_command(config_path, [](runtime& rt, int& rc) -> asio::awaitable<void> {
        const auto& dir = rt.cfg().acme.directory;
        auto& st = rt.manager()->store();
        if (auto r = co_await rt.manager()->ensure_acme_account(); !r) {
            std::fprintf(stderr, "%s\n", account_failure_text(r.error().code(), dir).c_str());
            co_return;
        }
        auto* c = rt.manager()->acme_client();
        const std::string old_thumbprint = c->thumbprint();
        auto type = crypto::parse_key_type(rt.cfg().acme.account_key_type);
        const auto kind = type ? *type : crypto::key_type::ec256;
        auto key = co_await call_blocking(rt.blocking(), [kind] { return crypto::generate_key(kind); });
        if (!key) co_return;
        auto pem = crypto::to_pem(*key);
        if (!pem) co_return;
        const std::string pending = storage::pending_account_key(dir);
        if (auto s = co_await st.store(pending, *pem); !s) {
            std::fprintf(stderr, "nothing changed: cannot store the new key (%s)\n", s.error().message().c_str());
            co_return;
        }
        if (auto r = co_await c->change_key(*key); !r) {
            if (r.error() == errc::acme_problem) {
                (void)co_await st.remove(pending);
                std::fprintf(stderr, "nothing changed: the CA refused the new key: %s\n", r.error().message().c_str());
            } else {
                std::fprintf(stderr, "the CA's answer did not arrive (%s): the new key is kept as %s and the next "
                             "certman command or start asks the CA which key is current\n",
                             r.error().message().c_str(), pending.c_str());
            }
            co_return;
        }
        if (auto s = co_await st.store(storage::account_key(dir), *pem); !s) {
            std::fprintf(stderr, "the CA switched to the new key but storage refused it (%s): it stays in %s and the "
                         "next certman start promotes it\n", s.error().message().c_str(), pending.c_str());
            co_return;
        }
        (void)co_await st.remove(pending);
        spdlog::info("account {}: key rolled over ({} -> {})", c->account_url(), old_thumbprint, c->thumbprint());
        std::printf("account %s: key rolled over\nold thumbprint: %s\nnew thumbprint: %s\n"
                    "a running daemon switches to the new key when the CA first refuses the old one (no reload needed)\n",
                    c->account_url().c_str(), old_thumbprint.c_str(), c->thumbprint().c_str());
        rc = exit_ok;
    });
}

}  // namespace certman::app
