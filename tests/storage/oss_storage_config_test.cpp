#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <stdexcept>

#include "certman/storage/oss_storage.hpp"

using certman::storage::oss_storage_options;
using certman::storage::make_oss_storage;
using certman::storage::normalize_oss_prefix;

TEST_CASE("normalize_oss_prefix") {
    CHECK(normalize_oss_prefix("") == "");
    CHECK(normalize_oss_prefix("/") == "");
    CHECK(normalize_oss_prefix("certman") == "certman/");
    CHECK(normalize_oss_prefix("/Prod/certman-1/") == "Prod/certman-1/");
    for (const char* bad : {"a//b", "a/../b", "./a", "a b", "a\\b", "é"}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(normalize_oss_prefix(bad), std::runtime_error);
    }
}

TEST_CASE("make_oss_storage: operator-facing errors for a bad [storage] section") {
    boost::asio::io_context ctx;
    ::setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "id", 1);
    ::setenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "secret", 1);
    struct row {
        oss_storage_options cfg;
        const char* message;
    };
    auto cfg = [](std::string bucket, std::string region, std::string endpoint, std::string prefix = "") {
        oss_storage_options c;
        c.bucket = std::move(bucket);
        c.region = std::move(region);
        c.endpoint = std::move(endpoint);
        c.prefix = std::move(prefix);
        return c;
    };
    const row rows[] = {
        {cfg("", "cn-hangzhou", ""), "bucket is required"},
        {cfg("Bad_Bucket", "cn-hangzhou", ""), "not a valid OSS bucket name"},
        {cfg("certs", "", ""), "set region"},
        {cfg("certs", "", "oss.example.com"), "region is required"},
        {cfg("certs", "cn-hangzhou", "ftp://x"), "endpoint \"ftp://x\" is not usable"},
        {cfg("certs", "cn-hangzhou", "", "a/../b"), "prefix"},
    };
    for (const auto& r : rows) {
        CAPTURE(r.message);
        CHECK_THROWS_WITH_AS(make_oss_storage(ctx.get_executor(), r.cfg), doctest::Contains(r.message),
                             std::runtime_error);
    }
    auto ok = make_oss_storage(ctx.get_executor(), cfg("certs", "", "oss-cn-shanghai-internal.aliyuncs.com", "/c/"));
    CHECK(ok->describe() == "oss:certs/c");

    SUBCASE("access_key_id without a secret file") {
        auto c = cfg("certs", "cn-hangzhou", "");
        c.access_key_id = "LTAI";
        CHECK_THROWS_WITH_AS(make_oss_storage(ctx.get_executor(), c), doctest::Contains("access_key_secret_file"),
                             std::runtime_error);
    }
    ::unsetenv("ALIBABA_CLOUD_ACCESS_KEY_ID");
    ::unsetenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET");
}
