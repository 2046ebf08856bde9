#include "certman/storage/dir_storage.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "storage/storage_contract.hpp"
#include "support/run_coroutine.hpp"

namespace fs = std::filesystem;
using certman::errc;
using certman::test::run_coroutine;

namespace {

// A fresh directory under $TMPDIR (root itself created by make_dir_storage), removed afterwards.
struct dir_fixture {
    fs::path base;
    fs::path root;
    dir_fixture() {
        std::string tmpl = (fs::temp_directory_path() / "certman-storage-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        base = tmpl;
        root = base / "state";
    }
    ~dir_fixture() {
        std::error_code ec;
        fs::remove_all(base, ec);
    }
    std::unique_ptr<certman::storage::storage> open() { return certman::storage::make_dir_storage(root); }
};

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::lstat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

void write_file(const fs::path& p, const std::string& content) {
    std::ofstream(p, std::ios::binary) << content;
}

}  // namespace

TEST_CASE("dir_storage meets the storage contract") { certman::test::check_storage_contract<dir_fixture>(); }

TEST_CASE("dir_storage: files 0600, directories 0700, whatever the umask") {
    dir_fixture fx;
    mode_t old = ::umask(0);
    auto s = fx.open();
    REQUIRE(run_coroutine(s->store("certificates/a.json", "secret")));
    REQUIRE(run_coroutine(s->create("leases/deep/b.json", "l")));
    ::umask(old);
    CHECK(mode_of(fx.root) == 0700);
    CHECK(mode_of(fx.root / "certificates") == 0700);
    CHECK(mode_of(fx.root / "leases/deep") == 0700);
    CHECK(mode_of(fx.root / "certificates/a.json") == 0600);
    CHECK(mode_of(fx.root / "leases/deep/b.json") == 0600);
    CHECK(s->describe() == "dir:" + fx.root.string());
}

TEST_CASE("dir_storage never follows a symlink out of the root") {
    dir_fixture fx;
    auto s = fx.open();
    fs::create_directories(fx.base / "outside");
    write_file(fx.base / "outside/secret.json", "outside");
    REQUIRE(run_coroutine(s->store("certificates/real.json", "inside")));

    SUBCASE("symlinked file") {
        fs::create_symlink(fx.base / "outside/secret.json", fx.root / "certificates/evil.json");
        CHECK(run_coroutine(s->load("certificates/evil.json")).error() == errc::io_error);
        CHECK(run_coroutine(s->list("certificates/")).value() == std::vector<std::string>{"certificates/real.json"});
        // store replaces the link itself (rename), it never writes through it
        REQUIRE(run_coroutine(s->store("certificates/evil.json", "new")));
        CHECK(fs::is_regular_file(fs::symlink_status(fx.root / "certificates/evil.json")));
    }
    SUBCASE("symlinked directory") {
        fs::create_directory_symlink(fx.base / "outside", fx.root / "state");
        CHECK(run_coroutine(s->load("state/secret.json")).error() == errc::io_error);
        const auto refused = run_coroutine(s->store("state/secret.json", "overwritten"));
        CHECK(refused.error() == errc::io_error);
        CHECK(refused.error().message().find("state") != std::string::npos);
        CHECK(run_coroutine(s->list("state/")).error() == errc::io_error);
        CHECK(run_coroutine(s->list("")).value() == std::vector<std::string>{"certificates/real.json"});
    }
    std::ifstream in(fx.base / "outside/secret.json");
    std::string content((std::istreambuf_iterator<char>(in)), {});
    CHECK(content == "outside");
}

TEST_CASE("dir_storage: errors carry the path and the system's reason") {
    dir_fixture fx;
    auto s = fx.open();
    REQUIRE(run_coroutine(s->store("file", "x")));
    auto r = run_coroutine(s->store("file/child", "y"));  // "file" is not a directory
    REQUIRE(r.has_error());
    CHECK(r.error() == errc::io_error);
    const auto message = r.error().message();
    CAPTURE(message);
    CHECK(message == "store file/child: open directory " + (fx.root / "file").string() + ": Not a directory");
}

TEST_CASE("dir_storage: temp files are invisible and stale ones are removed on open") {
    dir_fixture fx;
    auto s = fx.open();
    REQUIRE(run_coroutine(s->store("certificates/a.json", "a")));
    write_file(fx.root / "certificates/.tmp-1-1-1", "half a bun");
    write_file(fx.root / "certificates/.tmp-2-2-2", "fresh");
    CHECK(run_coroutine(s->list("")).value() == std::vector<std::string>{"certificates/a.json"});
    auto old_time = fs::file_time_type::clock::now() - std::chrono::hours(2);
    fs::last_write_time(fx.root / "certificates/.tmp-1-1-1", old_time);
    auto reopened = fx.open();
    CHECK_FALSE(fs::exists(fx.root / "certificates/.tmp-1-1-1"));
    CHECK(fs::exists(fx.root / "certificates/.tmp-2-2-2"));  // may belong to a live writer
}

TEST_CASE("dir_storage: live/ and archive/ are reserved for the export") {
    dir_fixture fx;
    auto s = fx.open();
    fs::create_directories(fx.root / "live");
    fs::create_directories(fx.root / "archive/www/v1");
    write_file(fx.root / "archive/www/v1/cert.pem", "c");
    CHECK(run_coroutine(s->store("live/x", "v")).error() == errc::invalid_argument);
    CHECK(run_coroutine(s->load("archive/www/v1/cert.pem")).error() == errc::invalid_argument);
    CHECK(run_coroutine(s->list("")).value().empty());
    CHECK(run_coroutine(s->list("archive/")).value().empty());
    REQUIRE(run_coroutine(s->store("livedata", "v")));  // only the exact component is reserved
}

TEST_CASE("make_dir_storage refuses a root others can write") {
    dir_fixture fx;
    fs::create_directories(fx.root);
    SUBCASE("group/world writable → refused") {
        fs::permissions(fx.root, fs::perms::owner_all | fs::perms::others_all);
        CHECK_THROWS_WITH_AS(fx.open(), doctest::Contains("writable by group or others"), std::runtime_error);
    }
    SUBCASE("world readable → accepted (warning)") {
        fs::permissions(fx.root, fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
        CHECK(fx.open() != nullptr);
    }
    SUBCASE("a file is not a root") {
        write_file(fx.base / "afile", "x");
        CHECK_THROWS_AS(certman::storage::make_dir_storage(fx.base / "afile"), std::runtime_error);
    }
}
