#include "certman/storage/live_export.hpp"

#include <sys/stat.h>

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

using namespace certman::storage;
using namespace std::chrono;
namespace fs = std::filesystem;

namespace {

struct temp_root {
    fs::path root;
    temp_root() {
        std::string tmpl = (fs::temp_directory_path() / "certman-live-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        root = tmpl;
    }
    ~temp_root() {
        std::error_code ec;
        fs::remove_all(root, ec);
    }
};

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    return st.st_mode & 07777;
}

certificate_bundle bundle(int n) {
    certificate_bundle b;
    b.private_key_pem = "KEY" + std::to_string(n) + "\n";
    b.certificate_pem = "CERT" + std::to_string(n) + "\n";
    b.chain_pem = "CHAIN\n";
    b.serial = "0A" + std::to_string(n);
    b.obtained_at = sys_days{2025y / May / 1} + hours{n};
    return b;
}

}  // namespace

TEST_CASE("live_version_name sorts by age") {
    CHECK(live_version_name(bundle(1)) == "20250501T010000Z-0a1");
    CHECK(live_version_name(bundle(1)) < live_version_name(bundle(2)));
    certificate_bundle no_serial;
    CHECK(live_version_name(no_serial) == "19700101T000000Z-noserial");
}

TEST_CASE("publish_live writes the PEM files and points live/<name> at them") {
    temp_root t;
    const auto published = publish_live(t.root, "WWW.example.com", bundle(1));
    REQUIRE(published);
    const fs::path live = t.root / "live/www.example.com";
    CHECK(fs::is_symlink(live));
    CHECK(fs::read_symlink(live) == "../archive/www.example.com/20250501T010000Z-0a1");
    struct row {
        const char* file;
        std::string content;
        mode_t mode;
    };
    const row rows[] = {
        {"privkey.pem", "KEY1\n", 0600},       {"cert.pem", "CERT1\n", 0644},
        {"chain.pem", "CHAIN\n", 0644},        {"fullchain.pem", "CERT1\nCHAIN\n", 0644},
        {"combined.pem", "CERT1\nCHAIN\nKEY1\n", 0600},
    };
    for (const auto& r : rows) {
        CAPTURE(r.file);
        CHECK(slurp(live / r.file) == r.content);
        CHECK(mode_of(live / r.file) == r.mode);
    }
    CHECK(mode_of(t.root / "archive/www.example.com") == 0700);
    CHECK(mode_of(live) == 0700);  // the version directory, through the link
}

TEST_CASE("publish_live switches versions and keeps the newest three") {
    temp_root t;
    for (int n = 1; n <= 5; ++n) REQUIRE(publish_live(t.root, "www", bundle(n)));
    CHECK(slurp(t.root / "live/www/cert.pem") == "CERT5\n");
    std::vector<std::string> versions;
    for (const auto& e : fs::directory_iterator(t.root / "archive/www")) versions.push_back(e.path().filename());
    std::sort(versions.begin(), versions.end());
    CHECK(versions == std::vector<std::string>{live_version_name(bundle(3)), live_version_name(bundle(4)),
                                               live_version_name(bundle(5))});
    std::vector<std::string> live_entries;
    for (const auto& e : fs::directory_iterator(t.root / "live")) live_entries.push_back(e.path().filename());
    CHECK(live_entries == std::vector<std::string>{"www"});  // no temp symlink left

    SUBCASE("republishing the same bundle is idempotent") {
        REQUIRE(publish_live(t.root, "www", bundle(5)));
        CHECK(slurp(t.root / "live/www/combined.pem") == "CERT5\nCHAIN\nKEY5\n");
    }
    SUBCASE("going back to an older bundle keeps it even when it is the oldest") {
        REQUIRE(publish_live(t.root, "www", bundle(3)));
        CHECK(slurp(t.root / "live/www/cert.pem") == "CERT3\n");
        REQUIRE(publish_live(t.root, "www", bundle(1)));  // oldest of four now, but live
        CHECK(slurp(t.root / "live/www/cert.pem") == "CERT1\n");
    }
}

TEST_CASE("publish_live reports failures with the path") {
    temp_root t;
    std::ofstream(t.root / "live") << "not a directory";
    auto r = publish_live(t.root, "www", bundle(1));
    REQUIRE(r.has_error());
    CHECK(r.error() == certman::errc::io_error);
    const auto msg = r.error().message();
    CAPTURE(msg);
    CHECK(msg.find((t.root / "live").string()) != std::string::npos);
    CHECK(msg.starts_with("publish www: "));
}
