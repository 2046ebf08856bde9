#include "certman/app/account_key_pending.hpp"
#include <boost/asio/this_coro.hpp>
#include <spdlog/spdlog.h>
#include "certman/crypto/pem.hpp"
#include "certman/storage/keys.hpp"

namespace certman::app {
namespace asio = boost::asio;

asio::awaitable<result<void>> resolve_pending_account_key(storage::storage& st, net::http_client& http,
                                                              acme::client_options options) {
    const std::string pending_name = storage::pending_account_key(options.directory_url);
    auto pending = co_await st.load(pending_name);
    if (!pending && pending.error() == errc::not_found) co_return result<void>{};
    auto fail = [&](const failure& e, std::string text) {
        return e.with_message("an account key rollover was interrupted (" + pending_name + "): " + text);
    };
    if (!pending) co_return fail(pending.error(), "cannot read it: " + pending.error().message());
    auto key = crypto::private_key_from_pem(*pending);
    if (!key) {  // a torn write cannot happen (storage contract), so this key was never sent to the CA
        (void)co_await st.remove(pending_name);
        co_return result<void>{};
    }
    options.agree_tos = false;  // onlyReturnExisting: never create an account with the pending key
    options.eab_kid.clear();
    auto executor = co_await asio::this_coro::executor;
    acme::client probe(executor, http, *key, options);
    if (auto r = co_await probe.fetch_directory(); !r) co_return fail(r.error(), r.error().message());
    auto r = co_await probe.set_up_account();
    if (!r && r.error().peer_code() == "accountDoesNotExist") {
        spdlog::warn("account key rollover: the CA does not know the pending key; keeping the current key");
        (void)co_await st.remove(pending_name);
        co_return result<void>{};
    }
    if (!r) co_return fail(r.error(), "the CA could not be asked which key is current: " + r.error().message());
    if (auto s = co_await st.store(storage::account_key(options.directory_url), *pending); !s)
        co_return fail(s.error(), "the CA uses the pending key but storage refused it: " + s.error().message());
    (void)co_await st.remove(pending_name);
    spdlog::info("account key rollover: the CA uses the pending key (account {}); it is now the account key",
                 probe.account_url());
    co_return result<void>{};
}

}  // namespace certman::app
