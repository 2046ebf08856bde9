// The credential chain against a scripted metadata service (a fake net::http_client) and temporary files.
#include "certman/cloud/alibaba/credentials_provider.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <deque>
#include <fstream>
#include <map>

#include "certman/core/errc.hpp"
#include "certman/net/http_client.hpp"
#include "certman/core/rfc3339.hpp"
#include "support/run_coroutine.hpp"

using namespace certman;
using namespace certman::cloud::alibaba;
using certman::test::run_coroutine;

namespace {

// Answers by "METHOD path" from a script; records every request.
class fake_metadata final : public net::http_client {
public:
    std::map<std::string, std::deque<net::http_response>> script;
    std::vector<net::http_request> seen;

    boost::asio::awaitable<result<net::http_response>> send(net::http_request r) override {
        const auto path = r.url.substr(r.url.find('/', r.url.find("//") + 2));
        const auto key = r.method + " " + path;
        seen.push_back(std::move(r));
        auto it = script.find(key);
        if (it == script.end() || it->second.empty()) co_return net::http_response{404, {}, "Not Found"};
        auto res = it->second.front();
        if (it->second.size() > 1) it->second.pop_front();
        co_return res;
    }
};

std::string sts_doc(const std::string& id, std::chrono::seconds from_now) {
    const auto exp = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()) + from_now;
    return R"({"Code":"Success","AccessKeyId":")" + id + R"(","AccessKeySecret":"sk-)" + id +
           R"(","SecurityToken":"tok-)" + id + R"(","Expiration":")" + certman::format_rfc3339(exp) + R"("})";
}

struct temp_file {
    std::string path;
    temp_file(const std::string& content, mode_t mode) {
        char tmpl[] = "/tmp/certman-secret-XXXXXX";
        int fd = ::mkstemp(tmpl);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
        ::close(fd);
        path = tmpl;
        ::chmod(path.c_str(), mode);
    }
    ~temp_file() { ::unlink(path.c_str()); }
};


struct fixture {
    boost::asio::io_context ctx;
    std::shared_ptr<fake_metadata> imds = std::make_shared<fake_metadata>();
    std::map<std::string, std::string> env;

    std::shared_ptr<credentials_provider> make(credentials_options o = {}) {
        o.metadata_endpoint = "http://169.254.0.1";
        o.metadata_client = imds;
        o.getenv = [this](const char* n) -> const char* {
            auto it = env.find(n);
            return it == env.end() ? nullptr : it->second.c_str();
        };
        return make_credentials_provider(ctx.get_executor(), std::move(o));
    }
};

}  // namespace

TEST_CASE("config file: 0600 is read and trimmed, group/other access is refused with chmod advice") {
    fixture f;
    struct row {
        mode_t mode;
        bool ok;
    };
    for (const auto& r : {row{0600, true}, row{0400, true}, row{0640, false}, row{0644, false}, row{0604, false}}) {
        CAPTURE(r.mode);
        temp_file secret("s3cr3t-value\n", r.mode);
        credentials_options o;
        o.access_key_id = "LTAIkey";
        o.access_key_secret_file = secret.path;
        auto p = f.make(o);
        auto c = run_coroutine(p->get());
        CHECK(bool(c) == r.ok);
        if (r.ok) {
            CHECK(c->access_key_id == "LTAIkey");
            CHECK(c->access_key_secret == "s3cr3t-value");
            CHECK_FALSE(c->is_sts());
            CHECK(p->source() == "config file");
        } else {
            CHECK(c.error() == make_error_code(errc::config_error));
            CHECK(c.error().message().find(secret.path) != std::string::npos);
            CHECK(c.error().message().find("chmod 600") != std::string::npos);
            CHECK(c.error().message().find("s3cr3t") == std::string::npos);
        }
    }
    CHECK(f.imds->seen.empty());
}

