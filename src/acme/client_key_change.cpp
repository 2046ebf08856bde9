// ACME driver: account key rollover (RFC 8555 §7.3.5). The payload is built by the pure key_change.cpp.
#include <chrono>
#include "certman/acme/client.hpp"
#include "certman/acme/key_change.hpp"
#include "certman/acme/problem.hpp"
#include "certman/core/errc.hpp"
#include "certman/jose/thumbprint.hpp"

namespace certman::acme {
namespace asio = boost::asio;

asio::awaitable<result<void>> client::change_key(crypto::private_key new_key) {
    if (account_url_.empty()) co_return fail(errc::invalid_argument, "key rollover needs the account first (set_up_account)");
    auto inner = key_change_payload(new_key, account_key_, account_url_, directory_.key_change);
    if (!inner) co_return fail(inner.error().code(), "cannot build the keyChange request (is the new key the same as the old one?)");
    auto res = co_await post(directory_.key_change, *inner, "keyChange");
    if (!res) co_return res.error();
    if (auto p = problem_of(*res, std::chrono::system_clock::now()))
        co_return fail(errc::acme_problem, describe(*p, "account key rollover"));
    account_key_ = std::move(new_key);
    thumbprint_ = jose::jwk_thumbprint(account_key_);
    co_return result<void>{};
}

}  // namespace certman::acme
