// Test support for the haproxy and files deployer tests: throwaway bundles and temporary directories.
#pragma once
#include <doctest/doctest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "certman/crypto/pem.hpp"
#include "certman/crypto/self_signed.hpp"
#include "certman/storage/bundle.hpp"

namespace certman::test {

// A bundle for `name` whose leaf is self-signed with a fresh P-256 key; `chain` is another self-signed
// certificate standing in for an intermediate (empty when `with_chain` is false).
inline storage::certificate_bundle make_test_bundle(const std::string& name, bool with_chain = true) {
    using namespace std::chrono;
    auto now = time_point_cast<seconds>(system_clock::now());
    auto key = crypto::generate_key(crypto::key_type::ec256);
    REQUIRE(key.has_value());
    auto leaf = crypto::make_self_signed(*key, {name}, now - hours(1), hours(24 * 30));
    REQUIRE(leaf.has_value());
    auto pem = crypto::to_pem(*key);
    REQUIRE(pem.has_value());
    storage::certificate_bundle b;
    b.private_key_pem = *pem;
    b.certificate_pem = *leaf;
    b.names = {name};
    if (with_chain) {
        auto ca_key = crypto::generate_key(crypto::key_type::ec256);
        REQUIRE(ca_key.has_value());
        auto ca = crypto::make_self_signed(*ca_key, {"intermediate.test"}, now - hours(1), hours(24 * 30));
        REQUIRE(ca.has_value());
        b.chain_pem = *ca;
    }
    return b;
}

// A fresh directory under /tmp, removed with everything in it at scope exit.
struct temp_dir {
    std::string path;
    temp_dir() {
        std::string tmpl = (std::filesystem::temp_directory_path() / "certman-deploy-XXXXXX").string();
        REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
        path = tmpl;
    }
    ~temp_dir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
    std::string operator/(const std::string& name) const { return path + "/" + name; }
};

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline unsigned mode_of(const std::string& path) {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

}  // namespace certman::test