TEST_CASE("config file missing or empty is a config error, not a fall-through") {
    fixture f;
    f.env = {{"ALIBABA_CLOUD_ACCESS_KEY_ID", "envid"}, {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envsecret"}};
    temp_file empty(" \n", 0600);
    for (std::string path : {std::string("/nonexistent/secret"), empty.path}) {
        CAPTURE(path);
        credentials_options o;
        o.access_key_id = "LTAIkey";
        o.access_key_secret_file = path;
        auto p = f.make(o);
        auto c = run_coroutine(p->get());
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error() == make_error_code(errc::config_error));
        CHECK(c.error().message().find(path) != std::string::npos);
    }
}

TEST_CASE("environment variables, with and without a security token") {
    fixture f;
    f.env = {{"ALIBABA_CLOUD_ACCESS_KEY_ID", "envid"}, {"ALIBABA_CLOUD_ACCESS_KEY_SECRET", "envsecret"}};
    auto p = f.make();
    auto c = run_coroutine(p->get());
    REQUIRE(c.has_value());
    CHECK(c->access_key_id == "envid");
    CHECK_FALSE(c->is_sts());
    CHECK(p->source() == "environment");
    f.env["ALIBABA_CLOUD_SECURITY_TOKEN"] = "envtoken";
    c = run_coroutine(p->get());
    REQUIRE(c.has_value());
    CHECK(c->security_token == "envtoken");
    CHECK(f.imds->seen.empty());
}

TEST_CASE("ECS RAM role: token mode, role discovery, caching and refresh") {
    fixture f;
    f.imds->script["PUT /latest/api/token"] = {{200, {}, "session-token"}};
    f.imds->script["GET /latest/meta-data/ram/security-credentials/"] = {{200, {}, "my-role\n"}};
    auto& creds = f.imds->script["GET /latest/meta-data/ram/security-credentials/my-role"];
    creds = {{200, {}, sts_doc("STS.one", std::chrono::hours(6))}};
    auto p = f.make();
    auto c = run_coroutine(p->get());
    REQUIRE(c.has_value());
    CHECK(c->access_key_id == "STS.one");
    CHECK(c->security_token == "tok-STS.one");
    CHECK(p->source() == "ECS RAM role my-role");
    REQUIRE(f.imds->seen.size() == 3);
    CHECK(f.imds->seen[0].method == "PUT");
    CHECK(net::http_response{0, f.imds->seen[0].headers, {}}.header("X-aliyun-ecs-metadata-token-ttl-seconds") ==
          "21600");
    for (std::size_t i = 1; i < 3; ++i)
        CHECK(net::http_response{0, f.imds->seen[i].headers, {}}.header("X-aliyun-ecs-metadata-token") ==
              "session-token");

    // Cached while fresh.
    CHECK(run_coroutine(p->get())->access_key_id == "STS.one");
    CHECK(f.imds->seen.size() == 3);

    // invalidate() forces a new fetch; the role name and the session token are reused. STS.two expired 5 s ago
    // by our clock: refused with the fix instead of being used (and fetched again on every use); the next get()
    // fetches again.
    creds = {{200, {}, sts_doc("STS.two", std::chrono::seconds(-5))}, {200, {}, sts_doc("STS.three", std::chrono::hours(1))}};
    p->invalidate();
    auto dead = run_coroutine(p->get());
    REQUIRE_FALSE(dead.has_value());
    CHECK(dead.error() == errc::protocol_error);
    CAPTURE(dead.error().message());
    CHECK(dead.error().message().starts_with("ECS metadata http://169.254.0.1: credentials of role my-role: Expiration "));
    CHECK(dead.error().message().ends_with(
        ": the credentials are dead on arrival; check the system clock (NTP) and the metadata service"));
    CHECK(dead.error().message().find("sk-STS.two") == std::string::npos);
    CHECK(f.imds->seen.size() == 4);
    CHECK(run_coroutine(p->get())->access_key_id == "STS.three");
    CHECK(f.imds->seen.size() == 5);
}

TEST_CASE("ECS RAM role: plain mode when the token PUT fails, unless IMDSv1 is disabled") {
    fixture f;
    f.imds->script["PUT /latest/api/token"] = {{403, {}, "Forbidden"}};
    f.imds->script["GET /latest/meta-data/ram/security-credentials/r"] = {{200, {}, sts_doc("STS.p", std::chrono::hours(1))}};
    f.env = {{"ALIBABA_CLOUD_ECS_METADATA", "r"}};
    auto p = f.make();
    auto c = run_coroutine(p->get());
    REQUIRE(c.has_value());
    CHECK(c->access_key_id == "STS.p");
    REQUIRE(f.imds->seen.size() == 2);  // no discovery: the role came from the environment
    CHECK_FALSE(net::http_response{0, f.imds->seen[1].headers, {}}.header("X-aliyun-ecs-metadata-token"));

    f.env["ALIBABA_CLOUD_IMDSV1_DISABLED"] = "true";
    auto hardened = f.make();
    auto h = run_coroutine(hardened->get());
    REQUIRE_FALSE(h.has_value());
    CHECK(h.error().message().find("IMDSV1_DISABLED") != std::string::npos);
}

TEST_CASE("no source: errors name what to configure") {
    fixture f;
    f.env = {{"ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true"}};
    auto p = f.make();
    auto c = run_coroutine(p->get());
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error() == make_error_code(errc::not_found));
    CHECK(c.error().message().find("ALIBABA_CLOUD_ACCESS_KEY_ID") != std::string::npos);

    f.env.clear();
    f.imds->script["PUT /latest/api/token"] = {{200, {}, "t"}};
    f.imds->script["GET /latest/meta-data/ram/security-credentials/"] = {{200, {}, ""}};
    auto q = f.make();
    c = run_coroutine(q->get());
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error() == make_error_code(errc::not_found));
    CHECK(c.error().message().find("no RAM role") != std::string::npos);

    // A discovered name goes into the next path: a 65-byte or odd one is refused before it is used.
    for (const std::string& bad : {std::string(65, 'r'), std::string("r?x=1"), std::string("../../latest/api/token")}) {
        CAPTURE(bad);
        f.imds->script["GET /latest/meta-data/ram/security-credentials/"] = {{200, {}, bad}};
        auto odd = f.make();
        c = run_coroutine(odd->get());
        REQUIRE_FALSE(c.has_value());
        CHECK(c.error() == make_error_code(errc::protocol_error));
        CHECK(c.error().message().find("is not a RAM role name") != std::string::npos);
        CHECK(f.imds->seen.back().url.ends_with("/security-credentials/"));  // nothing asked with it
    }
    f.imds->script["GET /latest/meta-data/ram/security-credentials/"] = {{200, {}, std::string(64, 'r')}};
    f.imds->script["GET /latest/meta-data/ram/security-credentials/" + std::string(64, 'r')] = {
        {200, {}, sts_doc("STS.long", std::chrono::hours(1))}};
    CHECK(run_coroutine(f.make()->get())->access_key_id == "STS.long");  // 64 bytes: the bound, accepted

    f.imds->script["GET /latest/meta-data/ram/security-credentials/"] = {{200, {}, "r"}};
    f.imds->script["GET /latest/meta-data/ram/security-credentials/r"] = {{200, {}, R"({"Code":"Failed"})"}};
    auto s = f.make();
    c = run_coroutine(s->get());
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error() == make_error_code(errc::cloud_error));
}
