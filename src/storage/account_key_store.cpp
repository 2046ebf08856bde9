#include "certman/storage/account_key_store.hpp"
#include "certman/core/errc.hpp"
#include "certman/storage/keys.hpp"

namespace certman::storage {
namespace asio = boost::asio;

asio::awaitable<result<std::string>> load_account_key_pem(storage& st, std::string directory_url) {
    const std::string current = account_key(directory_url);
    auto pem = co_await st.load(current);
    if (pem || pem.error() != errc::not_found) co_return pem;
    const std::string legacy = legacy_account_key(directory_url);
    auto old = co_await st.load(legacy);
    if (!old) co_return old.error();  // not_found: no account yet
    auto created = co_await st.create(current, *old);
    if (!created && created.error() == errc::already_exists) {
        // Another instance moved it (or rolled the key) meanwhile: the new name is the truth.
        co_return co_await st.load(current);
    }
    if (!created) co_return created.error();
    (void)co_await st.remove(legacy);
    co_return std::move(*old);
}

}  // namespace certman::storage
