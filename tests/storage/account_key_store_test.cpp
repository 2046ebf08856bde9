#include "certman/storage/account_key_store.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "certman/storage/dir_storage.hpp"
#include "storage/account_key_contract.hpp"
#include "support/memory_storage.hpp"

namespace fs = std::filesystem;
using namespace certman;
using test::run_coroutine;

namespace {

struct dir_fixture {
    fs::path base;
    dir_fixture() {
        std::string tmpl = (fs::temp_directory_path() / "certman-acctkey-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        base = tmpl;
    }
    ~dir_fixture() {
        std::error_code ec;
        fs::remove_all(base, ec);
    }
    std::unique_ptr<storage::storage> open() { return storage::make_dir_storage(base / "state"); }
};

// A memory storage whose writes fail (a full disk, a read-only bucket policy).
class refusing_writes final : public storage::storage {
public:
    test::memory_storage inner;
    boost::asio::awaitable<result<std::string>> load(std::string k) override { return inner.load(std::move(k)); }
    boost::asio::awaitable<result<void>> store(std::string, std::string) override {
        co_return failure{errc::io_error, "write refused (test)"};
    }
    boost::asio::awaitable<result<void>> create(std::string, std::string) override {
        co_return failure{errc::io_error, "write refused (test)"};
    }
    boost::asio::awaitable<result<void>> remove(std::string k) override { return inner.remove(std::move(k)); }
    boost::asio::awaitable<result<std::vector<std::string>>> list(std::string p) override { return inner.list(std::move(p)); }
    std::string describe() const override { return "refusing"; }
};

}  // namespace

TEST_CASE("account key: dir_storage moves account.json to account-key.pem") {
    test::check_account_key_migration<dir_fixture>();
}

TEST_CASE("account key: the old name is kept when the new one cannot be written") {
    refusing_writes st;
    const std::string dir = "https://ca.test/dir";
    st.inner.objects[storage::legacy_account_key(dir)] = "pem";
    CHECK(run_coroutine(storage::load_account_key_pem(st, dir)).error() == errc::io_error);
    CHECK(st.inner.objects.count(storage::legacy_account_key(dir)) == 1);
    CHECK(st.inner.objects.count(storage::account_key(dir)) == 0);
}
