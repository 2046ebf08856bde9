// ECS metadata-service client for RAM-role credentials (contract in the header).
#include "certman/cloud/alibaba/ecs_metadata.hpp"

#include "certman/core/errc.hpp"
#include "certman/net/http_client.hpp"

namespace certman::cloud::alibaba {
namespace {

constexpr std::string_view credentials_path = "/latest/meta-data/ram/security-credentials/";

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string_view::npos) return {};
    return std::string(s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1));
}

std::string describe(const failure& f) { return f == errc::timeout ? std::string("timed out") : f.message(); }

// A RAM role name: 1-64 letters, digits, '.', '-' or '_' (RAM CreateRole RoleName). The discovered name goes into
// the next request's path and into messages, so anything else from the service is refused.
bool ram_role_name(std::string_view s) {
    if (s.empty() || s.size() > 64) return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
              c == '_'))
            return false;
    return true;
}

}  // namespace

ecs_metadata::ecs_metadata(std::shared_ptr<net::http_client> client, options opts)
    : client_(std::move(client)), opts_(std::move(opts)), role_(opts_.role_name) {
    while (opts_.endpoint.ends_with("/")) opts_.endpoint.pop_back();
}

boost::asio::awaitable<void> ecs_metadata::ensure_token() {
    if (token_ && std::chrono::steady_clock::now() < token_expiry_) co_return;
    token_.reset();
    net::http_request req;
    req.method = "PUT";
    req.url = opts_.endpoint + "/latest/api/token";
    req.headers.emplace_back("X-aliyun-ecs-metadata-token-ttl-seconds", std::to_string(opts_.token_ttl.count()));
    req.timeout = opts_.timeout;
    auto res = co_await client_->send(std::move(req));
    if (res && res->status == 200 && !trim(res->body).empty()) {
        token_ = trim(res->body);
        // Renew a little before the service forgets the token.
        token_expiry_ = std::chrono::steady_clock::now() + opts_.token_ttl * 9 / 10;
    }
}

boost::asio::awaitable<result<std::string>> ecs_metadata::get(const std::string& path, const std::string& what) {
    co_await ensure_token();
    if (!token_ && !opts_.allow_plain)
        co_return failure{errc::cloud_error, "ECS metadata " + opts_.endpoint +
                                                 ": no session token (PUT /latest/api/token failed) and plain mode is "
                                                 "disabled (ALIBABA_CLOUD_IMDSV1_DISABLED)"};
    net::http_request req;
    req.url = opts_.endpoint + path;
    if (token_) req.headers.emplace_back("X-aliyun-ecs-metadata-token", *token_);
    req.timeout = opts_.timeout;
    auto res = co_await client_->send(std::move(req));
    if (!res)
        co_return res.error().with_message("ECS metadata " + opts_.endpoint + ": " + what + ": " +
                                           describe(res.error()));
    if (res->status == 401) token_.reset();  // expired or revoked: ask for a new one next time
    const std::string step = "ECS metadata " + opts_.endpoint + ": " + what;
    if (res->status == 404) co_return failure{errc::not_found, step + ": not found (is a RAM role attached?)"};
    if (res->status != 200) co_return failure{errc::cloud_error, step + ": HTTP " + std::to_string(res->status)};
    co_return std::move(res->body);
}

boost::asio::awaitable<result<expiring_credentials>> ecs_metadata::fetch() {
    if (role_.empty()) {
        auto listed = co_await get(std::string(credentials_path), "role name");
        if (!listed) co_return listed.error();
        // One role per instance; take the first line.
        auto name = trim(*listed);
        name = name.substr(0, name.find_first_of("\r\n"));
        if (name.empty())
            co_return failure{errc::not_found,
                              "ECS metadata " + opts_.endpoint + ": no RAM role is attached to this instance"};
        if (!ram_role_name(name))
            co_return failure{errc::protocol_error,
                              "ECS metadata " + opts_.endpoint + ": the role name it lists (" +
                                  std::to_string(name.size()) +
                                  " bytes) is not a RAM role name (1-64 letters, digits, '.', '-', '_')"};
        role_ = name;
    }
    auto doc = co_await get(std::string(credentials_path) + role_, "credentials of role " + role_);
    if (!doc) co_return doc.error();
    auto parsed = parse_metadata_credentials(*doc, std::chrono::time_point_cast<std::chrono::seconds>(
                                                       std::chrono::system_clock::now()));
    if (!parsed) {
        const auto& e = parsed.error();
        co_return e.with_message("ECS metadata " + opts_.endpoint + ": credentials of role " + role_ + ": " +
                                 (e == errc::cloud_error    ? std::string("Code is not \"Success\"")
                                  : e == errc::protocol_error ? e.message()
                                                              : std::string("malformed document")));
    }
    co_return parsed;
}

}  // namespace certman::cloud::alibaba
