// [storage] kind = "oss" → a ready oss_storage: validation with operator-facing messages, the endpoint and
// region, the credential source (contract in include/certman/storage/oss_storage.hpp).
#include <stdexcept>

#include "certman/cloud/alibaba/oss_client.hpp"
#include "certman/net/http_client.hpp"
#include "certman/storage/oss_storage.hpp"
#include "oss_credentials.hpp"

namespace certman::storage {
namespace {

[[noreturn]] void bad(const std::string& what) { throw std::runtime_error("[storage] kind = \"oss\": " + what); }

bool valid_bucket_name(std::string_view b) {
    // OSS bucket naming: 3-63 characters, lowercase letters, digits and '-', not starting or ending with '-'.
    if (b.size() < 3 || b.size() > 63 || b.front() == '-' || b.back() == '-') return false;
    for (char c : b)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    return true;
}

}  // namespace

std::string normalize_oss_prefix(std::string_view prefix) {
    while (prefix.starts_with('/')) prefix.remove_prefix(1);
    while (prefix.ends_with('/')) prefix.remove_suffix(1);
    if (prefix.empty()) return {};
    std::string out;
    std::size_t start = 0;
    for (;;) {
        const auto end = prefix.find('/', start);
        const auto part = prefix.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (part.empty() || part == "." || part == "..")
            throw std::runtime_error("[storage] prefix \"" + std::string(prefix) + "\": empty, '.' or '..' component");
        for (char c : part)
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                  c == '_' || c == '-'))
                throw std::runtime_error("[storage] prefix \"" + std::string(prefix) +
                                         "\": only letters, digits, '.', '_', '-' and '/' are allowed");
        out += std::string(part) + "/";
        if (end == std::string_view::npos) return out;
        start = end + 1;
    }
}

std::unique_ptr<storage> make_oss_storage(boost::asio::any_io_executor executor, const oss_storage_options& config) {
    return make_oss_storage(std::move(executor), config, oss_tuning{});
}

std::unique_ptr<storage> make_oss_storage(boost::asio::any_io_executor executor, const oss_storage_options& config,
                                          const oss_tuning& tuning) {
    using namespace cloud::alibaba;
    if (config.bucket.empty()) bad("bucket is required");
    if (!valid_bucket_name(config.bucket))
        bad("bucket \"" + config.bucket + "\" is not a valid OSS bucket name (3-63 of a-z, 0-9, '-')");
    oss_client_options o;
    o.bucket = config.bucket;
    o.region = config.region;
    std::string endpoint = config.endpoint;
    if (endpoint.empty()) {
        if (o.region.empty()) bad("set region (e.g. \"cn-hangzhou\") or endpoint");
        endpoint = "https://oss-" + o.region + "-internal.aliyuncs.com";
    }
    auto parsed = parse_oss_endpoint(endpoint);
    if (!parsed)
        bad("endpoint \"" + endpoint + "\" is not usable: give a host such as oss-cn-hangzhou-internal.aliyuncs.com, "
            "optionally with https://, without a path");
    o.endpoint = *parsed;
    if (o.region.empty()) o.region = region_from_endpoint(o.endpoint);
    if (o.region.empty()) bad("region is required when the endpoint (" + endpoint + ") does not name it");
    if (!config.access_key_id.empty() && config.access_key_secret_file.empty())
        bad("access_key_id is set but access_key_secret_file is not");

    o.timeout = tuning.timeout;
    o.max_attempts = tuning.max_attempts;
    oss_bucket_settings so;
    so.check_versioning = tuning.check_versioning;
    so.prefix = normalize_oss_prefix(config.prefix);
    so.server_side_encryption = config.server_side_encryption;
    auto http = std::shared_ptr<net::http_client>(net::make_http_client(executor, {}));
    auto client = std::make_shared<oss_client>(std::move(http), make_oss_credentials(executor, config), std::move(o));
    return make_oss_storage(std::move(client), std::move(so));
}

}  // namespace certman::storage
